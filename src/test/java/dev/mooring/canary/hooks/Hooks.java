package dev.mooring.canary.hooks;

import dev.mooring.model.CanaryAnalysis.Webhook;
import java.util.Map;

/** Webhooks as a Canary's author writes them, for the tests. */
final class Hooks {
  private Hooks() {}

  static Webhook hook(String name, String type, String url) {
    Webhook hook = new Webhook();
    hook.name = name;
    hook.type = type;
    hook.url = url;
    return hook;
  }

  static Webhook hook(String name, String type, String url, Map<String, String> metadata) {
    Webhook hook = hook(name, type, url);
    hook.metadata = metadata;
    return hook;
  }

  static HookCall callOf(Webhook hook) {
    return new HookCall("podinfo", "test", "Progressing", "abc123", hook);
  }
}
