package dev.mooring.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.model.ApplicationSpec;
import dev.mooring.model.ApplicationStatus;
import dev.mooring.model.ApplicationStatus.Condition;
import dev.mooring.model.ApplicationStatus.HistoryEntry;
import dev.mooring.model.Operation;
import dev.mooring.sync.ResourceKey;
import dev.mooring.sync.SyncOutcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusBuilderTest {
  private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

  @Test
  void aFailedSyncIsAHistoryEntryWithWhyAndItsRepeatsReplaceIt() {
    ApplicationStatus status = new ApplicationStatus();
    StatusBuilder.addHistory(status, "good", source(), "alice", T0, 10, "works", "Succeeded", "ok");
    StatusBuilder.addHistory(
        status, "bad", source(), "auto", T0.plusSeconds(1), 10, "breaks", "Failed", "quota");
    StatusBuilder.addHistory(
        status, "bad", source(), "auto", T0.plusSeconds(2), 10, "breaks", "Failed", "quota again");
    assertThat(status.history).extracting(h -> h.id).containsExactly(1L, 2L);
    HistoryEntry failed = status.history.get(1);
    assertThat(failed.result).isEqualTo("Failed");
    assertThat(failed.message).isEqualTo("quota again");
    assertThat(failed.subject).isEqualTo("breaks");
    assertThat(StatusBuilder.isFailure(failed)).isTrue();
    assertThat(status.history.get(0).message).as("a deployment needs no why").isNull();
    assertThat(StatusBuilder.isFailure(status.history.get(0))).isFalse();

    StatusBuilder.addHistory(
        status, "fixed", source(), "bob", T0.plusSeconds(3), 10, "fix", "Succeeded", "");
    assertThat(status.history).extracting(h -> h.revision).containsExactly("good", "bad", "fixed");
  }

  @Test
  void aFullHistoryDropsFailedSyncsBeforeDeployments() {
    ApplicationStatus status = new ApplicationStatus();
    StatusBuilder.addHistory(status, "r1", source(), "a", T0, 3, null, "Succeeded", null);
    StatusBuilder.addHistory(status, "r2", source(), "a", T0, 3, null, "Failed", "x");
    StatusBuilder.addHistory(status, "r3", source(), "a", T0, 3, null, "Succeeded", null);
    StatusBuilder.addHistory(status, "r4", source(), "a", T0, 3, null, "Succeeded", null);
    assertThat(status.history).extracting(h -> h.revision).containsExactly("r1", "r3", "r4");
    StatusBuilder.addHistory(status, "r5", source(), "a", T0, 3, null, "Terminated", "stopped");
    assertThat(status.history).extracting(h -> h.revision).containsExactly("r3", "r4", "r5");
  }

  @Test
  void history_keeps_the_newest_entries_up_to_the_limit_newest_last() {
    ApplicationStatus status = new ApplicationStatus();

    for (int i = 1; i <= 5; i++) {
      StatusBuilder.addHistory(status, "rev" + i, source(), "auto", T0.plusSeconds(i), 3);
    }

    assertThat(status.history).extracting(h -> h.revision).containsExactly("rev3", "rev4", "rev5");
    assertThat(status.history).extracting(h -> h.id).containsExactly(3L, 4L, 5L);
    HistoryEntry newest = status.history.get(2);
    assertThat(newest.deployedAt).isEqualTo(T0.plusSeconds(5).toString());
    assertThat(newest.initiatedBy).isEqualTo("auto");
    assertThat(newest.source.repoURL).isEqualTo("https://git.example/repo.git");
  }

  @Test
  void history_ids_keep_increasing_when_the_limit_shrinks() {
    ApplicationStatus status = new ApplicationStatus();
    for (int i = 1; i <= 4; i++) {
      StatusBuilder.addHistory(status, "rev" + i, source(), "alice", T0, 10);
    }

    StatusBuilder.addHistory(status, "rev5", source(), "alice", T0, 2);

    assertThat(status.history).extracting(h -> h.id).containsExactly(4L, 5L);
  }

  @Test
  void a_limit_below_one_still_keeps_the_newest_deployment() {
    ApplicationStatus status = new ApplicationStatus();

    StatusBuilder.addHistory(status, "rev1", source(), "alice", T0, 0);
    StatusBuilder.addHistory(status, "rev2", source(), "alice", T0, 0);

    assertThat(status.history).singleElement().satisfies(h -> assertThat(h.id).isEqualTo(2L));
  }

  @Test
  void the_ready_condition_keeps_its_transition_time_while_the_status_is_unchanged() {
    ApplicationStatus status = new ApplicationStatus();

    StatusBuilder.ready(status, true, "Synced", "all good", T0);
    StatusBuilder.ready(status, true, "Healthy", null, T0.plusSeconds(60));

    assertThat(status.conditions)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.type).isEqualTo("Ready");
              assertThat(c.status).isEqualTo("True");
              assertThat(c.reason).isEqualTo("Healthy");
              assertThat(c.message).isEmpty();
              assertThat(c.lastTransitionTime).isEqualTo(T0.toString());
            });
  }

  @Test
  void the_ready_condition_moves_its_transition_time_when_the_status_flips() {
    ApplicationStatus status = new ApplicationStatus();

    StatusBuilder.ready(status, true, "Synced", "", T0);
    StatusBuilder.ready(status, false, "SyncFailed", "boom", T0.plusSeconds(60));

    assertThat(status.conditions)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.status).isEqualTo("False");
              assertThat(c.message).isEqualTo("boom");
              assertThat(c.lastTransitionTime).isEqualTo(T0.plusSeconds(60).toString());
            });
  }

  @Test
  void setting_ready_leaves_other_conditions_alone() {
    ApplicationStatus status = new ApplicationStatus();
    Condition other = new Condition();
    other.type = "Stalled";
    other.status = "False";
    status.conditions = List.of(other);

    StatusBuilder.ready(status, true, "Synced", "", T0);

    assertThat(status.conditions).extracting(c -> c.type).containsExactly("Stalled", "Ready");
  }

  @Test
  void the_operation_state_records_phase_times_retries_and_each_resource_result() {
    Operation op = new Operation();
    SyncOutcome outcome =
        new SyncOutcome(
            SyncOutcome.Phase.Failed,
            "one failed",
            List.of(
                new SyncOutcome.ResourceResult(
                    new ResourceKey("apps", "Deployment", "shop", "web"), "configured", null),
                new SyncOutcome.ResourceResult(
                    new ResourceKey("", "ConfigMap", "shop", "cfg"), "created", "ok")));

    ApplicationStatus.OperationState state =
        StatusBuilder.operationState(op, outcome, "abc", T0, T0.plusSeconds(4), 2);

    assertThat(state.operation).isSameAs(op);
    assertThat(state.phase).isEqualTo("Failed");
    assertThat(state.message).isEqualTo("one failed");
    assertThat(state.startedAt).isEqualTo("2025-01-01T10:00:00Z");
    assertThat(state.finishedAt).isEqualTo("2025-01-01T10:00:04Z");
    assertThat(state.retryCount).isEqualTo(2);
    assertThat(state.syncResult.revision).isEqualTo("abc");
    assertThat(state.syncResult.resources)
        .extracting(
            r ->
                r.group
                    + "/"
                    + r.kind
                    + " "
                    + r.namespace
                    + "/"
                    + r.name
                    + " "
                    + r.action
                    + " ["
                    + r.message
                    + "]")
        .containsExactly(
            "apps/Deployment shop/web configured []", "/ConfigMap shop/cfg created [ok]");
  }

  private static ApplicationSpec.Source source() {
    ApplicationSpec.Source source = new ApplicationSpec.Source();
    source.repoURL = "https://git.example/repo.git";
    source.path = "apps/web";
    return source;
  }
}
