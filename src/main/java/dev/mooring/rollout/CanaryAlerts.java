package dev.mooring.rollout;

import dev.mooring.canary.alerts.AlertResult;
import dev.mooring.canary.alerts.Alerts;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryAnalysis;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Sends a Canary's alerts for the Events the controller records, from one thread of its own with a
 * bounded queue, so that a slow or unreachable chat never holds a tick. Each alert's {@link
 * AlertResult} is logged: a failure as a warning (its message names a provider's host at most), a
 * delivery at debug level.
 */
@ApplicationScoped
public class CanaryAlerts {
  private static final Logger LOG = Logger.getLogger(CanaryAlerts.class);
  static final int QUEUE = 1000;

  private final Alerts alerts;
  private final Consumer<List<AlertResult>> done;
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final ThreadPoolExecutor executor =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.MILLISECONDS,
          new ArrayBlockingQueue<>(QUEUE),
          r -> {
            Thread t = new Thread(r, "mooring-canary-alerts");
            t.setDaemon(true);
            return t;
          });

  @Inject
  public CanaryAlerts(Alerts alerts) {
    this(alerts, results -> {});
  }

  /**
   * @param done called with each Event's results after they are logged (for tests)
   */
  CanaryAlerts(Alerts alerts, Consumer<List<AlertResult>> done) {
    this.alerts = alerts;
    this.done = done;
  }

  /**
   * Queues the alerts Flagger sends for an Event recorded on the Canary ({@link Alerts#onEvent});
   * returns at once. A Canary without {@code analysis.alerts} costs nothing.
   */
  public void onEvent(Canary canary, String reason, String message) {
    CanaryAnalysis analysis =
        canary.getSpec() == null ? null : canary.getSpec().effectiveAnalysis();
    if (analysis == null || analysis.alerts == null || analysis.alerts.isEmpty()) {
      return;
    }
    // the reconciler goes on changing its Canary object; the alert reads the Event's moment
    Canary snapshot = serialization.clone(canary);
    String key = canary.getMetadata().getNamespace() + "/" + canary.getMetadata().getName();
    try {
      executor.execute(() -> report(key, alerts.onEvent(snapshot, reason, message)));
    } catch (RejectedExecutionException e) {
      LOG.warnf("canary %s: %d alerts are waiting already; not sent: %s", key, QUEUE, message);
    }
  }

  private void report(String key, List<AlertResult> results) {
    for (AlertResult r : results) {
      if (r.failed()) {
        LOG.warnf(
            "canary %s: alert %s (%s) not sent: %s", key, r.alert(), r.provider(), r.message());
      } else {
        LOG.debugf(
            "canary %s: alert %s (%s): %s %s",
            key, r.alert(), r.provider(), r.outcome(), r.message());
      }
    }
    done.accept(results);
  }

  @PreDestroy
  void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
