package dev.mooring.canary.alerts;

import dev.mooring.canary.HookSpec;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryAnalysis;
import java.util.List;
import java.util.Optional;

/**
 * Which of the controller's Canary Events Flagger alerts on, and how severely. By Event reason:
 *
 * <ul>
 *   <li>{@code Initialized}: info, with {@link AlertMetadata} (Flagger: "initialization
 *       completed");
 *   <li>{@code Progressing} "New revision ... Scaling up the canary": info, with metadata (a
 *       restarted analysis is not alerted, as in Flagger);
 *   <li>{@code Waiting}, {@code WaitingPromotion} and {@code Progressing} "waiting for traffic
 *       increase approval": warn, unless the closed gate's webhook has {@code muteAlert: true};
 *   <li>{@code Rollback}: warn when a rollback webhook asked for it, else error (failed-checks
 *       threshold, progress deadline);
 *   <li>{@code Succeeded}: info (promotion finished, or analysis skipped).
 * </ul>
 *
 * Other Events (single failed checks, weight steps, ...) are not alerted, as in Flagger.
 */
public final class AlertEvents {
  static final String WAITING_ROLLOUT = "Halt advancement: waiting for rollout approval ";
  static final String WAITING_TRAFFIC = "Halt advancement: waiting for traffic increase approval ";
  static final String WAITING_PROMOTION = "Halt advancement: waiting for promotion approval ";

  private AlertEvents() {}

  /**
   * What to alert for an Event.
   *
   * @param withMetadata whether the alert carries {@link AlertMetadata}'s fields
   * @param mutedBy the name of the muted webhook whose closed gate raised the Event, or null
   */
  public record Alert(Severity severity, boolean withMetadata, String mutedBy) {}

  /** The alert for an Event recorded on the Canary, or empty when Flagger sends none for it. */
  public static Optional<Alert> of(Canary canary, String reason, String message) {
    String text = message == null ? "" : message;
    if (reason == null) {
      return Optional.empty();
    }
    return switch (reason) {
      case "Initialized" -> Optional.of(new Alert(Severity.INFO, true, null));
      case "Succeeded" -> Optional.of(new Alert(Severity.INFO, false, null));
      case "Rollback" ->
          Optional.of(
              new Alert(
                  text.contains("Rollback webhook ") ? Severity.WARN : Severity.ERROR,
                  false,
                  null));
      case "Waiting" -> gate(canary, HookSpec.CONFIRM_ROLLOUT, WAITING_ROLLOUT, text);
      case "WaitingPromotion" -> gate(canary, HookSpec.CONFIRM_PROMOTION, WAITING_PROMOTION, text);
      case "Progressing" -> progressing(canary, text);
      default -> Optional.empty();
    };
  }

  private static Optional<Alert> progressing(Canary canary, String text) {
    if (text.startsWith(WAITING_TRAFFIC)) {
      return gate(canary, HookSpec.CONFIRM_TRAFFIC_INCREASE, WAITING_TRAFFIC, text);
    }
    if (text.startsWith("New revision ") && text.contains("Scaling up")) {
      return Optional.of(new Alert(Severity.INFO, true, null));
    }
    return Optional.empty();
  }

  /** A warning for a closed gate, muted when the webhook that closed it says so. */
  private static Optional<Alert> gate(Canary canary, String hookType, String prefix, String text) {
    String named = text.startsWith(prefix) ? text.substring(prefix.length()) : "";
    CanaryAnalysis.Webhook closing = null;
    for (CanaryAnalysis.Webhook hook : webhooks(canary)) {
      if (!hookType.equals(hook.type) || hook.name == null) {
        continue;
      }
      boolean matches = named.equals(hook.name) || named.startsWith(hook.name + " (");
      // the longest matching name wins: "gate" and "gate (2)" are different hooks
      if (matches && (closing == null || hook.name.length() > closing.name.length())) {
        closing = hook;
      }
    }
    boolean muted = closing != null && Boolean.TRUE.equals(closing.muteAlert);
    return Optional.of(new Alert(Severity.WARN, false, muted ? closing.name : null));
  }

  private static List<CanaryAnalysis.Webhook> webhooks(Canary canary) {
    CanaryAnalysis analysis =
        canary.getSpec() == null ? null : canary.getSpec().effectiveAnalysis();
    return analysis == null || analysis.webhooks == null ? List.of() : analysis.webhooks;
  }
}
