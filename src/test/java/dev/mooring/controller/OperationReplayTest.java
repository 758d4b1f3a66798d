package dev.mooring.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.model.ApplicationSpec;
import dev.mooring.model.ApplicationStatus;
import dev.mooring.model.Operation;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A requested operation never runs twice, and a dry run never stands for a deployment. */
class OperationReplayTest {

  private static Operation sync(Boolean dryRun) {
    Operation op = new Operation();
    op.sync = new Operation.Sync();
    op.sync.dryRun = dryRun;
    op.initiatedBy = new Operation.InitiatedBy();
    op.initiatedBy.username = "alice";
    return op;
  }

  private static ApplicationStatus finished(Operation op, long generation, String revision) {
    ApplicationStatus status = new ApplicationStatus();
    status.operationState = new ApplicationStatus.OperationState();
    status.operationState.operation = op;
    status.operationState.phase = "Succeeded";
    status.operationState.finishedAt = Instant.parse("2026-11-22T01:00:00Z").toString();
    status.operationState.generation = generation;
    status.operationState.syncResult = new ApplicationStatus.SyncResult();
    status.operationState.syncResult.revision = revision;
    return status;
  }

  @Test
  void theSameOperationAtTheSameGenerationIsRecognisedAsAlreadyRun() {
    assertThat(OperationRunner.alreadyRan(sync(null), finished(sync(null), 4, "a"), 4L)).isTrue();
  }

  @Test
  void anIdenticalNewRequestChangesTheGenerationAndRuns() {
    assertThat(OperationRunner.alreadyRan(sync(null), finished(sync(null), 4, "a"), 5L)).isFalse();
  }

  @Test
  void aDifferentOperationRuns() {
    assertThat(OperationRunner.alreadyRan(sync(true), finished(sync(null), 4, "a"), 4L)).isFalse();
  }

  @Test
  void aDryRunOfANewRevisionDoesNotStopAutomatedSyncFromApplyingIt() {
    ApplicationSpec spec = new ApplicationSpec();
    spec.syncPolicy = new ApplicationSpec.SyncPolicy();
    spec.syncPolicy.automated = new ApplicationSpec.Automated();
    ApplicationStatus status = finished(sync(true), 4, "new");
    AutoSyncPolicy.Decision d =
        AutoSyncPolicy.decide(spec, status, "new", false, 0, Instant.parse("2026-11-22T01:00:05Z"));
    assertThat(d.kind()).isEqualTo(AutoSyncPolicy.Decision.Kind.SYNC);
  }
}
