package dev.mooring.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.canary.CanaryState;
import dev.mooring.canary.CheckResult;
import dev.mooring.canary.Phase;
import dev.mooring.model.CanaryStatus;
import dev.mooring.model.CanaryStatus.AnalysisRecord;
import dev.mooring.model.CanaryStatus.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Converts between a Canary's status and the state machine's {@link CanaryState}, and writes a tick
 * into status: phase and counters, the {@code Promoted} condition, and the bounded analysis
 * history. Pure: the next status is a new object, the old one is left as it was.
 */
public final class CanaryStatuses {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** How many checks {@code analysisHistory} keeps, newest last. */
  public static final int HISTORY_LIMIT = 50;

  private CanaryStatuses() {}

  /** The state machine's view of a status; null (a new Canary) gives null. */
  public static CanaryState state(CanaryStatus status) {
    if (status == null || status.phase == null) {
      return null;
    }
    Phase phase;
    try {
      phase = Phase.valueOf(status.phase);
    } catch (IllegalArgumentException e) {
      phase = Phase.Initializing; // a phase written by something else: start over
    }
    return new CanaryState(
        phase,
        value(status.canaryWeight),
        value(status.failedChecks),
        value(status.iterations),
        status.lastAppliedSpec,
        status.lastPromotedSpec,
        parse(status.lastTransitionTime),
        status.failedRevision);
  }

  /**
   * The status after a tick.
   *
   * @param before the current status (not modified); null for a new Canary
   * @param next the state the tick decided
   * @param message the decision's one-line summary
   * @param checks the metric checks run in this tick, appended to the history
   */
  public static CanaryStatus next(
      CanaryStatus before,
      CanaryState next,
      String message,
      List<CheckResult> checks,
      Instant now) {
    return next(before, next, message, checks, List.of(), now);
  }

  /**
   * As {@link #next(CanaryStatus, CanaryState, String, List, Instant)}, with the webhook calls of
   * this tick appended to the history too (each with its type, name, answer and message).
   */
  public static CanaryStatus next(
      CanaryStatus before,
      CanaryState next,
      String message,
      List<CheckResult> checks,
      List<dev.mooring.canary.WebhookResult> webhooks,
      Instant now) {
    Integer measuredAt = before == null ? null : before.canaryWeight;
    CanaryStatus status = copy(before);
    status.phase = next.phase().name();
    status.canaryWeight = next.canaryWeight();
    status.failedChecks = next.failedChecks();
    status.iterations = next.iterations();
    status.lastAppliedSpec = next.lastAppliedSpec();
    status.lastPromotedSpec = next.lastPromotedSpec();
    status.failedRevision = next.failedRevision();
    status.lastTransitionTime =
        next.lastTransitionTime() == null ? null : next.lastTransitionTime().toString();
    promoted(status, promotedStatus(next.phase()), next.phase().name(), message, now);
    for (CheckResult check : checks) {
      status.analysisHistory.add(
          new AnalysisRecord(
              now.toString(),
              check.metric(),
              // status fields are JSON numbers: an infinite value (a latency beyond the last
              // histogram bucket) is kept in the message only
              check.hasData() && Double.isFinite(check.value()) ? check.value() : null,
              check.min(),
              check.max(),
              check.holds(),
              check.message()));
      AnalysisRecord added = status.analysisHistory.get(status.analysisHistory.size() - 1);
      added.weight = measuredAt;
      added.query = check.query();
    }
    for (dev.mooring.canary.WebhookResult hook : webhooks) {
      AnalysisRecord record =
          new AnalysisRecord(
              now.toString(), hook.name(), null, null, null, hook.ok(), hook.message());
      record.webhook = hook.type();
      record.weight = measuredAt;
      status.analysisHistory.add(record);
    }
    int excess = status.analysisHistory.size() - HISTORY_LIMIT;
    if (excess > 0) {
      status.analysisHistory.subList(0, excess).clear();
    }
    return status;
  }

  /**
   * The status with a problem that stops the tick (invalid spec, missing target, a failed write):
   * the phase and counters stay, the condition says what is wrong.
   */
  public static CanaryStatus problem(
      CanaryStatus before, String reason, String message, Instant now) {
    CanaryStatus status = copy(before);
    if (status.phase == null) {
      status.phase = Phase.Initializing.name();
    }
    promoted(status, "Unknown", reason, message, now);
    return status;
  }

  /** Flagger's Promoted condition: True at rest after a promotion, False after a rollback. */
  static String promotedStatus(Phase phase) {
    return switch (phase) {
      case Initialized, Succeeded -> "True";
      case Failed -> "False";
      default -> "Unknown";
    };
  }

  private static void promoted(
      CanaryStatus status, String value, String reason, String message, Instant now) {
    Condition condition =
        status.conditions.stream()
            .filter(c -> CanaryStatus.CONDITION_PROMOTED.equals(c.type))
            .findFirst()
            .orElse(null);
    if (condition == null) {
      condition = new Condition();
      condition.type = CanaryStatus.CONDITION_PROMOTED;
      status.conditions.add(condition);
    }
    if (!value.equals(condition.status)) {
      condition.lastTransitionTime = now.toString();
    }
    if (!value.equals(condition.status)
        || !Objects.equals(reason, condition.reason)
        || !Objects.equals(message, condition.message)) {
      condition.lastUpdateTime = now.toString();
    }
    condition.status = value;
    condition.reason = reason;
    condition.message = message;
  }

  /**
   * Sets the {@code Unsupported} condition (True with what has no effect, one sentence each), or
   * removes it when everything the Canary asks for is done.
   *
   * @return the condition's message when it is new or changed, else null (nothing to tell)
   */
  public static String unsupported(
      CanaryStatus before, CanaryStatus status, List<String> what, Instant now) {
    Condition previous =
        before == null || before.conditions == null
            ? null
            : before.conditions.stream()
                .filter(c -> CONDITION_UNSUPPORTED.equals(c.type))
                .findFirst()
                .orElse(null);
    status.conditions.removeIf(c -> CONDITION_UNSUPPORTED.equals(c.type));
    if (what.isEmpty()) {
      return null;
    }
    String message = String.join("; ", what);
    if (previous != null && message.equals(previous.message)) {
      status.conditions.add(previous); // unchanged: nothing new to write or tell
      return null;
    }
    Condition condition = new Condition();
    condition.type = CONDITION_UNSUPPORTED;
    condition.status = "True";
    condition.reason = "NotImplemented";
    condition.message = message;
    condition.lastUpdateTime = now.toString();
    condition.lastTransitionTime =
        previous != null && previous.lastTransitionTime != null
            ? previous.lastTransitionTime
            : now.toString();
    status.conditions.add(condition);
    return message;
  }

  /** The condition naming what a Canary asks for that has no effect. */
  public static final String CONDITION_UNSUPPORTED = "Unsupported";

  /** The Promoted condition's message, or empty. */
  public static String message(CanaryStatus status) {
    if (status == null || status.conditions == null) {
      return "";
    }
    return status.conditions.stream()
        .filter(c -> CanaryStatus.CONDITION_PROMOTED.equals(c.type))
        .map(c -> c.message == null ? "" : c.message)
        .findFirst()
        .orElse("");
  }

  /** A deep copy (a new status when there is none), so that {@code before} is never changed. */
  static CanaryStatus copy(CanaryStatus before) {
    return before == null ? new CanaryStatus() : MAPPER.convertValue(before, CanaryStatus.class);
  }

  private static int value(Integer value) {
    return value == null ? 0 : value;
  }

  private static Instant parse(String time) {
    try {
      return time == null ? null : Instant.parse(time);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }
}
