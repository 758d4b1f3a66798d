package dev.mooring.diff;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The merge keys of the Kubernetes lists that strategic merge patch merges by key rather than
 * replacing whole; every other list is atomic.
 *
 * <p>Keys are chosen by the list's field name (and, for ports, by what holds them), which covers
 * Pods, pod templates of workloads, Jobs and CronJobs alike.
 */
record ListKeys(List<String> fields) {

  private static final Map<String, List<String>> BY_FIELD =
      Map.of(
          "containers", List.of("name"),
          "initContainers", List.of("name"),
          "ephemeralContainers", List.of("name"),
          "env", List.of("name"),
          "volumes", List.of("name"),
          "volumeMounts", List.of("mountPath"),
          "volumeDevices", List.of("devicePath"),
          "imagePullSecrets", List.of("name"));

  private static final List<String> CONTAINER_LISTS =
      List.of("containers", "initContainers", "ephemeralContainers");

  /**
   * The keys of the list at {@code path} (field names from the object root, without list indexes),
   * or empty when the list is atomic.
   */
  static Optional<ListKeys> forPath(String kind, List<String> path) {
    String field = path.get(path.size() - 1);
    if (field.equals("ports")) {
      String parent = path.size() > 1 ? path.get(path.size() - 2) : "";
      if (CONTAINER_LISTS.contains(parent)) {
        return Optional.of(new ListKeys(List.of("containerPort", "protocol")));
      }
      if ("Service".equals(kind) && path.equals(List.of("spec", "ports"))) {
        return Optional.of(new ListKeys(List.of("port", "protocol")));
      }
      return Optional.empty();
    }
    return Optional.ofNullable(BY_FIELD.get(field)).map(ListKeys::new);
  }

  /**
   * The key of one list entry, or empty when it has none (then the list is treated as atomic).
   * Protocol defaults to TCP as the API server does; numbers and numeric strings give one key.
   */
  Optional<String> keyOf(JsonNode entry) {
    if (!entry.isObject()) {
      return Optional.empty();
    }
    StringBuilder key = new StringBuilder();
    for (String f : fields) {
      JsonNode v = entry.get(f);
      if (Normalizer.isAbsent(v) || v.isContainerNode()) {
        if (!f.equals("protocol")) {
          return Optional.empty();
        }
        v = null;
      }
      key.append(v == null ? "TCP" : v.asText()).append('\u0000');
    }
    return Optional.of(key.toString());
  }
}
