package dev.mooring.canary;

import dev.mooring.canary.Action.PromoteToPrimary;
import dev.mooring.canary.Action.RecordEvent;
import dev.mooring.canary.Action.ScaleCanaryUp;
import dev.mooring.canary.Action.SetWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * Phases Progressing and WaitingPromotion: one analysis round per tick and, when it passes, one
 * step forward (a weight step, an iteration, or the promotion).
 */
record Analysis(Tick tick) {

  Decision decide() {
    CanaryState state = tick.state();
    if (!tick.hash().equals(state.lastAppliedSpec())) {
      Decision settled = tick.settleWithoutAnalysis();
      return settled != null ? settled : restart();
    }
    Observation seen = tick.observation();
    if (!seen.primaryReady() || !seen.canaryReady()) {
      return tick.notReady();
    }
    HookVerdict rollback = tick.hooks(HookSpec.ROLLBACK);
    if (!rollback.complete()) {
      return tick.needHooks(HookSpec.ROLLBACK);
    }
    if (!rollback.ok().isEmpty()) {
      return tick.rollback("Rollback webhook " + rollback.firstOk() + " asked for a rollback");
    }
    if (tick.settings().skipAnalysis()) {
      return tick.promoteWithoutAnalysis();
    }
    if (state.failedChecks() >= tick.settings().threshold()) {
      // a status written just before a restart may already be at the threshold
      return tick.rollback(thresholdReason(state.failedChecks()));
    }
    boolean firstRound = state.canaryWeight() == 0 && state.iterations() == 0;
    return firstRound ? preRollout() : analyse();
  }

  private Decision restart() {
    CanaryState state = tick.state();
    String message = "New revision " + tick.hash() + " detected! Restarting analysis";
    return tick.done(
        state.startingAnalysisOf(tick.hash(), Phase.Progressing),
        message,
        new SetWeights(Weights.TOTAL, 0),
        new ScaleCanaryUp(),
        Tick.event(RecordEvent.NORMAL, "Progressing", message));
  }

  /** The first round: pre-rollout webhooks instead of metrics, since no traffic reached it yet. */
  private Decision preRollout() {
    HookVerdict pre = tick.hooks(HookSpec.PRE_ROLLOUT);
    if (!pre.complete()) {
      return tick.needHooks(HookSpec.PRE_ROLLOUT);
    }
    if (!pre.allOk()) {
      return failed(
          List.of("Halt advancement: pre-rollout check " + pre.firstFailure() + " failed"));
    }
    return advance();
  }

  /** Every later round: rollout webhooks, then the metric checks. */
  private Decision analyse() {
    HookVerdict rollout = tick.hooks(HookSpec.ROLLOUT);
    if (!rollout.complete()) {
      return tick.needHooks(HookSpec.ROLLOUT);
    }
    if (!rollout.allOk()) {
      return failed(
          List.of("Halt advancement: external check " + rollout.firstFailure() + " failed"));
    }
    if (tick.settings().hasMetrics()) {
      List<CheckResult> checks = tick.observation().checks();
      if (checks.isEmpty()) {
        return tick.needChecks();
      }
      List<String> failures =
          checks.stream().filter(c -> !c.holds()).map(CheckMessages::failure).toList();
      if (!failures.isEmpty()) {
        return failed(failures);
      }
    }
    return advance();
  }

  /** One failed round: one more failed check, and a rollback when that reaches the threshold. */
  private Decision failed(List<String> reasons) {
    CanaryState state = tick.state();
    int failedChecks = state.failedChecks() + 1;
    Tick counted =
        new Tick(state.withFailedChecks(failedChecks), tick.settings(), tick.observation());
    if (failedChecks >= tick.settings().threshold()) {
      return counted.rollback(thresholdReason(failedChecks) + " (" + reasons.get(0) + ")");
    }
    List<Action> events = new ArrayList<>();
    reasons.forEach(r -> events.add(Tick.event(RecordEvent.WARNING, "AnalysisFailed", r)));
    return tick.done(
        state.withFailedChecks(failedChecks),
        reasons.get(0)
            + " (failed checks "
            + failedChecks
            + "/"
            + tick.settings().threshold()
            + ")",
        events.toArray(Action[]::new));
  }

