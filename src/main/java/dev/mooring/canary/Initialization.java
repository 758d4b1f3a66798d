package dev.mooring.canary;

import dev.mooring.canary.Action.InitializePrimary;
import dev.mooring.canary.Action.RecordEvent;
import dev.mooring.canary.Action.ScaleCanaryToZero;
import dev.mooring.canary.Action.SetWeights;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Phase Initializing: the primary is created from the target and must become ready; then all
 * traffic goes to it and the target is scaled to zero. The target at that moment counts as
 * promoted. A primary that stays unready past the progress deadline is warned about, once per
 * deadline period, and waited for (as Flagger does).
 */
record Initialization(Tick tick) {

  Decision decide() {
    CanaryState state = tick.state();
    if (tick.observation().primaryReady()) {
      CanaryState next =
          new CanaryState(
              Phase.Initialized,
              0,
              0,
              0,
              tick.hash(),
              tick.hash(),
              state.lastTransitionTime(),
              null);
      String message = "Initialization done! The primary serves all traffic";
      return tick.done(
          next,
          message,
          new InitializePrimary(),
          new SetWeights(Weights.TOTAL, 0),
          new ScaleCanaryToZero(),
          Tick.event(RecordEvent.NORMAL, "Initialized", message));
    }
    Instant since = state.lastTransitionTime() == null ? tick.now() : state.lastTransitionTime();
    int deadline = tick.settings().progressDeadlineSeconds();
    if (Duration.between(since, tick.now()).compareTo(Duration.ofSeconds(deadline)) > 0) {
      // As Flagger, keep trying: failing here would leave the apex Service on a primary that may
      // still come up, and nothing to roll back to. Warn once per deadline period.
      String message =
          "Initialization stalled: the primary was not ready for more than "
              + deadline
              + "s; still waiting";
      return new Decision(
          state.withLastTransitionTime(tick.now()),
          List.of(
              new InitializePrimary(),
              Tick.event(RecordEvent.WARNING, "InitializationStalled", message),
              new Action.Requeue(tick.settings().interval())),
          message);
    }
    return tick.done(
        state.withLastTransitionTime(since),
        "Waiting for the primary to be ready",
        new InitializePrimary());
  }
}
