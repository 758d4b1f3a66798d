package dev.mooring.canary.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The one label that tells a workload's pods apart, found as Flagger does: the first of {@code
 * app}, {@code name}, {@code app.kubernetes.io/name} in the target's selector. The primary's pods
 * get the same key with the value suffixed {@code -primary}.
 *
 * @param key label key
 * @param value the target's value; the primary's is {@link #primaryValue()}
 */
public record PodSelector(String key, String value) {
  /** Label keys looked for, in order (Flagger's default {@code -selector-labels}). */
  public static final List<String> KEYS = List.of("app", "name", "app.kubernetes.io/name");

  /** Finds the selector label of a Deployment; fails when it has none Flagger would accept. */
  public static PodSelector of(ObjectNode target) {
    JsonNode matchLabels = target.path("spec").path("selector").path("matchLabels");
    for (String key : KEYS) {
      if (matchLabels.hasNonNull(key)) {
        return new PodSelector(key, matchLabels.get(key).asText());
      }
    }
    throw new IllegalArgumentException(
        "target "
            + target.path("metadata").path("name").asText()
            + " has no selector label among "
            + KEYS);
  }

  /** The label value of the primary's pods. */
  public String primaryValue() {
    return value + "-primary";
  }
}
