package dev.mooring.controller;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Whether this replica leads. Only the leader reconciles; the others still answer the API and
 * webhooks, and hand work to the leader through the Applications themselves (the refresh
 * annotation). Without leader election (the sandbox, a single local run) this replica always leads.
 */
@ApplicationScoped
public class Leadership {
  private static final Logger LOG = Logger.getLogger(Leadership.class);

  private final AtomicBoolean elected = new AtomicBoolean();
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private volatile boolean electing;
  private volatile String leader;

  /** True when this replica reconciles. */
  public boolean isLeader() {
    return !electing || elected.get();
  }

  /** The identity of the current leader, when known. */
  public String leader() {
    return leader;
  }

  void electing() {
    electing = true;
  }

  void startedLeading(String identity) {
    elected.set(true);
    LOG.infof("leader election: %s leads now", identity);
  }

  /**
   * Lost the lease: another replica may reconcile already, so this one must stop. Exiting from here
   * (not from the elector's thread inside a JVM shutdown, which deadlocks) lets the pod restart as
   * a standby; during a shutdown there is nothing left to do.
   */
  void stoppedLeading(String identity) {
    elected.set(false);
    if (shuttingDown.get()) {
      return;
    }
    LOG.warnf(
        "leader election: %s lost the lease; exiting so that it restarts as a standby", identity);
    Quarkus.asyncExit(1);
  }

  void newLeader(String identity) {
    leader = identity;
  }

  void onShutdown(@Observes ShutdownEvent event) {
    shuttingDown.set(true);
  }
}
