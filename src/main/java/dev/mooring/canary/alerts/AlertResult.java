package dev.mooring.canary.alerts;

/**
 * What happened to one of a Canary's {@code analysis.alerts[]} for one event.
 *
 * @param alert the alert's {@code name} (its provider's name when it has none)
 * @param provider the AlertProvider as {@code namespace/name}
 * @param message why it was skipped or what went wrong; "" when sent. Never holds an address or a
 *     token beyond the address's host.
 */
public record AlertResult(String alert, String provider, Outcome outcome, String message) {

  /** Sent, not sent on purpose, or failed. */
  public enum Outcome {
    /** The provider answered with a 2xx. */
    SENT,
    /** The event's severity is below the alert's. */
    SKIPPED_SEVERITY,
    /** The webhook whose gate raised the event has {@code muteAlert: true}. */
    MUTED,
    /** Not sent: no such provider or Secret, a bad spec, an HTTP error, a timeout. */
    FAILED
  }

  public AlertResult {
    message = message == null ? "" : message;
  }

  public boolean failed() {
    return outcome == Outcome.FAILED;
  }
}
