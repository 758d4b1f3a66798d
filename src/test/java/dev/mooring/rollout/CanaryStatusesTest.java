package dev.mooring.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.canary.CanaryState;
import dev.mooring.canary.CheckResult;
import dev.mooring.canary.Phase;
import dev.mooring.model.CanaryStatus;
import dev.mooring.model.CanaryStatus.AnalysisRecord;
import dev.mooring.model.CanaryStatus.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reading a Canary's status into the state machine and writing a tick back. */
class CanaryStatusesTest {
  private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
  private static final Instant T1 = T0.plusSeconds(60);
  private static final Instant T2 = T0.plusSeconds(120);

  @Test
  void a_new_canary_has_no_state() {
    assertThat(CanaryStatuses.state(null)).isNull();
    assertThat(CanaryStatuses.state(new CanaryStatus())).isNull();

    CanaryStatus countersOnly = new CanaryStatus();
    countersOnly.canaryWeight = 10;
    countersOnly.failedChecks = 1;
    assertThat(CanaryStatuses.state(countersOnly)).isNull();
  }

  @Test
  void a_state_survives_a_round_trip_through_status() {
    CanaryState state =
        new CanaryState(
            Phase.Progressing, 30, 2, 4, "applied-hash", "promoted-hash", T0, "failed-hash");

    CanaryStatus status = CanaryStatuses.next(null, state, "advancing", List.of(), T1);

    assertThat(status.phase).isEqualTo("Progressing");
    assertThat(status.canaryWeight).isEqualTo(30);
    assertThat(status.failedChecks).isEqualTo(2);
    assertThat(status.iterations).isEqualTo(4);
    assertThat(status.lastAppliedSpec).isEqualTo("applied-hash");
    assertThat(status.lastPromotedSpec).isEqualTo("promoted-hash");
    assertThat(status.failedRevision).isEqualTo("failed-hash");
    assertThat(status.lastTransitionTime).isEqualTo("2026-11-02T10:00:00Z");
    assertThat(CanaryStatuses.state(status)).isEqualTo(state);
  }

  @Test
  void a_state_survives_a_round_trip_through_json() {
    CanaryState state =
        new CanaryState(Phase.WaitingPromotion, 50, 0, 0, "a", "b", T0.plusMillis(250), null);

    CanaryStatus written = CanaryStatuses.next(null, state, "waiting", List.of(), T1);
    CanaryStatus read = Serialization.unmarshal(Serialization.asJson(written), CanaryStatus.class);

    assertThat(CanaryStatuses.state(read)).isEqualTo(state);
  }

  @ParameterizedTest
  @EnumSource(Phase.class)
  void every_phase_round_trips(Phase phase) {
    CanaryState state = new CanaryState(phase, 0, 0, 0, null, null, null, null);

    CanaryStatus status = CanaryStatuses.next(null, state, "", List.of(), T0);

    assertThat(status.phase).isEqualTo(phase.name());
    assertThat(status.lastTransitionTime).isNull();
    assertThat(CanaryStatuses.state(status)).isEqualTo(state);
  }

  @Test
  void missing_counters_read_as_zero_and_a_bad_time_as_null() {
    CanaryStatus status = new CanaryStatus();
    status.phase = "Succeeded";
    status.lastTransitionTime = "yesterday";

    CanaryState state = CanaryStatuses.state(status);

    assertThat(state).isEqualTo(new CanaryState(Phase.Succeeded, 0, 0, 0, null, null, null, null));
  }

  @Test
  void an_unknown_phase_reads_as_initializing_keeping_the_rest() {
    CanaryStatus status = new CanaryStatus();
    status.phase = "Terminating"; // Flagger has phases Mooring does not
    status.canaryWeight = 20;
    status.lastAppliedSpec = "abc";
    status.lastTransitionTime = T0.toString();

    CanaryState state = CanaryStatuses.state(status);

    assertThat(state.phase()).isEqualTo(Phase.Initializing);
    assertThat(state.canaryWeight()).isEqualTo(20);
    assertThat(state.lastAppliedSpec()).isEqualTo("abc");
    assertThat(state.lastTransitionTime()).isEqualTo(T0);

    status.phase = "progressing"; // case matters, as in Flagger
    assertThat(CanaryStatuses.state(status).phase()).isEqualTo(Phase.Initializing);
  }

