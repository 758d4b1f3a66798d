package dev.mooring.canary.routing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryService;
import java.util.Map;

/**
 * Marks built objects as the canary controller's: the {@code managed-by} label keeps the GitOps
 * side from adopting or pruning them, and the controller ownerReference lets Kubernetes collect
 * them when the Canary is deleted.
 */
public final class Ownership {
  /** Label key shared with the GitOps core. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  /** Value that says "built by the canary controller, not applied from Git". */
  public static final String MANAGED_BY_VALUE = "mooring-canary";

  static final String CANARY_API_VERSION = "mooring.dev/v1alpha1";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private Ownership() {}

  /** Fresh metadata with name, namespace, the managed-by label and, when known, the owner. */
  static ObjectNode metadata(String name, String namespace, Canary canary) {
    ObjectNode meta = JSON.objectNode();
    meta.put("name", name);
    if (namespace != null) {
      meta.put("namespace", namespace);
    }
    meta.putObject("labels");
    stamp(meta, canary);
    return meta;
  }

  /** Adds the managed-by label and (when the Canary is given) the controller ownerReference. */
  static void stamp(ObjectNode meta, Canary canary) {
    ObjectNode labels = meta.get("labels") instanceof ObjectNode l ? l : meta.putObject("labels");
    labels.put(MANAGED_BY, MANAGED_BY_VALUE);
    leaveUnmanaged(meta, canary);
    if (canary == null || canary.getMetadata() == null) {
      return;
    }
    meta.remove("ownerReferences");
    ObjectNode ref = meta.putArray("ownerReferences").addObject();
    ref.put("apiVersion", CANARY_API_VERSION);
    ref.put("kind", "Canary");
    ref.put("name", canary.getMetadata().getName());
    if (canary.getMetadata().getUid() != null) {
      ref.put("uid", canary.getMetadata().getUid());
    }
    ref.put("controller", true);
    ref.put("blockOwnerDeletion", true);
  }

  /**
   * Copies labels and annotations from a GitOps-managed source without the GitOps core's own marks,
   * so the copy is never mistaken for something an Application applied (and pruned).
   */
  static void copyForeignMetadata(ObjectNode from, ObjectNode toMeta) {
    ObjectNode labels = toMeta.with("labels");
    from.path("metadata")
        .path("labels")
        .fields()
        .forEachRemaining(
            e -> {
              if (!isGitOpsMark(e.getKey())) {
                labels.set(e.getKey(), e.getValue().deepCopy());
              }
            });
    ObjectNode annotations = JSON.objectNode();
    from.path("metadata")
        .path("annotations")
        .fields()
        .forEachRemaining(
            e -> {
              if (!isGitOpsMark(e.getKey())) {
                annotations.set(e.getKey(), e.getValue().deepCopy());
              }
            });
    if (!annotations.isEmpty()) {
      toMeta.set("annotations", annotations);
    }
  }

  /** Adds the user's extra labels and annotations (Flagger's service.apex/primary/canary). */
  static void addCustom(ObjectNode meta, Map<String, String> labels, Map<String, String> annos) {
    if (labels != null) {
      labels.forEach(meta.with("labels")::put);
    }
    if (annos != null) {
      annos.forEach(meta.with("annotations")::put);
    }
  }

  /**
   * Takes the keys of {@code service.unmanagedMetadata} out of a generated object's labels and
   * annotations, so that the values other controllers write there are left as they are (the
   * three-way merge keeps what it never wrote). Mooring's own managed-by label always stays.
   */
  static void leaveUnmanaged(ObjectNode meta, Canary canary) {
    CanaryService.UnmanagedMetadata unmanaged =
        canary == null || canary.getSpec() == null || canary.getSpec().service == null
            ? null
            : canary.getSpec().service.unmanagedMetadata;
    if (unmanaged == null) {
      return;
    }
    if (unmanaged.labels != null && meta.get("labels") instanceof ObjectNode labels) {
      unmanaged.labels.stream().filter(k -> !MANAGED_BY.equals(k)).forEach(labels::remove);
    }
    if (unmanaged.annotations != null && meta.get("annotations") instanceof ObjectNode annos) {
      unmanaged.annotations.forEach(annos::remove);
      if (annos.isEmpty()) {
        meta.remove("annotations");
      }
    }
  }

  private static boolean isGitOpsMark(String key) {
    // also what the Deployment controller writes on the source (its rollout revision): copied, it
    // would fight the copy's own controller
    return key.startsWith("mooring.dev/")
        || key.startsWith("deployment.kubernetes.io/")
        || key.equals(MANAGED_BY)
        || key.equals("kubectl.kubernetes.io/last-applied-configuration");
  }
}
