package dev.mooring.sync;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Sync options such as {@code CreateNamespace=true}, from the Application's syncOptions or an
 * object's {@code mooring.dev/sync-options} annotation. Unknown options are kept and ignored.
 */
public record SyncOptions(Map<String, String> values) {

  public static SyncOptions parse(Collection<String> options) {
    Map<String, String> values = new HashMap<>();
    if (options != null) {
      for (String option : options) {
        for (String part : option.split(",")) {
          int eq = part.indexOf('=');
          if (eq > 0) {
            values.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
          }
        }
      }
    }
    return new SyncOptions(Map.copyOf(values));
  }

  public static SyncOptions parse(String annotation) {
    return annotation == null ? new SyncOptions(Map.of()) : parse(java.util.List.of(annotation));
  }

  public boolean isTrue(String name) {
    return "true".equalsIgnoreCase(values.get(name));
  }

  public boolean isFalse(String name) {
    return "false".equalsIgnoreCase(values.get(name));
  }

  /** This object's options override the application's. */
  public SyncOptions overriddenBy(SyncOptions objectOptions) {
    Map<String, String> merged = new HashMap<>(values);
    merged.putAll(objectOptions.values);
    return new SyncOptions(Map.copyOf(merged));
  }
}
