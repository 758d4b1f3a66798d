package dev.mooring.diff;

import java.util.List;
import java.util.Set;

/**
 * Where the Kubernetes schema types a field as a resource quantity, so that {@code 1000m} and
 * {@code 1} are the same value there, and only there: a ConfigMap value, a label, an argument or an
 * env value {@code "1.10"} is text, and differs from {@code "1.1"}.
 */
final class QuantityFields {
  private static final Set<String> LIMIT_RANGE_FIELDS =
      Set.of("max", "min", "default", "defaultRequest", "maxLimitRequestRatio");

  private QuantityFields() {}

  /**
   * True when the scalar at {@code path} (field names from the object root, list indexes left out)
   * of an object of {@code kind} is a quantity by schema.
   */
  static boolean isQuantity(String kind, List<String> path) {
    int n = path.size();
    if (n < 2) {
      return false;
    }
    String field = path.get(n - 1);
    String parent = path.get(n - 2);
    if (field.equals("sizeLimit")) {
      return true; // emptyDir
    }
    if ((parent.equals("limits") || parent.equals("requests"))
        && n >= 3
        && path.get(n - 3).equals("resources")) {
      return true; // containers, pods, PersistentVolumeClaims, volumeClaimTemplates
    }
    return switch (kind == null ? "" : kind) {
      case "ResourceQuota" -> parent.equals("hard");
      case "PersistentVolume" -> parent.equals("capacity");
      case "LimitRange" -> LIMIT_RANGE_FIELDS.contains(parent);
      case "HorizontalPodAutoscaler" ->
          parent.equals("target") && (field.equals("averageValue") || field.equals("value"));
      case "CSIStorageCapacity" -> field.equals("capacity") || field.equals("maximumVolumeSize");
      default -> parent.equals("overhead"); // RuntimeClass and pods
    };
  }
}
