package dev.mooring.canary;

import java.util.ArrayList;
import java.util.List;

/**
 * The answers of all webhooks of one type in this tick.
 *
 * @param complete false when some hook of the type has no result yet (it must be run first)
 * @param ok the hooks that answered ok
 * @param failed the hooks that did not
 */
record HookVerdict(boolean complete, List<WebhookResult> ok, List<WebhookResult> failed) {

  static HookVerdict of(AnalysisSettings settings, Observation observation, String type) {
    List<WebhookResult> ok = new ArrayList<>();
    List<WebhookResult> failed = new ArrayList<>();
    for (HookSpec hook : settings.hooksOfType(type)) {
      WebhookResult result = observation.webhookResults().get(hook.name());
      if (result == null) {
        return new HookVerdict(false, List.of(), List.of());
      }
      (result.ok() ? ok : failed).add(result);
    }
    return new HookVerdict(true, ok, failed);
  }

  /** True when every hook answered ok (also when there are none). */
  boolean allOk() {
    return failed.isEmpty();
  }

  /** "name (message)" of the first failed hook, for events. */
  String firstFailure() {
    return failed.isEmpty() ? "" : describe(failed.get(0));
  }

  /** "name (message)" of the first ok hook, for events. */
  String firstOk() {
    return ok.isEmpty() ? "" : describe(ok.get(0));
  }

  private static String describe(WebhookResult result) {
    return result.message().isBlank()
        ? result.name()
        : result.name() + " (" + result.message() + ")";
  }
}