  @Test
  void the_promoted_condition_follows_the_phase() {
    for (Phase phase : Phase.values()) {
      CanaryStatus status =
          CanaryStatuses.next(null, state(phase), "message of " + phase, List.of(), T0);

      String expected =
          switch (phase) {
            case Initialized, Succeeded -> "True";
            case Failed -> "False";
            default -> "Unknown";
          };
      assertThat(status.conditions).as(phase.name()).hasSize(1);
      Condition promoted = status.conditions.get(0);
      assertThat(promoted.type).isEqualTo(CanaryStatus.CONDITION_PROMOTED);
      assertThat(promoted.status).as(phase.name()).isEqualTo(expected);
      assertThat(promoted.reason).isEqualTo(phase.name());
      assertThat(promoted.message).isEqualTo("message of " + phase);
      assertThat(promoted.lastTransitionTime).isEqualTo(T0.toString());
      assertThat(promoted.lastUpdateTime).isEqualTo(T0.toString());
      assertThat(CanaryStatuses.message(status)).isEqualTo("message of " + phase);
    }
  }

  @Test
  void the_condition_times_change_only_when_its_content_does() {
    CanaryStatus s0 = CanaryStatuses.next(null, state(Phase.Progressing), "step 10", List.of(), T0);

    // same status, reason and message: neither time moves
    CanaryStatus same = CanaryStatuses.next(s0, state(Phase.Progressing), "step 10", List.of(), T1);
    assertThat(promoted(same).lastTransitionTime).isEqualTo(T0.toString());
    assertThat(promoted(same).lastUpdateTime).isEqualTo(T0.toString());

    // new message, same status (Unknown): only the update time moves
    CanaryStatus message =
        CanaryStatuses.next(same, state(Phase.Progressing), "step 20", List.of(), T1);
    assertThat(promoted(message).lastTransitionTime).isEqualTo(T0.toString());
    assertThat(promoted(message).lastUpdateTime).isEqualTo(T1.toString());

    // new reason, same status (Promoting is Unknown too): only the update time moves
    CanaryStatus reason =
        CanaryStatuses.next(message, state(Phase.Promoting), "step 20", List.of(), T2);
    assertThat(promoted(reason).status).isEqualTo("Unknown");
    assertThat(promoted(reason).reason).isEqualTo("Promoting");
    assertThat(promoted(reason).lastTransitionTime).isEqualTo(T0.toString());
    assertThat(promoted(reason).lastUpdateTime).isEqualTo(T2.toString());

    // new status: both move
    Instant t3 = T2.plusSeconds(60);
    CanaryStatus succeeded =
        CanaryStatuses.next(reason, state(Phase.Succeeded), "promoted", List.of(), t3);
    assertThat(promoted(succeeded).status).isEqualTo("True");
    assertThat(promoted(succeeded).lastTransitionTime).isEqualTo(t3.toString());
    assertThat(promoted(succeeded).lastUpdateTime).isEqualTo(t3.toString());
    assertThat(succeeded.conditions).hasSize(1);
  }

  @Test
  void other_conditions_are_kept_and_only_promoted_is_written() {
    CanaryStatus before = new CanaryStatus();
    before.phase = "Progressing";
    Condition other = new Condition();
    other.type = "Ready";
    other.status = "True";
    other.reason = "Elsewhere";
    before.conditions.add(other);

    CanaryStatus after =
        CanaryStatuses.next(before, state(Phase.Progressing), "step", List.of(), T0);

    assertThat(after.conditions).extracting(c -> c.type).containsExactly("Ready", "Promoted");
    assertThat(after.conditions.get(0).reason).isEqualTo("Elsewhere");
    assertThat(after.conditions.get(0)).isNotSameAs(other);
  }

