package dev.mooring.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.controller.AutoSyncPolicy.Decision;
import dev.mooring.controller.AutoSyncPolicy.Decision.Kind;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.model.ApplicationStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AutoSyncPolicyTest {
  private static final String REV = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  private static final String NEWER = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  private static final Instant FINISHED = Instant.parse("2025-01-01T10:00:00Z");

  @Test
  void an_application_without_automated_sync_never_syncs_by_itself() {
    ApplicationSpec manual = new ApplicationSpec();
    ApplicationSpec policyWithoutAutomated = new ApplicationSpec();
    policyWithoutAutomated.syncPolicy = new ApplicationSpec.SyncPolicy();

    assertThat(decide(manual, null, REV, false, 0, FINISHED).kind()).isEqualTo(Kind.NONE);
    assertThat(decide(policyWithoutAutomated, null, REV, false, 0, FINISHED).kind())
        .isEqualTo(Kind.NONE);
  }

  @Test
  void an_application_in_sync_is_left_alone_even_at_a_new_revision() {
    Decision d =
        decide(automated(false, 2), finished("Succeeded", REV, 0), NEWER, true, 0, FINISHED);

    assertThat(d.kind()).isEqualTo(Kind.NONE);
  }

  @Test
  void a_new_revision_syncs_at_once_with_no_retries_counted() {
    Decision first = decide(automated(false, 2), null, REV, false, 0, FINISHED);
    Decision next =
        decide(automated(false, 2), finished("Succeeded", REV, 0), NEWER, false, 0, FINISHED);

    assertThat(first.kind()).isEqualTo(Kind.SYNC);
    assertThat(first.retryCount()).isZero();
    assertThat(first.notBefore()).isNull();
    assertThat(next.kind()).isEqualTo(Kind.SYNC);
    assertThat(next.retryCount()).isZero();
    assertThat(next.reason()).contains("2222222").doesNotContain("2222222b");
  }

  @Test
  void a_failed_revision_waits_for_the_backoff_then_retries() {
    ApplicationSpec spec = automated(false, 2);
    ApplicationStatus failed = finished("Failed", REV, 0);

    Decision early = decide(spec, failed, REV, false, 0, FINISHED.plusSeconds(1));
    Decision due = decide(spec, failed, REV, false, 0, FINISHED.plusSeconds(5));

    assertThat(early.kind()).isEqualTo(Kind.WAIT);
    assertThat(early.notBefore()).isEqualTo(FINISHED.plusSeconds(5));
    assertThat(early.retryCount()).isEqualTo(1);
    assertThat(due.kind()).isEqualTo(Kind.SYNC);
    assertThat(due.retryCount()).isEqualTo(1);
  }

  @Test
  void the_second_retry_waits_twice_as_long() {
    ApplicationSpec spec = automated(false, 2);
    ApplicationStatus failedOnce = finished("Failed", REV, 1);

    Decision early = decide(spec, failedOnce, REV, false, 0, FINISHED.plusSeconds(9));
    Decision due = decide(spec, failedOnce, REV, false, 0, FINISHED.plusSeconds(10));

    assertThat(early.kind()).isEqualTo(Kind.WAIT);
    assertThat(early.notBefore()).isEqualTo(FINISHED.plusSeconds(10));
    assertThat(due.kind()).isEqualTo(Kind.SYNC);
    assertThat(due.retryCount()).isEqualTo(2);
  }

  @Test
  void an_error_phase_is_retried_like_a_failure() {
    Decision d =
        decide(
            automated(false, 2), finished("Error", REV, 0), REV, false, 0, FINISHED.plusSeconds(5));

    assertThat(d.kind()).isEqualTo(Kind.SYNC);
    assertThat(d.retryCount()).isEqualTo(1);
  }

  @Test
  void after_the_retry_limit_a_failed_revision_waits_for_a_new_commit() {
    Decision d =
        decide(
            automated(false, 2),
            finished("Failed", REV, 2),
            REV,
            false,
            0,
            FINISHED.plusSeconds(3600));

    assertThat(d.kind()).isEqualTo(Kind.NONE);
    assertThat(d.retryCount()).isEqualTo(2);
    assertThat(d.reason()).contains("1111111").contains("waiting for a new commit");
  }

  @Test
  void without_a_retry_policy_a_failure_is_not_retried() {
    ApplicationSpec spec = automated(false, 2);
    spec.syncPolicy.retry = null;

    Decision d =
        decide(spec, finished("Failed", REV, 0), REV, false, 0, FINISHED.plusSeconds(3600));

    assertThat(d.kind()).isEqualTo(Kind.NONE);
  }

  @Test
  void a_negative_retry_limit_retries_without_end() {
    Decision d =
        decide(
            automated(false, -1),
            finished("Failed", REV, 50),
            REV,
            false,
            0,
            FINISHED.plusSeconds(180));

    assertThat(d.kind()).isEqualTo(Kind.SYNC);
    assertThat(d.retryCount()).isEqualTo(51);
  }

  @Test
  void a_newer_commit_after_a_failure_syncs_at_once() {
    ApplicationSpec spec = automated(false, 2);

    Decision exhausted = decide(spec, finished("Failed", REV, 2), NEWER, false, 0, FINISHED);
    Decision midBackoff =
        decide(spec, finished("Failed", REV, 0), NEWER, false, 0, FINISHED.plusSeconds(1));

    assertThat(exhausted.kind()).isEqualTo(Kind.SYNC);
    assertThat(exhausted.retryCount()).isZero();
    assertThat(midBackoff.kind()).isEqualTo(Kind.SYNC);
    assertThat(midBackoff.notBefore()).isNull();
  }

  @Test
  void drift_without_self_heal_is_only_reported() {
    Decision d =
        decide(
            automated(false, 2),
            finished("Succeeded", REV, 0),
            REV,
            false,
            0,
            FINISHED.plusSeconds(60));

    assertThat(d.kind()).isEqualTo(Kind.NONE);
    assertThat(d.reason()).contains("selfHeal is off");
  }

  @Test
  void the_first_self_heal_happens_at_once() {
    Decision d = decide(automated(true, 2), finished("Succeeded", REV, 0), REV, false, 0, FINISHED);

    assertThat(d.kind()).isEqualTo(Kind.SELF_HEAL);
    assertThat(d.retryCount()).isZero();
  }

  @Test
  void later_self_heals_wait_2_6_and_18_seconds_after_the_last_sync() {
    ApplicationSpec spec = automated(true, 2);
    ApplicationStatus synced = finished("Succeeded", REV, 0);
    long[] delays = {2, 6, 18};

    for (int attempt = 1; attempt <= 3; attempt++) {
      Instant due = FINISHED.plusSeconds(delays[attempt - 1]);
      Decision early = decide(spec, synced, REV, false, attempt, due.minusMillis(1));
      Decision onTime = decide(spec, synced, REV, false, attempt, due);

      assertThat(early.kind()).as("attempt %d early", attempt).isEqualTo(Kind.WAIT);
      assertThat(early.notBefore()).as("attempt %d due", attempt).isEqualTo(due);
      assertThat(onTime.kind()).as("attempt %d on time", attempt).isEqualTo(Kind.SELF_HEAL);
    }
  }

  @Test
  void the_self_heal_delay_is_capped_at_five_minutes() {
    assertThat(AutoSyncPolicy.healDelay(0)).isZero();
    assertThat(AutoSyncPolicy.healDelay(5)).isEqualTo(Duration.ofSeconds(162));
    assertThat(AutoSyncPolicy.healDelay(6)).isEqualTo(Duration.ofMinutes(5));
    assertThat(AutoSyncPolicy.healDelay(1000)).isEqualTo(Duration.ofMinutes(5));

    Decision d =
        decide(automated(true, 2), finished("Succeeded", REV, 0), REV, false, 40, FINISHED);
    assertThat(d.kind()).isEqualTo(Kind.WAIT);
    assertThat(d.notBefore()).isEqualTo(FINISHED.plus(Duration.ofMinutes(5)));
  }

  @Test
  void the_backoff_follows_duration_factor_and_max_duration() {
    ApplicationSpec.Retry retry = retry(5, "1s", 3, "10s");

    assertThat(AutoSyncPolicy.backoff(retry, 0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(AutoSyncPolicy.backoff(retry, 1)).isEqualTo(Duration.ofSeconds(3));
    assertThat(AutoSyncPolicy.backoff(retry, 2)).isEqualTo(Duration.ofSeconds(9));
    assertThat(AutoSyncPolicy.backoff(retry, 3)).isEqualTo(Duration.ofSeconds(10));
    assertThat(AutoSyncPolicy.backoff(retry, 100)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void the_backoff_defaults_to_5s_doubling_up_to_3m() {
    assertThat(AutoSyncPolicy.backoff(null, 0)).isEqualTo(Duration.ofSeconds(5));
    assertThat(AutoSyncPolicy.backoff(retry(5, null, null, null), 2))
        .isEqualTo(Duration.ofSeconds(20));
    assertThat(AutoSyncPolicy.backoff(retry(5, "garbage", null, "never"), 10))
        .isEqualTo(Duration.ofMinutes(3));
  }

  @Test
  void a_configured_backoff_sets_when_a_retry_is_due() {
    ApplicationSpec spec = automated(false, 3);
    spec.syncPolicy.retry.backoff = retry(3, "1s", 3, "10s").backoff;

    Decision d = decide(spec, finished("Failed", REV, 2), REV, false, 0, FINISHED);

    assertThat(d.kind()).isEqualTo(Kind.WAIT);
    assertThat(d.notBefore()).isEqualTo(FINISHED.plusSeconds(9));
    assertThat(d.retryCount()).isEqualTo(3);
  }

  @Test
  void after_a_dry_run_the_newest_deployment_decides_not_a_failed_sync_after_it() {
    ApplicationStatus status = finished("Succeeded", NEWER, 0);
    status.operationState.operation = new dev.mooring.model.Operation();
    status.operationState.operation.sync = new dev.mooring.model.Operation.Sync();
    status.operationState.operation.sync.dryRun = true;
    StatusBuilder.addHistory(status, REV, null, "alice", FINISHED, 10, null, "Succeeded", null);
    StatusBuilder.addHistory(status, NEWER, null, "bob", FINISHED, 10, null, "Failed", "quota");

    // REV is what is deployed: drift of it is self-heal's, not a new revision to sync
    assertThat(decide(automated(true, 2), status, REV, false, 0, FINISHED).kind())
        .isEqualTo(Kind.SELF_HEAL);
    assertThat(decide(automated(false, 2), status, REV, false, 0, FINISHED).kind())
        .isEqualTo(Kind.NONE);
  }

  private static Decision decide(
      ApplicationSpec spec,
      ApplicationStatus status,
      String revision,
      boolean inSync,
      int healAttempts,
      Instant now) {
    return AutoSyncPolicy.decide(spec, status, revision, inSync, healAttempts, now);
  }

  private static ApplicationSpec automated(boolean selfHeal, int retryLimit) {
    ApplicationSpec spec = new ApplicationSpec();
    spec.syncPolicy = new ApplicationSpec.SyncPolicy();
    spec.syncPolicy.automated = new ApplicationSpec.Automated();
    spec.syncPolicy.automated.selfHeal = selfHeal;
    spec.syncPolicy.retry = new ApplicationSpec.Retry();
    spec.syncPolicy.retry.limit = retryLimit;
    return spec;
  }

  private static ApplicationSpec.Retry retry(
      int limit, String duration, Integer factor, String maxDuration) {
    ApplicationSpec.Retry retry = new ApplicationSpec.Retry();
    retry.limit = limit;
    retry.backoff = new ApplicationSpec.Backoff();
    retry.backoff.duration = duration;
    retry.backoff.factor = factor;
    retry.backoff.maxDuration = maxDuration;
    return retry;
  }

  private static ApplicationStatus finished(String phase, String revision, int retryCount) {
    ApplicationStatus status = new ApplicationStatus();
    status.operationState = new ApplicationStatus.OperationState();
    status.operationState.phase = phase;
    status.operationState.startedAt = FINISHED.minusSeconds(3).toString();
    status.operationState.finishedAt = FINISHED.toString();
    status.operationState.retryCount = retryCount;
    status.operationState.syncResult = new ApplicationStatus.SyncResult();
    status.operationState.syncResult.revision = revision;
    return status;
  }
}
