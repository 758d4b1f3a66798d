package dev.mooring.controller;

import dev.mooring.health.Health;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.model.ApplicationStatus;
import dev.mooring.model.ApplicationStatus.Condition;
import dev.mooring.model.ApplicationStatus.HealthInfo;
import dev.mooring.model.ApplicationStatus.ResourceStatus;
import dev.mooring.model.Operation;
import dev.mooring.sync.Comparison;
import dev.mooring.sync.ResourceKey;
import dev.mooring.sync.SyncOutcome;
import dev.mooring.sync.SyncPlanner.Candidate;
import dev.mooring.sync.SyncPlanner.Orphan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns comparisons and sync outcomes into the Application's status. Pure. */
public final class StatusBuilder {
  private StatusBuilder() {}

  /** sync, health and the resource inventory from a comparison. */
  public static void applyComparison(ApplicationStatus status, Comparison cmp) {
    ApplicationStatus.SyncInfo sync = new ApplicationStatus.SyncInfo();
    sync.status = cmp.inSync() ? "Synced" : "OutOfSync";
    sync.revision = cmp.revision();
    if (status.sync != null && java.util.Objects.equals(status.sync.revision, sync.revision)) {
      sync.commit = status.sync.commit; // the same commit: what is known of it stays
    }
    status.sync = sync;
    Health health = cmp.appHealth();
    status.health = new HealthInfo(health.status().name(), health.message());
    List<ResourceStatus> resources = new ArrayList<>();
    for (Candidate c : cmp.candidates()) {
      ResourceStatus r = resource(c.key(), c.type().version());
      r.status = c.inSync() ? "Synced" : "OutOfSync";
      r.message = c.problem();
      int wave = c.desired() == null ? 0 : dev.mooring.sync.Tracking.wave(c.desired());
      r.wave = wave == 0 ? null : wave;
      Health h = cmp.health().get(c.key());
      r.health = new HealthInfo(h.status().name(), h.message());
      resources.add(r);
    }
    for (Orphan o : cmp.orphans()) {
      ResourceStatus r = resource(o.key(), o.type().version());
      r.status = "OutOfSync";
      r.requiresPruning = true;
      resources.add(r);
    }
    status.resources = resources;
  }

  private static ResourceStatus resource(ResourceKey key, String version) {
    ResourceStatus r = new ResourceStatus();
    r.group = key.group();
    r.version = version;
    r.kind = key.kind();
    r.namespace = key.namespace();
    r.name = key.name();
    return r;
  }

  /**
   * The operationState of a finished sync: every resource it created, configured, pruned, skipped
   * or failed; resources that were in sync and stayed so only when the operation named them.
   */
  public static ApplicationStatus.OperationState operationState(
      Operation operation,
      SyncOutcome outcome,
      String revision,
      Instant started,
      Instant finished,
      int retryCount) {
    ApplicationStatus.OperationState state = new ApplicationStatus.OperationState();
    state.operation = operation;
    state.phase = outcome.phase().name();
    state.message = outcome.message();
    state.startedAt = started.toString();
    state.finishedAt = finished.toString();
    state.retryCount = retryCount;
    ApplicationStatus.SyncResult result = new ApplicationStatus.SyncResult();
    result.revision = revision;
    boolean selected =
        operation != null
            && operation.sync != null
            && operation.sync.resources != null
            && !operation.sync.resources.isEmpty();
    for (SyncOutcome.ResourceResult rr : outcome.resources()) {
      if (!selected && "unchanged".equals(rr.action()) && rr.message() == null) {
        // what was in sync and stayed so is in status.resources; listing it here would double a
        // large app's status (and the cost of every write of it) for nothing
        continue;
      }
      result.resources.add(resourceResult(rr));
    }
    state.syncResult = result;
    return state;
  }

