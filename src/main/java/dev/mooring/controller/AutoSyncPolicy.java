package dev.mooring.controller;

import dev.mooring.model.ApplicationSpec;
import dev.mooring.model.ApplicationStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * When an automated Application syncs by itself. Pure: decides from spec, last operation and the
 * comparison. A failed revision is retried per syncPolicy.retry and then left alone until a newer
 * commit arrives, which is synced at once (a new commit supersedes a failed one).
 */
public final class AutoSyncPolicy {
  static final Duration HEAL_BASE = Duration.ofSeconds(2);
  static final Duration HEAL_MAX = Duration.ofMinutes(5);

  /** What to do now. */
  public record Decision(Kind kind, int retryCount, Instant notBefore, String reason) {
    /** The decision's kind. */
    public enum Kind {
      NONE,
      SYNC,
      SELF_HEAL,
      WAIT
    }
  }

  private AutoSyncPolicy() {}

  /**
   * @param healAttempts self-heal syncs already made for the current revision since it was last in
   *     sync
   */
  public static Decision decide(
      ApplicationSpec spec,
      ApplicationStatus status,
      String revision,
      boolean inSync,
      int healAttempts,
      Instant now) {
    ApplicationSpec.SyncPolicy policy = spec.syncPolicy;
    if (policy == null || policy.automated == null) {
      return new Decision(Decision.Kind.NONE, 0, null, "automated sync is off");
    }
    if (inSync) {
      return new Decision(Decision.Kind.NONE, 0, null, "in sync");
    }
    ApplicationStatus.OperationState last = status == null ? null : status.operationState;
    if (last != null
        && last.operation != null
        && last.operation.sync != null
        && Boolean.TRUE.equals(last.operation.sync.dryRun)) {
      last = null; // a dry run wrote nothing: it says nothing about what is deployed
      ApplicationStatus.HistoryEntry deployed = null;
      for (int i = status.history == null ? -1 : status.history.size() - 1;
          i >= 0 && deployed == null;
          i--) {
        if (!StatusBuilder.isFailure(status.history.get(i))) {
          deployed = status.history.get(i); // the newest deployment: failed syncs are entries too
        }
      }
      if (deployed != null) {
        if (revision.equals(deployed.revision) && !Boolean.TRUE.equals(policy.automated.selfHeal)) {
          return new Decision(Decision.Kind.NONE, 0, null, "OutOfSync; selfHeal is off");
        }
        if (revision.equals(deployed.revision)) {
          return new Decision(Decision.Kind.SELF_HEAL, 0, null, "self-heal");
        }
      }
      return new Decision(Decision.Kind.SYNC, 0, null, "new revision " + shortSha(revision));
    }
    String lastRevision = last == null || last.syncResult == null ? null : last.syncResult.revision;
    if (last == null || !revision.equals(lastRevision)) {
      return new Decision(Decision.Kind.SYNC, 0, null, "new revision " + shortSha(revision));
    }
    Instant finished = parse(last.finishedAt, now);
    if ("Failed".equals(last.phase) || "Error".equals(last.phase)) {
      int limit = policy.retry == null || policy.retry.limit == null ? 0 : policy.retry.limit;
      int count = last.retryCount == null ? 0 : last.retryCount;
      if (limit >= 0 && count >= limit) {
        return new Decision(
            Decision.Kind.NONE,
            count,
            null,
            "sync of " + shortSha(revision) + " failed; waiting for a new commit or a manual sync");
      }
      Instant due = finished.plus(backoff(policy.retry, count));
      return now.isBefore(due)
          ? new Decision(Decision.Kind.WAIT, count + 1, due, "retry " + (count + 1) + " pending")
          : new Decision(Decision.Kind.SYNC, count + 1, null, "retry " + (count + 1));
    }
    if (!Boolean.TRUE.equals(policy.automated.selfHeal)) {
      return new Decision(Decision.Kind.NONE, 0, null, "OutOfSync; selfHeal is off");
    }
    Instant due = finished.plus(healDelay(healAttempts));
    return now.isBefore(due)
        ? new Decision(Decision.Kind.WAIT, 0, due, "self-heal pending")
        : new Decision(Decision.Kind.SELF_HEAL, 0, null, "self-heal");
  }

  /** 0 for the first attempt, then 2s, 6s, 18s ... capped at 5 minutes. */
  static Duration healDelay(int attempts) {
    if (attempts <= 0) {
      return Duration.ZERO;
    }
    double millis = HEAL_BASE.toMillis() * Math.pow(3, attempts - 1);
    return millis >= HEAL_MAX.toMillis() ? HEAL_MAX : Duration.ofMillis((long) millis);
  }

  /** syncPolicy.retry.backoff, with Argo CD's defaults: 5s, factor 2, at most 3m. */
  static Duration backoff(ApplicationSpec.Retry retry, int count) {
    ApplicationSpec.Backoff b = retry == null ? null : retry.backoff;
    Duration base = Durations.parse(b == null ? null : b.duration, Duration.ofSeconds(5));
    int factor = b == null || b.factor == null ? 2 : b.factor;
    Duration max = Durations.parse(b == null ? null : b.maxDuration, Duration.ofMinutes(3));
    double millis = base.toMillis() * Math.pow(factor, count);
    return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
  }

  static String shortSha(String sha) {
    return sha != null && sha.length() > 7 ? sha.substring(0, 7) : String.valueOf(sha);
  }

  private static Instant parse(String time, Instant fallback) {
    try {
      return time == null ? fallback : Instant.parse(time);
    } catch (RuntimeException e) {
      return fallback;
    }
  }
}
