package dev.mooring.canary;

/**
 * The answer of one webhook call, as the controller got it.
 *
 * @param name the {@link HookSpec#name()} it answers for
 * @param type the hook's type
 * @param ok true for a 2xx answer within the timeout (after retries)
 * @param message what went wrong, or what the hook said
 */
public record WebhookResult(String name, String type, boolean ok, String message) {

  public WebhookResult {
    message = message == null ? "" : message;
  }
}
