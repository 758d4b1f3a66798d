package dev.mooring.canary;

import dev.mooring.canary.Action.RecordEvent;
import dev.mooring.canary.Action.ScaleCanaryUp;

/**
 * Phases at rest (Initialized, Succeeded, Failed) and Waiting: notices a new revision of the target
 * and starts its analysis once every confirm-rollout webhook approves it.
 */
record RevisionStart(Tick tick) {

  Decision fromRest() {
    CanaryState state = tick.state();
    String hash = tick.hash();
    if (hash.equals(state.lastAppliedSpec())) {
      return tick.done(state, restMessage());
    }
    Decision settled = tick.settleWithoutAnalysis();
    return settled != null ? settled : start();
  }

  Decision fromWaiting() {
    CanaryState state = tick.state();
    if (!tick.hash().equals(state.lastAppliedSpec())) {
      Decision settled = tick.settleWithoutAnalysis();
      if (settled != null) {
        return settled;
      }
    }
    HookVerdict rollback = tick.hooks(HookSpec.ROLLBACK);
    if (!rollback.complete()) {
      return tick.needHooks(HookSpec.ROLLBACK);
    }
    if (!rollback.ok().isEmpty()) {
      return tick.rollback("Rollback webhook " + rollback.firstOk() + " asked for a rollback");
    }
    return start();
  }

  private Decision start() {
    CanaryState state = tick.state();
    String hash = tick.hash();
    HookVerdict confirm = tick.hooks(HookSpec.CONFIRM_ROLLOUT);
    if (!confirm.complete()) {
      return tick.needHooks(HookSpec.CONFIRM_ROLLOUT);
    }
    if (!confirm.allOk()) {
      String message = "Halt advancement: waiting for rollout approval " + confirm.firstFailure();
      CanaryState waiting = state.startingAnalysisOf(hash, Phase.Waiting);
      boolean alreadyWaiting =
          state.phase() == Phase.Waiting && hash.equals(state.lastAppliedSpec());
      return alreadyWaiting
          ? tick.done(waiting, message)
          : tick.done(waiting, message, Tick.event(RecordEvent.WARNING, "Waiting", message));
    }
    if (tick.settings().skipAnalysis()) {
      return tick.promoteWithoutAnalysis();
    }
    String message = "New revision " + hash + " detected! Scaling up the canary";
    return tick.done(
        state.startingAnalysisOf(hash, Phase.Progressing),
        message,
        new ScaleCanaryUp(),
        Tick.event(RecordEvent.NORMAL, "Progressing", message));
  }

  private String restMessage() {
    CanaryState state = tick.state();
    return switch (state.phase()) {
      case Failed ->
          "Revision "
              + state.lastAppliedSpec()
              + " failed its analysis; waiting for a new revision";
      case Initialized -> "Initialized; no new revision";
      default -> "Revision " + state.lastAppliedSpec() + " is promoted; no new revision";
    };
  }
}
