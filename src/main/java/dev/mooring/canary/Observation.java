package dev.mooring.canary;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the controller observed for one tick.
 *
 * <p>Webhook results and checks are gathered on demand: the controller starts a tick with none, and
 * when a {@link Decision} {@link Decision#awaitingInput() awaits input} it runs what the decision
 * asks for, adds the results here and calls the state machine again within the same tick.
 *
 * @param now the time of the tick
 * @param targetHash hash of the target's pod template and the ConfigMaps and Secrets it references
 * @param primaryReady whether the primary workload is ready (rolled out and available)
 * @param canaryReady whether the canary (target) workload is ready
 * @param webhookResults results by webhook name, for the webhooks asked for during this tick
 * @param checks metric results for this tick, empty when not queried yet
 * @param unreadySince since when the controller has seen a workload the phase needs not ready (null
 *     when unknown): the progress deadline counts from the later of this and the last progress, so
 *     a pod evicted after a long wait at a gate does not trigger an instant rollback
 */
public record Observation(
    Instant now,
    String targetHash,
    boolean primaryReady,
    boolean canaryReady,
    Map<String, WebhookResult> webhookResults,
    List<CheckResult> checks,
    Instant unreadySince) {

  public Observation {
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(targetHash, "targetHash");
    webhookResults = webhookResults == null ? Map.of() : Map.copyOf(webhookResults);
    checks = checks == null ? List.of() : List.copyOf(checks);
  }

  /** An observation without webhook results or checks yet. */
  public static Observation of(
      Instant now, String targetHash, boolean primaryReady, boolean canaryReady) {
    return new Observation(now, targetHash, primaryReady, canaryReady, Map.of(), List.of(), null);
  }

  /** This observation with more webhook results (a later result for the same name wins). */
  public Observation withWebhookResults(Collection<WebhookResult> results) {
    Map<String, WebhookResult> merged = new HashMap<>(webhookResults);
    results.forEach(r -> merged.put(r.name(), r));
    return new Observation(
        now, targetHash, primaryReady, canaryReady, merged, checks, unreadySince);
  }

  /** This observation with the metric checks of this tick. */
  public Observation withChecks(List<CheckResult> results) {
    return new Observation(
        now, targetHash, primaryReady, canaryReady, webhookResults, results, unreadySince);
  }

  /** This observation with the time since which a needed workload has been seen not ready. */
  public Observation withUnreadySince(Instant since) {
    return new Observation(
        now, targetHash, primaryReady, canaryReady, webhookResults, checks, since);
  }
}
