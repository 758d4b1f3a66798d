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
   * True when two scalar JSON values are the same value: equal JSON, or equal numbers ({@code 1}
   * and {@code 1.0}). Text is compared as text: {@code "80"} is not {@code 80} (the server rejects
   * a string for a number, and for int-or-string fields they differ), {@code "1.10"} is not {@code
   * "1.1"}. Where the schema says quantity, {@link #sameQuantity} applies instead.
   */
  public static boolean sameScalar(JsonNode a, JsonNode b) {
    if (isAbsent(a) || isAbsent(b)) {
      return isAbsent(a) && isAbsent(b);
    }
    if (a.equals(b)) {
      return true;
    }
    return a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0;
  }

  /**
   * True when two values of a quantity field are the same quantity: {@code "1000m"} and {@code
   * "1"}, {@code "1Gi"} and {@code 1073741824}, {@code 0.5} and {@code "500m"}.
   */
  public static boolean sameQuantity(JsonNode a, JsonNode b) {
    if (sameScalar(a, b)) {
      return true;
    }
    if (isAbsent(a) || isAbsent(b) || a.isContainerNode() || b.isContainerNode()) {
      return false;
    }
    Optional<BigDecimal> x =
        a.isNumber() ? Optional.of(a.decimalValue()) : Quantity.parse(a.asText());
    Optional<BigDecimal> y =
        b.isNumber() ? Optional.of(b.decimalValue()) : Quantity.parse(b.asText());
    return x.isPresent() && y.isPresent() && x.get().compareTo(y.get()) == 0;
  }

  /** {@link #sameQuantity} where the schema types {@code path} as a quantity, else sameScalar. */
  static boolean sameAt(String kind, java.util.List<String> path, JsonNode a, JsonNode b) {
    return QuantityFields.isQuantity(kind, path) ? sameQuantity(a, b) : sameScalar(a, b);
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
