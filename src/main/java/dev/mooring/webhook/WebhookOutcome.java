package dev.mooring.webhook;

/**
 * What became of one webhook delivery. Messages are safe to return to the sender and to log: they
 * never hold a secret or the received signature.
 */
public sealed interface WebhookOutcome
    permits WebhookOutcome.Push, WebhookOutcome.Ignored, WebhookOutcome.Rejected {

  /** A verified push: refresh the Applications it concerns (see {@link PushMatcher}). */
  record Push(PushEvent event) implements WebhookOutcome {}

  /**
   * A verified delivery that needs no work: a ping, an event other than a push, a deleted ref.
   * Answer 200 with an empty list.
   */
  record Ignored(Provider provider, String deliveryId, String reason) implements WebhookOutcome {}

  /**
   * A refused delivery.
   *
   * @param status the HTTP status to answer: 400 for a malformed delivery or an unknown sender, 401
   *     for a missing or wrong signature or token, or when no secret is configured
   * @param error a short machine-readable code: {@code unrecognised}, {@code malformed}, {@code
   *     unauthorized}
   * @param message a sentence for a person
   */
  record Rejected(int status, String error, String message) implements WebhookOutcome {

    static Rejected malformed(String message) {
      return new Rejected(400, "malformed", message);
    }

    static Rejected unauthorized(String message) {
      return new Rejected(401, "unauthorized", message);
    }
  }
}
