package dev.mooring.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Null-safe reads from a live object; absent fields read as "", 0 or a missing node. */
final class Fields {

  private Fields() {}

  /** The node at {@code path}, or a missing node when any step is absent or not an object. */
  static JsonNode at(JsonNode node, String... path) {
    JsonNode current = node == null ? MissingNode.getInstance() : node;
    for (String step : path) {
      current = current.path(step);
    }
    return current;
  }

  /** The text at {@code path}, or "" when absent or null. */
  static String text(JsonNode node, String... path) {
    JsonNode value = at(node, path);
    return value.isValueNode() && !value.isNull() ? value.asText() : "";
  }

  /** The integer at {@code path}, or {@code absent} when absent or not a number. */
  static long number(JsonNode node, long absent, String... path) {
    JsonNode value = at(node, path);
    if (value.isNumber()) {
      return value.asLong();
    }
    // Quantities sometimes arrive as strings from YAML written by hand.
    if (value.isTextual()) {
      try {
        return Long.parseLong(value.asText().trim());
      } catch (NumberFormatException e) {
        return absent;
      }
    }
    return absent;
  }

  /** Whether the value at {@code path} is boolean {@code true} (or the string "true"). */
  static boolean flag(JsonNode node, String... path) {
    JsonNode value = at(node, path);
    return value.asBoolean(false) || "true".equalsIgnoreCase(value.asText());
  }

  /** The API group of an object: "apps" for "apps/v1", "" for the core group "v1". */
  static String group(JsonNode obj) {
    String apiVersion = text(obj, "apiVersion");
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  static String kind(JsonNode obj) {
    return text(obj, "kind");
  }

  /** The first entry of {@code status.conditions} with this type. */
  static Optional<JsonNode> condition(JsonNode obj, String type) {
    for (JsonNode condition : at(obj, "status", "conditions")) {
      if (type.equals(text(condition, "type"))) {
        return Optional.of(condition);
      }
    }
    return Optional.empty();
  }

  /** Whether a condition's status is "True". */
  static boolean isTrue(JsonNode condition) {
    return "True".equalsIgnoreCase(text(condition, "status"));
  }

  /** Whether a condition's status is "False". */
  static boolean isFalse(JsonNode condition) {
    return "False".equalsIgnoreCase(text(condition, "status"));
  }

  /** "reason: message" of a condition, leaving out whichever part is empty. */
  static String explain(JsonNode condition) {
    return join(": ", text(condition, "reason"), text(condition, "message"));
  }

  /** Joins the non-empty parts with {@code separator}. */
  static String join(String separator, String... parts) {
    StringBuilder out = new StringBuilder();
    for (String part : parts) {
      if (part != null && !part.isBlank()) {
        if (out.length() > 0) {
          out.append(separator);
        }
        out.append(part.strip());
      }
    }
    return out.toString();
  }

  /** An RFC 3339 time, or {@code null} when absent or malformed. */
  static Instant time(JsonNode node, String... path) {
    String value = text(node, path);
    if (value.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