  @Test
  void each_check_is_appended_to_the_history() {
    List<CheckResult> checks =
        List.of(
            new CheckResult("request-success-rate", 99.5, 99.0, null, true, "ok"),
            new CheckResult("request-duration", 800.0, null, 500.0, false, "too slow"),
            new CheckResult("no-data", null, 1.0, null, false, "no traffic"),
            new CheckResult("nan", Double.NaN, null, null, true, null),
            new CheckResult("lenient", null, null, null, true, "passed without a value"));

    CanaryStatus status = CanaryStatuses.next(null, state(Phase.Progressing), "step", checks, T0);

    assertThat(status.analysisHistory).hasSize(5);
    AnalysisRecord ok = status.analysisHistory.get(0);
    assertThat(ok.time).isEqualTo(T0.toString());
    assertThat(ok.metric).isEqualTo("request-success-rate");
    assertThat(ok.value).isEqualTo(99.5);
    assertThat(ok.thresholdMin).isEqualTo(99.0);
    assertThat(ok.thresholdMax).isNull();
    assertThat(ok.passed).isTrue();
    assertThat(ok.message).isEqualTo("ok");

    AnalysisRecord slow = status.analysisHistory.get(1);
    assertThat(slow.value).isEqualTo(800.0);
    assertThat(slow.thresholdMax).isEqualTo(500.0);
    assertThat(slow.passed).isFalse();
    assertThat(slow.message).isEqualTo("too slow");

    AnalysisRecord noData = status.analysisHistory.get(2);
    assertThat(noData.value).isNull();
    assertThat(noData.passed).isFalse();

    AnalysisRecord nan = status.analysisHistory.get(3);
    assertThat(nan.value).as("NaN is not written (JSON has no NaN)").isNull();
    assertThat(nan.passed).as("NaN never holds").isFalse();
    assertThat(nan.message).isEmpty();

    assertThat(status.analysisHistory.get(4).passed).as("no value never holds").isFalse();

    // the status serializes: no NaN reaches JSON
    assertThat(Serialization.asJson(status)).doesNotContain("NaN");
  }

  @Test
  void the_history_is_appended_across_ticks_and_bounded_keeping_the_newest() {
    CanaryStatus status = null;
    int total = CanaryStatuses.HISTORY_LIMIT + 7;
    for (int i = 0; i < total; i++) {
      status =
          CanaryStatuses.next(
              status,
              state(Phase.Progressing),
              "tick " + i,
              List.of(new CheckResult("m" + i, (double) i, null, null, true, "")),
              T0.plusSeconds(i));
    }

    assertThat(status.analysisHistory).hasSize(CanaryStatuses.HISTORY_LIMIT);
    assertThat(status.analysisHistory)
        .extracting(r -> r.metric)
        .containsExactlyElementsOf(
            IntStream.range(total - CanaryStatuses.HISTORY_LIMIT, total)
                .mapToObj(i -> "m" + i)
                .toList());
  }

  @Test
  void many_checks_in_one_tick_are_bounded_too() {
    List<CheckResult> checks = new ArrayList<>();
    for (int i = 0; i < CanaryStatuses.HISTORY_LIMIT * 2; i++) {
      checks.add(new CheckResult("m" + i, 1.0, null, null, true, ""));
    }

    CanaryStatus status = CanaryStatuses.next(null, state(Phase.Progressing), "", checks, T0);

    assertThat(status.analysisHistory).hasSize(CanaryStatuses.HISTORY_LIMIT);
    assertThat(status.analysisHistory.get(0).metric).isEqualTo("m" + CanaryStatuses.HISTORY_LIMIT);
    assertThat(status.analysisHistory.get(CanaryStatuses.HISTORY_LIMIT - 1).metric)
        .isEqualTo("m" + (CanaryStatuses.HISTORY_LIMIT * 2 - 1));
  }

