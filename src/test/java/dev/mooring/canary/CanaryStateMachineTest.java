package dev.mooring.canary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CanaryStateMachineTest {

  private static final Instant NOW = Instant.parse("2025-01-01T00:10:00Z");
  private static final AnalysisSettings SETTINGS =
      AnalysisSettings.builder()
          .interval(Duration.ofSeconds(30))
          .stepWeight(10)
          .maxWeight(50)
          .threshold(3)
          .hasMetrics(true)
          .webhook("load", HookSpec.ROLLOUT)
          .build();
  private static final CanaryState MID_ANALYSIS =
      new CanaryState(Phase.Progressing, 20, 0, 0, "v2", "v1", NOW.minusSeconds(30), null);

  private static Observation observe() {
    return Observation.of(NOW, "v2", true, true)
        .withWebhookResults(List.of(new WebhookResult("load", HookSpec.ROLLOUT, true, "")));
  }

  @Test
  void aCanaryWithoutStatusStartsByInitializingItsPrimary() {
    Decision decision =
        CanaryStateMachine.step(null, SETTINGS, Observation.of(NOW, "v1", false, false));

    assertThat(decision.next().phase()).isEqualTo(Phase.Initializing);
    assertThat(decision.next().lastTransitionTime()).isEqualTo(NOW);
    assertThat(decision.actions()).first().isInstanceOf(Action.InitializePrimary.class);
  }

  @Test
  void theDeadlineCountsFromWhenAWorkloadWentUnreadyNotFromALongWaitAtAGate() {
    // an hour at the confirm-promotion gate, then one canary pod goes away
    CanaryState waiting =
        new CanaryState(Phase.WaitingPromotion, 50, 0, 0, "v2", "v1", NOW.minusSeconds(3600), null);
    Observation justNow =
        Observation.of(NOW, "v2", true, false).withUnreadySince(NOW.minusSeconds(5));
    Decision wait = CanaryStateMachine.step(waiting, SETTINGS, justNow);
    assertThat(wait.next().phase()).isEqualTo(Phase.WaitingPromotion);
    assertThat(wait.message()).startsWith("Waiting for the canary to be ready (5s of 600s)");

    Observation longAgo =
        Observation.of(NOW, "v2", true, false).withUnreadySince(NOW.minusSeconds(601));
    Decision rollback = CanaryStateMachine.step(waiting, SETTINGS, longAgo);
    assertThat(rollback.next().phase()).isEqualTo(Phase.Failed);
    assertThat(rollback.message()).contains("Progress deadline exceeded: the canary was not ready");
  }

  @Test
  void theSameInputsGiveTheSameDecision() {
    Observation seen = observe().withChecks(List.of(check(99.5, true)));

    assertThat(CanaryStateMachine.step(MID_ANALYSIS, SETTINGS, seen))
        .isEqualTo(CanaryStateMachine.step(MID_ANALYSIS, SETTINGS, seen));
  }

  @Test
  void askingForInputLeavesTheStatusUntouchedAndAsksForNothingElse() {
    Decision decision =
        CanaryStateMachine.step(MID_ANALYSIS, SETTINGS, Observation.of(NOW, "v2", true, true));

    assertThat(decision.awaitingInput()).isTrue();
    assertThat(decision.next()).isEqualTo(MID_ANALYSIS);
    assertThat(decision.actions()).containsExactly(new Action.RunWebhooks(HookSpec.ROLLOUT));
  }

  @Test
  void metricsAreQueriedAfterTheRolloutHooksAnswered() {
    Decision decision = CanaryStateMachine.step(MID_ANALYSIS, SETTINGS, observe());

    assertThat(decision.actions()).containsExactly(new Action.RunChecks());
  }

  @Test
  void aPassingRoundEndsWithARequeueAfterTheInterval() {
    Decision decision =
        CanaryStateMachine.step(
            MID_ANALYSIS, SETTINGS, observe().withChecks(List.of(check(99.5, true))));

    assertThat(decision.awaitingInput()).isFalse();
    assertThat(decision.next().canaryWeight()).isEqualTo(30);
    assertThat(decision.next().lastTransitionTime()).isEqualTo(NOW);
    assertThat(decision.actions())
        .startsWith(new Action.SetWeights(70, 30))
        .endsWith(new Action.Requeue(Duration.ofSeconds(30)));
  }

  @Test
  void aCheckWithoutDataNeverPassesAndSaysNoTraffic() {
    CheckResult noData = new CheckResult("request-success-rate", null, 99.0, null, true, "");

    Decision decision =
        CanaryStateMachine.step(MID_ANALYSIS, SETTINGS, observe().withChecks(List.of(noData)));

    assertThat(decision.next().failedChecks()).isEqualTo(1);
    assertThat(decision.next().canaryWeight()).isEqualTo(20);
    assertThat(events(decision)).anySatisfy(m -> assertThat(m).contains("no traffic"));
  }

  @Test
  void aNanValueNeverPasses() {
    CheckResult nan = new CheckResult("request-duration", Double.NaN, null, 500.0, true, "");

    Decision decision =
        CanaryStateMachine.step(MID_ANALYSIS, SETTINGS, observe().withChecks(List.of(nan)));

    assertThat(decision.next().failedChecks()).isEqualTo(1);
    assertThat(events(decision)).anySatisfy(m -> assertThat(m).contains("no traffic"));
  }

  @Test
  void everyFailedCheckIsReportedButTheRoundCountsOnce() {
    List<CheckResult> checks =
        List.of(
            new CheckResult("request-success-rate", 95.0, 99.0, null, false, ""),
            new CheckResult("request-duration", 900.0, null, 500.0, false, "p99 too slow"));

    Decision decision =
        CanaryStateMachine.step(MID_ANALYSIS, SETTINGS, observe().withChecks(checks));

    assertThat(decision.next().failedChecks()).isEqualTo(1);
    assertThat(events(decision))
        .containsExactly(
            "Halt advancement: metric request-success-rate value 95 outside range [99, ]",
            "Halt advancement: metric request-duration value 900 outside range [, 500]:"
                + " p99 too slow");
  }

  @Test
  void aFailedRoundIsNotProgressSoTheDeadlineKeepsCounting() {
    Decision decision =
        CanaryStateMachine.step(
            MID_ANALYSIS, SETTINGS, observe().withChecks(List.of(check(90.0, false))));

    assertThat(decision.next().lastTransitionTime()).isEqualTo(MID_ANALYSIS.lastTransitionTime());
  }

  @Test
  void settingsFillInFlaggersDefaults() {
    AnalysisSettings settings =
        new AnalysisSettings(
            null, 0, 0, 0, null, 0, 0, 0, false, false, null, false, false, false, false);

    assertThat(settings.interval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.threshold()).isEqualTo(1);
    assertThat(settings.progressDeadlineSeconds()).isEqualTo(600);
    assertThat(new HookSpec("load", "").type()).isEqualTo(HookSpec.ROLLOUT);
  }

  private static CheckResult check(double value, boolean passed) {
    return new CheckResult("request-success-rate", value, 99.0, null, passed, "");
  }

  private static List<String> events(Decision decision) {
    return decision.actions().stream()
        .filter(Action.RecordEvent.class::isInstance)
        .map(a -> ((Action.RecordEvent) a).message())
        .toList();
  }
}