  /** One resource's result as the status records it. */
  public static ApplicationStatus.ResourceResult resourceResult(SyncOutcome.ResourceResult rr) {
    ApplicationStatus.ResourceResult r = new ApplicationStatus.ResourceResult();
    r.group = rr.key().group();
    r.kind = rr.key().kind();
    r.namespace = rr.key().namespace();
    r.name = rr.key().name();
    r.action = rr.action();
    r.message = rr.message() == null ? "" : rr.message();
    r.hookType = rr.hookType();
    r.hookPhase = rr.hookPhase();
    return r;
  }

  /** Appends a deployment to the history, newest last, keeping at most {@code limit}. */
  public static void addHistory(
      ApplicationStatus status,
      String revision,
      ApplicationSpec.Source source,
      String initiatedBy,
      Instant at,
      int limit) {
    addHistory(status, revision, source, initiatedBy, at, limit, null, "Succeeded", null);
  }

  /**
   * Appends a sync to the history, newest last, keeping at most {@code limit}. A failed sync is
   * recorded too, so that the history says who tried what and why it failed; a failure repeating
   * the newest entry's (same revision, same result: automated retries) replaces it, and failures
   * are dropped before deployments when the history is full, so that rollback targets stay.
   */
  public static void addHistory(
      ApplicationStatus status,
      String revision,
      ApplicationSpec.Source source,
      String initiatedBy,
      Instant at,
      int limit,
      String subject,
      String result,
      String message) {
    List<ApplicationStatus.HistoryEntry> history = new ArrayList<>(status.history);
    boolean deployed = "Succeeded".equals(result);
    long nextId = history.stream().mapToLong(h -> h.id == null ? 0 : h.id).max().orElse(0) + 1;
    if (!deployed && !history.isEmpty()) {
      ApplicationStatus.HistoryEntry newest = history.get(history.size() - 1);
      if (result.equals(newest.result) && java.util.Objects.equals(revision, newest.revision)) {
        history.remove(history.size() - 1);
        nextId = newest.id;
      }
    }
    ApplicationStatus.HistoryEntry entry = new ApplicationStatus.HistoryEntry();
    entry.id = nextId;
    entry.revision = revision;
    entry.deployedAt = at.toString();
    entry.initiatedBy = initiatedBy;
    entry.source = source;
    entry.subject = subject;
    entry.result = result;
    entry.message = deployed ? null : message;
    history.add(entry);
    while (history.size() > Math.max(1, limit)) {
      int failed = -1;
      for (int i = 0; i < history.size() - 1 && failed < 0; i++) {
        if (isFailure(history.get(i))) {
          failed = i;
        }
      }
      history.remove(failed < 0 ? 0 : failed);
    }
    status.history = history;
  }

  /**
   * Whether a history entry records a sync that did not deploy (so it cannot be rolled back to).
   */
  public static boolean isFailure(ApplicationStatus.HistoryEntry entry) {
    return entry.result != null && !"Succeeded".equals(entry.result);
  }

  /** Sets the Ready condition, keeping lastTransitionTime when the status does not change. */
  public static void ready(
      ApplicationStatus status, boolean ready, String reason, String message, Instant now) {
    condition(status, "Ready", ready ? "True" : "False", reason, message, now);
  }

  /**
   * Sets a condition (keeping its transition time while its status stays), or removes it when
   * {@code state} is null.
   */
  public static void condition(
      ApplicationStatus status,
      String type,
      String state,
      String reason,
      String message,
      Instant now) {
    if (state == null) {
      status.conditions =
          new ArrayList<>(status.conditions.stream().filter(c -> !type.equals(c.type)).toList());
      return;
    }
    Condition previous =
        status.conditions.stream().filter(c -> type.equals(c.type)).findFirst().orElse(null);
    Condition c = new Condition();
    c.type = type;
    c.status = state;
    c.reason = reason;
    c.message = message == null ? "" : message;
    c.lastTransitionTime =
        previous != null && c.status.equals(previous.status) && previous.lastTransitionTime != null
            ? previous.lastTransitionTime
            : now.toString();
    List<Condition> conditions = new ArrayList<>();
    for (Condition other : status.conditions) {
      if (!type.equals(other.type)) {
        conditions.add(other);
      }
    }
    conditions.add(c);
    status.conditions = conditions;
  }
}