  @Test
  void next_never_modifies_the_status_before() {
    CanaryStatus before = populated();
    String json = Serialization.asJson(before);
    List<AnalysisRecord> history = before.analysisHistory;
    List<Condition> conditions = before.conditions;
    Condition promoted = before.conditions.get(0);

    List<CheckResult> many = new ArrayList<>();
    for (int i = 0; i < CanaryStatuses.HISTORY_LIMIT + 1; i++) {
      many.add(new CheckResult("new" + i, 1.0, null, null, true, ""));
    }
    CanaryStatus after =
        CanaryStatuses.next(
            before,
            new CanaryState(Phase.Failed, 0, 3, 0, "next", "other", T2, "next"),
            "rolled back",
            many,
            T2);

    assertThat(Serialization.asJson(before)).isEqualTo(json);
    assertThat(before.analysisHistory).isSameAs(history).hasSize(2);
    assertThat(before.conditions).isSameAs(conditions).hasSize(1);
    assertThat(promoted.status).isEqualTo("Unknown");
    assertThat(after).isNotSameAs(before);
    assertThat(after.analysisHistory).isNotSameAs(history);
    assertThat(after.conditions.get(0)).isNotSameAs(promoted);
    assertThat(after.phase).isEqualTo("Failed");
    assertThat(promoted(after).status).isEqualTo("False");
  }

  @Test
  void next_keeps_the_fields_it_does_not_own() {
    CanaryStatus before = populated();

    CanaryStatus after =
        CanaryStatuses.next(before, state(Phase.Progressing), "step", List.of(), T1);

    assertThat(after.trackedConfigs).isEqualTo(Map.of("ConfigMap/podinfo-config", "h1"));
    assertThat(after.sessionAffinityCookie).isEqualTo("cookie-2");
    assertThat(after.previousSessionAffinityCookie).isEqualTo("cookie-1");
    assertThat(after.analysisHistory).extracting(r -> r.metric).containsExactly("old-1", "old-2");
  }

  @Test
  void a_status_with_null_lists_is_copied() {
    CanaryStatus before = new CanaryStatus();
    before.phase = "Progressing";
    before.conditions = null;
    before.analysisHistory = null;

    CanaryStatus after =
        CanaryStatuses.next(
            before,
            state(Phase.Progressing),
            "step",
            List.of(new CheckResult("m", 1.0, null, null, true, "")),
            T0);

    assertThat(after.conditions).hasSize(1);
    assertThat(after.analysisHistory).hasSize(1);
  }

  @Test
  void a_problem_keeps_phase_and_counters_and_changes_only_the_condition() {
    CanaryStatus before = populated();
    String json = Serialization.asJson(before);

    CanaryStatus after =
        CanaryStatuses.problem(before, "InvalidSpec", "spec.service.port is required", T2);

    assertThat(Serialization.asJson(before)).as("before is not modified").isEqualTo(json);
    assertThat(after.phase).isEqualTo("Progressing");
    assertThat(after.canaryWeight).isEqualTo(20);
    assertThat(after.failedChecks).isEqualTo(1);
    assertThat(after.iterations).isEqualTo(3);
    assertThat(after.lastAppliedSpec).isEqualTo("applied");
    assertThat(after.lastPromotedSpec).isEqualTo("promoted");
    assertThat(after.failedRevision).isEqualTo("failed");
    assertThat(after.lastTransitionTime).isEqualTo(T0.toString());
    assertThat(after.trackedConfigs).isEqualTo(before.trackedConfigs);
    assertThat(after.analysisHistory).extracting(r -> r.metric).containsExactly("old-1", "old-2");
    assertThat(after.conditions).hasSize(1);
    Condition condition = promoted(after);
    assertThat(condition.status).isEqualTo("Unknown");
    assertThat(condition.reason).isEqualTo("InvalidSpec");
    assertThat(condition.message).isEqualTo("spec.service.port is required");
    assertThat(condition.lastTransitionTime).as("status stays Unknown").isEqualTo(T0.toString());
    assertThat(condition.lastUpdateTime).isEqualTo(T2.toString());
    assertThat(CanaryStatuses.message(after)).isEqualTo("spec.service.port is required");
    assertThat(CanaryStatuses.state(after)).isEqualTo(CanaryStatuses.state(before));
  }

