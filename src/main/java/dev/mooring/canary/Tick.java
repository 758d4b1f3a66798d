package dev.mooring.canary;

import dev.mooring.canary.Action.NotifyWebhooks;
import dev.mooring.canary.Action.PromoteToPrimary;
import dev.mooring.canary.Action.RecordEvent;
import dev.mooring.canary.Action.Requeue;
import dev.mooring.canary.Action.RunChecks;
import dev.mooring.canary.Action.RunWebhooks;
import dev.mooring.canary.Action.ScaleCanaryToZero;
import dev.mooring.canary.Action.SetWeights;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The inputs of one tick and the decisions every phase shares: finishing a tick, asking for input,
 * waiting for readiness, rolling back, and settling on a revision that needs no analysis.
 */
record Tick(CanaryState state, AnalysisSettings settings, Observation observation) {

  Instant now() {
    return observation.now();
  }

  String hash() {
    return observation.targetHash();
  }

  /**
   * A final decision for this tick: the actions, then a requeue after the interval. The transition
   * time moves whenever the canary made progress (phase, weight, iterations or revision changed),
   * so the progress deadline counts from the last progress.
   */
  Decision done(CanaryState next, String message, Action... actions) {
    boolean progressed =
        next.phase() != state.phase()
            || next.canaryWeight() != state.canaryWeight()
            || next.iterations() != state.iterations()
            || !Objects.equals(next.lastAppliedSpec(), state.lastAppliedSpec());
    if (progressed || next.lastTransitionTime() == null) {
      next = next.withLastTransitionTime(now());
    }
    List<Action> all = new ArrayList<>(Arrays.asList(actions));
    all.add(new Requeue(settings.interval()));
    return new Decision(next, all, message);
  }

  /** Asks the controller to run the webhooks of a type and call again; the status is unchanged. */
  Decision needHooks(String type) {
    return new Decision(state, List.of(new RunWebhooks(type)), "Running " + type + " webhooks");
  }

  /** Asks the controller to query the metrics and call again; the status is unchanged. */
  Decision needChecks() {
    return new Decision(state, List.of(new RunChecks()), "Querying metrics");
  }

  /** Whether all webhooks of a type have answered in this tick. */
  HookVerdict hooks(String type) {
    return HookVerdict.of(settings, observation, type);
  }

  /**
   * The primary or the canary is not ready: wait, or roll back once the progress deadline has
   * passed since the last progress.
   */
  Decision notReady() {
    String which = notReadyWorkloads();
    Instant since = state.lastTransitionTime() == null ? now() : state.lastTransitionTime();
    Instant unready = observation.unreadySince();
    Instant counted = unready != null && unready.isAfter(since) ? unready : since;
    Duration deadline = Duration.ofSeconds(settings.progressDeadlineSeconds());
    Duration waited = Duration.between(counted, now());
    if (waited.compareTo(deadline) > 0) {
      return rollback(
          "Progress deadline exceeded: "
              + which
              + (which.contains(" and ") ? " were" : " was")
              + " not ready for more than "
              + settings.progressDeadlineSeconds()
              + "s");
    }
    return done(
        state.withLastTransitionTime(since),
        "Waiting for "
            + which
            + " to be ready ("
            + waited.toSeconds()
            + "s of "
            + settings.progressDeadlineSeconds()
            + "s)");
  }

  private String notReadyWorkloads() {
    boolean canaryMatters =
        state.phase() == Phase.Progressing || state.phase() == Phase.WaitingPromotion;
    boolean canaryDown = canaryMatters && !observation.canaryReady();
    if (!observation.primaryReady() && canaryDown) {
      return "the primary and the canary";
    }
    return canaryDown ? "the canary" : "the primary";
  }

  /**
   * Routes all traffic to the primary, scales the canary to zero and marks the revision failed so
   * that it is not analysed again until the target changes.
   */
  Decision rollback(String reason) {
    CanaryState next =
        state
            .withPhase(Phase.Failed)
            .withCanaryWeight(0)
            .withIterations(0)
            .withFailedRevision(state.lastAppliedSpec());
    String message = "Canary failed! " + reason + "; routing all traffic to the primary";
    return done(
        next,
        message,
        new SetWeights(Weights.TOTAL, 0),
        new ScaleCanaryToZero(),
        event(RecordEvent.WARNING, "Rollback", message),
        new NotifyWebhooks(HookSpec.POST_ROLLOUT, Phase.Failed));
  }

  /**
   * Settles on a target that needs no analysis: the promoted revision (nothing to do) or the last
   * failed one (not retried). Null when the target is neither.
   */
  Decision settleWithoutAnalysis() {
    String hash = hash();
    if (hash.equals(state.lastPromotedSpec())) {
      Phase rest = state.phase() == Phase.Initialized ? Phase.Initialized : Phase.Succeeded;
      String message = "Target matches the promoted revision " + hash + "; nothing to analyse";
      return done(
          state.startingAnalysisOf(hash, rest),
          message,
          new SetWeights(Weights.TOTAL, 0),
          new ScaleCanaryToZero(),
          event(RecordEvent.NORMAL, "Synced", message));
    }
    if (hash.equals(state.failedRevision())) {
      String message =
          "Revision " + hash + " failed its analysis before; waiting for a new revision";
      return done(
          state.withPhase(Phase.Failed).withCanaryWeight(0).withLastAppliedSpec(hash),
          message,
          new SetWeights(Weights.TOTAL, 0),
          new ScaleCanaryToZero(),
          event(RecordEvent.WARNING, "Synced", message));
    }
    return null;
  }

  /** skipAnalysis: promotes the target at once, without analysis. */
  Decision promoteWithoutAnalysis() {
    String hash = hash();
    CanaryState next =
        new CanaryState(Phase.Succeeded, 0, 0, 0, hash, hash, state.lastTransitionTime(), null);
    String message = "Promotion completed! Canary analysis was skipped for revision " + hash;
    return done(
        next,
        message,
        new SetWeights(Weights.TOTAL, 0),
        new PromoteToPrimary(),
        new ScaleCanaryToZero(),
        event(RecordEvent.NORMAL, "Succeeded", message),
        new NotifyWebhooks(HookSpec.POST_ROLLOUT, Phase.Succeeded));
  }

  static RecordEvent event(String type, String reason, String message) {
    return new RecordEvent(type, reason, message);
  }
}
