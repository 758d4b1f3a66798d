package dev.mooring.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What counts as "the same" to the API server, so that values it merely re-spells never show up as
 * a difference.
 */
public final class Normalizer {

  /**
   * Struct fields where {@code {}} means something different from the field being absent (an empty
   * emptyDir volume source, a selector that matches everything). Elsewhere the server drops empty
   * maps and lists, so an empty one in Git equals an absent one in the cluster.
   */
  private static final Set<String> MEANINGFUL_EMPTY =
      Set.of("emptyDir", "namespaceSelector", "podSelector");

  private Normalizer() {}

  /**
   * True when two scalar JSON values mean the same to the API server: equal text, equal numbers
   * ({@code "80"} vs {@code 80}), equal booleans ({@code true} vs {@code "true"}), or equal
   * quantities ({@code "1000m"} vs {@code "1"}, {@code "1Gi"} vs {@code "1073741824"}).
   */
  public static boolean sameScalar(JsonNode a, JsonNode b) {
    if (isAbsent(a) || isAbsent(b)) {
      return isAbsent(a) && isAbsent(b);
    }
    if (a.equals(b)) {
      return true;
    }
    if (a.isContainerNode() || b.isContainerNode()) {
      return false;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isBoolean() || b.isBoolean()) {
      return a.asText().equals(b.asText());
    }
    if (a.isNumber() || b.isNumber()) {
      BigDecimal number = a.isNumber() ? a.decimalValue() : b.decimalValue();
      Optional<BigDecimal> text = Quantity.parse(a.isNumber() ? b.asText() : a.asText());
      return text.isPresent() && text.get().compareTo(number) == 0;
    }
    if (a.isTextual() && b.isTextual()) {
      return a.asText().equals(b.asText()) || Quantity.sameValue(a.asText(), b.asText());
    }
    return false;
  }

  /** True for a missing field or an explicit JSON null. */
  static boolean isAbsent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  /**
   * True when a value set in Git under {@code field} equals the field being absent in the cluster:
   * an empty list, or an empty map that is not one of the few meaningful empty structs.
   */
  static boolean emptyEqualsAbsent(String field, JsonNode desired) {
    if (isAbsent(desired)) {
      return true;
    }
    if (desired.isArray()) {
      return desired.isEmpty();
    }
    return desired.isObject() && desired.isEmpty() && !MEANINGFUL_EMPTY.contains(field);
  }

  /**
   * A copy of a Secret with {@code stringData} folded into {@code data} (base64), which is what the
   * API server stores; other objects are returned as a copy unchanged.
   */
  public static ObjectNode foldStringData(ObjectNode obj) {
    ObjectNode copy = obj.deepCopy();
    if (!isSecret(copy) || !copy.path("stringData").isObject()) {
      return copy;
    }
    ObjectNode stringData = (ObjectNode) copy.remove("stringData");
    ObjectNode data =
        copy.path("data").isObject() ? (ObjectNode) copy.get("data") : copy.putObject("data");
    Iterator<Map.Entry<String, JsonNode>> fields = stringData.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      byte[] raw = e.getValue().asText().getBytes(StandardCharsets.UTF_8);
      data.put(e.getKey(), Base64.getEncoder().encodeToString(raw));
    }
    return copy;
  }

  /** True for a core/v1 Secret. */
  static boolean isSecret(JsonNode obj) {
    return obj != null
        && "Secret".equals(obj.path("kind").asText())
        && "v1".equals(obj.path("apiVersion").asText("v1"));
  }
}
