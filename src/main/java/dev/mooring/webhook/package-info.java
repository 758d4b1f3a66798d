/**
 * Git push webhooks: recognising the sending Git host from its headers, verifying the delivery
 * against the configured secret, and reading the pushed repository, ref, commit and changed files
 * from the host's payload. {@link dev.mooring.webhook.PushMatcher} then tells which Applications a
 * push concerns.
 *
 * <p>Entry point: {@link dev.mooring.webhook.WebhookParser#parse}. It is pure (no I/O, no clock)
 * and never throws for bad input: every delivery ends as a {@link
 * dev.mooring.webhook.WebhookOutcome}. No secret and no received signature ever appears in an
 * outcome's message.
 */
package dev.mooring.webhook;
