package dev.mooring.canary;

import dev.mooring.canary.Action.NotifyWebhooks;
import dev.mooring.canary.Action.RecordEvent;
import dev.mooring.canary.Action.ScaleCanaryToZero;
import dev.mooring.canary.Action.SetWeights;
import java.util.List;

/**
 * Flagger's canary analysis as a pure function: one call per tick (and per round of gathered input,
 * see {@link Decision#awaitingInput()}).
 *
 * <p>The order of a tick follows Flagger's scheduler: suspend; initialize; detect a new revision
 * (start, or restart a running analysis); readiness and the progress deadline; rollback webhooks;
 * the failed-checks threshold; promotion steps; then one analysis round (pre-rollout hooks on the
 * first round, rollout hooks and metric checks after) and, when it passed, one step forward.
 *
 * <p>Two deliberate differences from Flagger: a rollback happens in the tick whose failure reaches
 * the threshold (Flagger waits one more interval), and a target equal to the promoted or to the
 * last failed revision is not analysed (Flagger re-analyses both).
 */
public final class CanaryStateMachine {

  private CanaryStateMachine() {}

  /**
   * Decides one tick.
   *
   * @param current the Canary's status; null for a new Canary
   * @param settings the analysis settings from the Canary's spec
   * @param observation what the controller saw, and the webhook results and checks it gathered
   * @return the next status and the actions to carry out
   */
  public static Decision step(
      CanaryState current, AnalysisSettings settings, Observation observation) {
    CanaryState state = current == null ? CanaryState.initial() : current;
    if (settings.suspend()) {
      return new Decision(state, List.of(), "Canary is suspended: nothing is done");
    }
    Tick tick = new Tick(state, settings, observation);
    return switch (state.phase()) {
      case Initializing -> new Initialization(tick).decide();
      case Initialized, Succeeded, Failed -> new RevisionStart(tick).fromRest();
      case Waiting -> new RevisionStart(tick).fromWaiting();
      case Progressing, WaitingPromotion -> new Analysis(tick).decide();
      case Promoting -> promote(tick);
      case Finalising -> finalise(tick);
    };
  }

  /** Moves traffic back to the primary, which already runs the new spec. */
  private static Decision promote(Tick tick) {
    if (!tick.observation().primaryReady()) {
      return tick.notReady();
    }
    CanaryState state = tick.state();
    // blue/green switches back at once, as it switched to the canary at once
    int canary =
        tick.settings().isBlueGreen()
            ? 0
            : Weights.nextPromotionCanaryWeight(tick.settings(), state.canaryWeight());
    int primary = Weights.TOTAL - canary;
    if (canary == 0) {
      return tick.done(
          state.withPhase(Phase.Finalising).withCanaryWeight(0),
          "All traffic routed to the primary",
          new SetWeights(Weights.TOTAL, 0),
          Tick.event(RecordEvent.NORMAL, "Promoting", "Routing all traffic to the primary"));
    }
    return tick.done(
        state.withCanaryWeight(canary),
        "Advance primary weight " + primary,
        new SetWeights(primary, canary),
        Tick.event(RecordEvent.NORMAL, "Promoting", "Advance primary weight " + primary));
  }

  /** Scales the canary down and records the promotion. */
  private static Decision finalise(Tick tick) {
    CanaryState state = tick.state();
    CanaryState next =
        state
            .withPhase(Phase.Succeeded)
            .withCanaryWeight(0)
            .withLastPromotedSpec(state.lastAppliedSpec())
            .withFailedRevision(null);
    String message = "Promotion completed! Scaling down the canary";
    return tick.done(
        next,
        message,
        new ScaleCanaryToZero(),
        Tick.event(RecordEvent.NORMAL, "Succeeded", message),
        new NotifyWebhooks(HookSpec.POST_ROLLOUT, Phase.Succeeded));
  }
}
