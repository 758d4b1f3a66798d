package dev.mooring.canary.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.model.Canary;
import dev.mooring.model.CanarySpec;
import java.util.List;
import java.util.Map;

/**
 * The primary's autoscaler, as Flagger's scaler reconcilers make it from {@code
 * spec.autoscalerRef}: a copy of the target's HorizontalPodAutoscaler (autoscaling/v2) or KEDA
 * ScaledObject named {@code <autoscaler>-primary} that scales {@code <target>-primary}, owned by
 * the Canary. {@code autoscalerRef.primaryScalerReplicas} overrides the copy's bounds; for a
 * ScaledObject, each trigger's {@code metadata.query} is {@code
 * autoscalerRef.primaryScalerQueries[<trigger name>]} when given, else the target's query with the
 * target's name (and its {@code -canary} name) replaced by the primary's. Pure.
 */
public final class PrimaryScaler {
  /** KEDA's annotation that holds a ScaledObject's target at a fixed replica count. */
  public static final String KEDA_PAUSED_REPLICAS = "autoscaling.keda.sh/paused-replicas";

  public static final String HPA = "HorizontalPodAutoscaler";
  public static final String SCALED_OBJECT = "ScaledObject";

  /** autoscalerRef kinds and their default apiVersions. */
  public static final Map<String, String> KINDS =
      Map.of(HPA, "autoscaling/v2", SCALED_OBJECT, "keda.sh/v1alpha1");

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private PrimaryScaler() {}

  /** The kind of {@code autoscalerRef}: HorizontalPodAutoscaler when unset. */
  public static String kind(CanarySpec.AutoscalerRef ref) {
    return ref.kind == null || ref.kind.isBlank() ? HPA : ref.kind.strip();
  }

  /** The apiVersion of {@code autoscalerRef}: the kind's default when unset. */
  public static String apiVersion(CanarySpec.AutoscalerRef ref) {
    return ref.apiVersion == null || ref.apiVersion.isBlank()
        ? KINDS.getOrDefault(kind(ref), "autoscaling/v2")
        : ref.apiVersion.strip();
  }

  /** Why this autoscalerRef cannot be used, or null. */
  public static String problem(CanarySpec.AutoscalerRef ref) {
    if (ref == null) {
      return null;
    }
    if (ref.name == null || ref.name.isBlank()) {
      return "spec.autoscalerRef.name is required";
    }
    String kind = kind(ref);
    if (!KINDS.containsKey(kind)) {
      return "spec.autoscalerRef.kind " + kind + " is not supported (" + KINDS.keySet() + ")";
    }
    if (kind.equals(HPA) && !apiVersion(ref).equals("autoscaling/v2")) {
      return "spec.autoscalerRef.apiVersion "
          + apiVersion(ref)
          + " is not served by current Kubernetes; use autoscaling/v2";
    }
    CanarySpec.PrimaryScalerReplicas bounds = ref.primaryScalerReplicas;
    if (bounds != null
        && bounds.minReplicas != null
        && bounds.maxReplicas != null
        && bounds.minReplicas > bounds.maxReplicas) {
      return "spec.autoscalerRef.primaryScalerReplicas.minReplicas is above maxReplicas";
    }
    return null;
  }

