package dev.mooring.controller;

import dev.mooring.sandbox.SandboxMode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Several replicas may run; one reconciles at a time (the Lease {@code mooring.leader-election.
 * lease-name} in {@code mooring.leader-election.namespace}). Active in the prod profile unless
 * switched off, never in the single-process sandbox.
 */
@ApplicationScoped
public class LeaderElection {
  private static final Logger LOG = Logger.getLogger(LeaderElection.class);
  static final Path POD_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElection(
      SandboxMode sandbox, MooringConfig config, KubernetesClient client, Leadership leadership) {
    MooringConfig.LeaderElection settings = config.leaderElection();
    if (sandbox.active() || !settings.enabled()) {
      // null switches leader election off: this replica reconciles alone
      LOG.info("leader election is off: this replica reconciles");
      return null;
    }
    String namespace = settings.namespace().orElseGet(() -> inferNamespace(client));
    String identity =
        (System.getenv("HOSTNAME") == null ? "mooring" : System.getenv("HOSTNAME"))
            + "_"
            + UUID.randomUUID().toString().substring(0, 8);
    leadership.electing();
    LOG.infof(
        "leader election: Lease %s/%s, identity %s", namespace, settings.leaseName(), identity);
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(settings.leaseName())
        .withLeaseNamespace(namespace)
        .withIdentity(identity)
        .withLeaseDuration(settings.leaseDuration())
        .withRenewDeadline(settings.renewDeadline())
        .withRetryPeriod(settings.retryPeriod())
        .withLeaderCallbacks(
            new LeaderCallbacks(
                () -> leadership.startedLeading(identity),
                () -> leadership.stoppedLeading(identity),
                leadership::newLeader))
        // the SDK's own exit runs inside the JVM's shutdown when the lease is given up on
        // SIGTERM and deadlocks it; Leadership exits instead, outside a shutdown only
        .withExitOnStopLeading(false)
        .build();
  }

  /** The pod's namespace, else the kubeconfig context's, else "default" (as kubectl does). */
  static String inferNamespace(KubernetesClient client) {
    try {
      if (Files.isReadable(POD_NAMESPACE)) {
        String ns = Files.readString(POD_NAMESPACE).trim();
        if (!ns.isEmpty()) {
          return ns;
        }
      }
    } catch (java.io.IOException e) {
      // not in a pod
    }
    String ns = client.getConfiguration().getNamespace();
    return ns == null || ns.isBlank() ? "default" : ns;
  }
}