  @Test
  void a_problem_of_a_new_canary_is_initializing() {
    CanaryStatus status = CanaryStatuses.problem(null, "TargetNotFound", "no Deployment", T0);

    assertThat(status.phase).isEqualTo("Initializing");
    assertThat(status.canaryWeight).isNull();
    assertThat(status.analysisHistory).isEmpty();
    assertThat(promoted(status).status).isEqualTo("Unknown");
    assertThat(promoted(status).reason).isEqualTo("TargetNotFound");
    assertThat(promoted(status).lastTransitionTime).isEqualTo(T0.toString());
    assertThat(CanaryStatuses.state(status)).isEqualTo(CanaryState.initial());
  }

  @Test
  void a_problem_after_a_promotion_turns_the_condition_unknown() {
    CanaryStatus succeeded =
        CanaryStatuses.next(null, state(Phase.Succeeded), "promoted", List.of(), T0);

    CanaryStatus problem = CanaryStatuses.problem(succeeded, "WriteFailed", "conflict", T1);
    CanaryStatus again = CanaryStatuses.problem(problem, "WriteFailed", "conflict", T2);

    assertThat(problem.phase).isEqualTo("Succeeded");
    assertThat(promoted(problem).status).isEqualTo("Unknown");
    assertThat(promoted(problem).lastTransitionTime).isEqualTo(T1.toString());
    assertThat(promoted(again).lastTransitionTime).isEqualTo(T1.toString());
    assertThat(promoted(again).lastUpdateTime).isEqualTo(T1.toString());
  }

  @Test
  void message_of_a_status_without_condition_is_empty() {
    assertThat(CanaryStatuses.message(null)).isEmpty();
    assertThat(CanaryStatuses.message(new CanaryStatus())).isEmpty();
    CanaryStatus nullMessage =
        CanaryStatuses.next(null, state(Phase.Progressing), null, List.of(), T0);
    assertThat(CanaryStatuses.message(nullMessage)).isEmpty();
  }

  private static CanaryState state(Phase phase) {
    return new CanaryState(phase, 10, 0, 0, "applied", "promoted", T0, null);
  }

  private static Condition promoted(CanaryStatus status) {
    return status.conditions.stream()
        .filter(c -> CanaryStatus.CONDITION_PROMOTED.equals(c.type))
        .findFirst()
        .orElseThrow();
  }

  private static CanaryStatus populated() {
    CanaryStatus status = new CanaryStatus();
    status.phase = "Progressing";
    status.canaryWeight = 20;
    status.failedChecks = 1;
    status.iterations = 3;
    status.lastAppliedSpec = "applied";
    status.lastPromotedSpec = "promoted";
    status.failedRevision = "failed";
    status.lastTransitionTime = T0.toString();
    status.trackedConfigs = Map.of("ConfigMap/podinfo-config", "h1");
    status.sessionAffinityCookie = "cookie-2";
    status.previousSessionAffinityCookie = "cookie-1";
    Condition promoted = new Condition();
    promoted.type = CanaryStatus.CONDITION_PROMOTED;
    promoted.status = "Unknown";
    promoted.reason = "Progressing";
    promoted.message = "step 20";
    promoted.lastTransitionTime = T0.toString();
    promoted.lastUpdateTime = T0.toString();
    status.conditions.add(promoted);
    status.analysisHistory.add(
        new AnalysisRecord(
            T0.minus(Duration.ofMinutes(2)).toString(), "old-1", 99.0, 98.0, null, true, "ok"));
    status.analysisHistory.add(
        new AnalysisRecord(
            T0.minus(Duration.ofMinutes(1)).toString(), "old-2", 97.0, 98.0, null, false, "low"));
    return status;
  }

  @Test
  void anInfiniteValueIsKeptInTheMessageNotInTheNumberField() {
    dev.mooring.canary.CanaryState state =
        new dev.mooring.canary.CanaryState(
            dev.mooring.canary.Phase.Progressing, 10, 1, 0, "v2", "v1", null, null);
    var check =
        new dev.mooring.canary.CheckResult(
            "request-duration", Double.POSITIVE_INFINITY, null, 500.0, false, "+inf is above 500");
    var status =
        CanaryStatuses.next(null, state, "m", java.util.List.of(check), java.time.Instant.EPOCH);
    assertThat(status.analysisHistory)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.value).isNull();
              assertThat(r.message).contains("+inf");
            });
  }
}