  /**
   * The primary's copy of the target's autoscaler.
   *
   * @param scaler the live HorizontalPodAutoscaler or ScaledObject named by {@code autoscalerRef}
   */
  public static ObjectNode primary(ObjectNode scaler, Canary canary) {
    CanarySpec spec = canary.getSpec();
    CanarySpec.AutoscalerRef ref = spec.autoscalerRef;
    String kind = kind(ref);
    String primaryTarget = spec.targetRef.name + PrimaryBuilder.PRIMARY_SUFFIX;
    ObjectNode copy = JSON.objectNode();
    copy.put("apiVersion", scaler.path("apiVersion").asText(apiVersion(ref)));
    copy.put("kind", kind);
    JsonNode meta = scaler.path("metadata");
    ObjectNode copyMeta =
        Ownership.metadata(
            meta.path("name").asText() + PrimaryBuilder.PRIMARY_SUFFIX,
            meta.path("namespace").textValue(),
            null);
    Ownership.copyForeignMetadata(scaler, copyMeta);
    if (copyMeta.get("annotations") instanceof ObjectNode annotations) {
      annotations.remove(KEDA_PAUSED_REPLICAS); // the target's pause is not the primary's
      if (annotations.isEmpty()) {
        copyMeta.remove("annotations");
      }
    }
    Ownership.stamp(copyMeta, canary);
    copy.set("metadata", copyMeta);
    JsonNode source = scaler.path("spec");
    ObjectNode target = copy.putObject("spec");
    CanarySpec.PrimaryScalerReplicas bounds = ref.primaryScalerReplicas;
    if (kind.equals(HPA)) {
      ObjectNode scaleTarget = scaleTarget(source.path("scaleTargetRef"), primaryTarget);
      target.set("scaleTargetRef", scaleTarget);
      copyFields(source, target, List.of("minReplicas", "maxReplicas", "metrics", "behavior"));
      if (bounds != null && bounds.minReplicas != null) {
        target.put("minReplicas", bounds.minReplicas);
      }
      if (bounds != null && bounds.maxReplicas != null) {
        target.put("maxReplicas", bounds.maxReplicas);
      }
    } else {
      ObjectNode scaleTarget = scaleTarget(source.path("scaleTargetRef"), primaryTarget);
      if (source.path("scaleTargetRef").has("envSourceContainerName")) {
        scaleTarget.set(
            "envSourceContainerName",
            source.path("scaleTargetRef").get("envSourceContainerName").deepCopy());
      }
      target.set("scaleTargetRef", scaleTarget);
      copyFields(
          source,
          target,
          List.of(
              "pollingInterval",
              "cooldownPeriod",
              "initialCooldownPeriod",
              "idleReplicaCount",
              "minReplicaCount",
              "maxReplicaCount",
              "advanced",
              "fallback",
              "triggers"));
      if (bounds != null && bounds.minReplicas != null) {
        target.put("minReplicaCount", bounds.minReplicas);
      }
      if (bounds != null && bounds.maxReplicas != null) {
        target.put("maxReplicaCount", bounds.maxReplicas);
      }
      for (JsonNode trigger : target.path("triggers")) {
        if (trigger.path("metadata") instanceof ObjectNode metadata
            && metadata.path("query").isTextual()) {
          metadata.put(
              "query",
              primaryQuery(
                  metadata.path("query").asText(),
                  trigger.path("name").asText(""),
                  spec.targetRef.name,
                  ref.primaryScalerQueries));
        }
      }
    }
    return copy;
  }

  /**
   * A trigger's query for the primary: the one given for this trigger's name, else the query with
   * {@code <target>-canary} and {@code <target>} both replaced by {@code <target>-primary}.
   */
  static String primaryQuery(
      String query, String triggerName, String targetName, Map<String, String> given) {
    if (given != null && !triggerName.isEmpty() && given.containsKey(triggerName)) {
      return given.get(triggerName);
    }
    String primaryName = targetName + PrimaryBuilder.PRIMARY_SUFFIX;
    String marker = "\u0000primary\u0000";
    return query
        .replace(primaryName, marker)
        .replace(targetName + "-canary", marker)
        .replace(targetName, marker)
        .replace(marker, primaryName);
  }

  /**
   * The replicas the canary starts with when scaled up from zero under an autoscaler: the
   * autoscaler's minimum when above 1, else 1 (Flagger's ScaleFromZero).
   */
  public static int startReplicas(ObjectNode scaler) {
    if (scaler == null) {
      return 1;
    }
    JsonNode spec = scaler.path("spec");
    int min =
        SCALED_OBJECT.equals(scaler.path("kind").asText())
            ? spec.path("minReplicaCount").asInt(0)
            : spec.path("minReplicas").asInt(1);
    return Math.max(min, 1);
  }

  private static ObjectNode scaleTarget(JsonNode source, String name) {
    ObjectNode ref = JSON.objectNode();
    if (source.has("apiVersion")) {
      ref.set("apiVersion", source.get("apiVersion").deepCopy());
    }
    if (source.has("kind")) {
      ref.set("kind", source.get("kind").deepCopy());
    }
    ref.put("name", name);
    return ref;
  }

  private static void copyFields(JsonNode from, ObjectNode to, List<String> fields) {
    for (String field : fields) {
      if (from.has(field) && !from.get(field).isNull()) {
        to.set(field, from.get(field).deepCopy());
      }
    }
  }
}