  private Decision advance() {
    AnalysisSettings settings = tick.settings();
    CanaryState state = tick.state();
    if (settings.isBlueGreen()) {
      if (state.iterations() < settings.iterations()) {
        int done = state.iterations() + 1;
        String message = "Advance canary iteration " + done + "/" + settings.iterations();
        CanaryState next = state.withPhase(Phase.Progressing).withIterations(done);
        if (settings.isAbTesting()) {
          // the requests of analysis.match go to the canary (written again every iteration, so
          // that routing edited by hand comes back); the weight in status stays 0, as Flagger's
          return tick.done(
              next,
              message,
              new SetWeights(0, Weights.TOTAL),
              Tick.event(RecordEvent.NORMAL, "Progressing", message));
        }
        if (settings.isMirroring()) {
          // Flagger's blue/green mirroring: the primary answers every request, a copy of each goes
          // to the canary for the whole of the iterations (written again every iteration)
          return tick.done(
              next,
              message,
              new SetWeights(Weights.TOTAL, 0, true),
              Tick.event(RecordEvent.NORMAL, "Progressing", message));
        }
        return tick.done(next, message, Tick.event(RecordEvent.NORMAL, "Progressing", message));
      }
      if (settings.switchesTraffic()
          && !settings.isAbTesting()
          && state.iterations() == settings.iterations()) {
        // blue/green with a router: once the iterations passed and promotion is allowed, all
        // traffic moves to the canary, which is analysed once more before the primary is rolled
        HookVerdict confirm = tick.hooks(HookSpec.CONFIRM_PROMOTION);
        if (!confirm.complete() || !confirm.allOk()) {
          return promotionGate();
        }
        String message =
            settings.isMirroring()
                ? "Stop traffic mirroring and route all traffic to the canary"
                : "Routing all traffic to the canary";
        return tick.done(
            state
                .withPhase(Phase.Progressing)
                .withIterations(state.iterations() + 1)
                .withCanaryWeight(Weights.TOTAL),
            message,
            new SetWeights(0, Weights.TOTAL),
            Tick.event(RecordEvent.NORMAL, "Progressing", message));
      }
      return promotionGate();
    }
    int max = Weights.maxWeight(settings);
    if (state.canaryWeight() >= max) {
      return promotionGate();
    }
    HookVerdict confirm = tick.hooks(HookSpec.CONFIRM_TRAFFIC_INCREASE);
    if (!confirm.complete()) {
      return tick.needHooks(HookSpec.CONFIRM_TRAFFIC_INCREASE);
    }
    if (!confirm.allOk()) {
      String message =
          "Halt advancement: waiting for traffic increase approval " + confirm.firstFailure();
      return tick.done(state, message, Tick.event(RecordEvent.NORMAL, "Progressing", message));
    }
    int weight = Weights.nextCanaryWeight(settings, state.canaryWeight());
    String message = "Advance canary weight " + weight;
    return tick.done(
        state.withPhase(Phase.Progressing).withCanaryWeight(weight),
        message,
        new SetWeights(Weights.TOTAL - weight, weight),
        Tick.event(RecordEvent.NORMAL, "Progressing", message));
  }

  private Decision promotionGate() {
    CanaryState state = tick.state();
    HookVerdict confirm = tick.hooks(HookSpec.CONFIRM_PROMOTION);
    if (!confirm.complete()) {
      return tick.needHooks(HookSpec.CONFIRM_PROMOTION);
    }
    if (!confirm.allOk()) {
      String message = "Halt advancement: waiting for promotion approval " + confirm.firstFailure();
      CanaryState waiting = state.withPhase(Phase.WaitingPromotion);
      return state.phase() == Phase.WaitingPromotion
          ? tick.done(waiting, message)
          : tick.done(
              waiting, message, Tick.event(RecordEvent.WARNING, "WaitingPromotion", message));
    }
    String message = "Copying the target's spec and configs to the primary";
    return tick.done(
        state.withPhase(Phase.Promoting),
        message,
        new PromoteToPrimary(),
        Tick.event(RecordEvent.NORMAL, "Promoting", message));
  }

  private String thresholdReason(int failedChecks) {
    return "Failed checks threshold reached " + failedChecks + "/" + tick.settings().threshold();
  }
}
