package dev.mooring.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hides Secret values before an object is shown anywhere (diff, API, page, log).
 *
 * <p>Keys stay visible; each value becomes a run of {@code +}. When two sides are masked together,
 * equal values of one key get the same mask and different values get masks of different lengths
 * ({@code ++++++++} vs {@code +++++++++}), so a diff still shows which keys changed without
 * revealing anything else. Masks are chosen per key, so equal masks under two keys say nothing.
 */
public final class SecretMasker {

  static final String MASK = "++++++++";

  /** Annotations that hold a whole copy of the object, Secret values included. */
  private static final List<String> COPY_ANNOTATIONS =
      List.of(DiffEngine.LAST_APPLIED_ANNOTATION, DiffEngine.LEGACY_LAST_APPLIED_ANNOTATION);

  private static final List<String> SECTIONS = List.of("data", "stringData");

  /** Two objects masked together; either may be null. */
  public record MaskedPair(ObjectNode left, ObjectNode right) {}

  private SecretMasker() {}

  /** A copy of {@code obj} with every Secret value replaced by {@code ++++++++}; null for null. */
  public static ObjectNode mask(ObjectNode obj) {
    return maskPair(obj, null).left();
  }

  /**
   * Copies of both objects masked together, so that a key whose value differs between them gets
   * masks of different lengths. Objects that are not Secrets are copied unchanged.
   */
  public static MaskedPair maskPair(ObjectNode left, ObjectNode right) {
    ObjectNode l = left == null ? null : left.deepCopy();
    ObjectNode r = right == null ? null : right.deepCopy();
    List<ObjectNode> secrets = new ArrayList<>();
    for (ObjectNode obj : new ObjectNode[] {l, r}) {
      if (obj != null && Normalizer.isSecret(obj)) {
        secrets.add(obj);
        maskCopyAnnotations(obj);
      }
    }
    for (String section : SECTIONS) {
      maskSection(secrets, section);
    }
    return new MaskedPair(l, r);
  }

  private static void maskSection(List<ObjectNode> secrets, String section) {
    Set<String> keys = new LinkedHashSet<>();
    for (ObjectNode obj : secrets) {
      obj.path(section).fieldNames().forEachRemaining(keys::add);
    }
    for (String key : keys) {
      Map<String, String> maskByValue = new HashMap<>();
      for (ObjectNode obj : secrets) {
        JsonNode data = obj.get(section);
        if (data != null && data.isObject() && data.has(key)) {
          String value = data.get(key).asText();
          String mask =
              maskByValue.computeIfAbsent(value, v -> MASK + "+".repeat(maskByValue.size()));
          ((ObjectNode) data).put(key, mask);
        }
      }
    }
  }

  private static void maskCopyAnnotations(ObjectNode obj) {
    JsonNode annotations = obj.path("metadata").path("annotations");
    if (annotations.isObject()) {
      for (String name : COPY_ANNOTATIONS) {
        if (annotations.has(name)) {
          ((ObjectNode) annotations).put(name, MASK);
        }
      }
    }
  }
}
