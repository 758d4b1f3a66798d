package dev.mooring.canary.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.model.Canary;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the primary side of a Deployment canary as Flagger does: {@code <target>-primary}, whose
 * pods carry the selector label value {@code <value>-primary} and read {@code -primary} copies of
 * the target's ConfigMaps and Secrets, so a change to the target's configuration cannot leak into
 * the primary before promotion.
 */
public final class PrimaryBuilder {
  /** Suffix of the primary Deployment, ConfigMaps and Secrets. */
  public static final String PRIMARY_SUFFIX = "-primary";

  // Sorted keys make the hash independent of field order in the API server's answers.
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  /** Deployment fields copied from the target besides the template. */
  private static final List<String> COPIED_SPEC_FIELDS =
      List.of("minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds", "strategy");

  /** DaemonSet fields copied from the target besides the template (Flagger's). */
  private static final List<String> COPIED_DAEMONSET_FIELDS =
      List.of("minReadySeconds", "revisionHistoryLimit", "updateStrategy");

  public static final String DAEMON_SET = "DaemonSet";

  /**
   * The node selector that "scales a DaemonSet to zero" (no node matches it), as Flagger does with
   * its own {@code flagger.app/scale-to-zero}; both keys are ignored when the template is compared
   * or copied, so a DaemonSet that Flagger left scaled down is taken over as it is.
   */
  public static final String SCALE_TO_ZERO = "mooring.dev/scale-to-zero";

  static final List<String> SCALE_TO_ZERO_KEYS =
      List.of(SCALE_TO_ZERO, "flagger.app/scale-to-zero");

  /** Whether the workload is a DaemonSet (else a Deployment). */
  public static boolean isDaemonSet(JsonNode workload) {
    return DAEMON_SET.equals(workload.path("kind").asText());
  }

  /** Whether a DaemonSet's pod template carries the scale-to-zero node selector. */
  public static boolean scaledToZero(JsonNode daemonSet) {
    JsonNode selector = daemonSet.path("spec").path("template").path("spec").path("nodeSelector");
    return SCALE_TO_ZERO_KEYS.stream().anyMatch(selector::has);
  }

  /** Removes the scale-to-zero keys, and a node selector left empty, from a pod template. */
  static void withoutScaleToZero(ObjectNode template) {
    if (template.path("spec").path("nodeSelector") instanceof ObjectNode selector) {
      SCALE_TO_ZERO_KEYS.forEach(selector::remove);
      if (selector.isEmpty()) {
        ((ObjectNode) template.get("spec")).remove("nodeSelector");
      }
    }
  }

  private PrimaryBuilder() {}

  /**
   * The primary Deployment with the managed-by label but no ownerReference (no uid is known);
   * prefer {@link #primaryDeployment(ObjectNode, Canary)}.
   */
  public static ObjectNode primaryDeployment(ObjectNode target, String canaryName) {
    return build(target, null);
  }

  /** The primary Deployment, owned by {@code canary}. */
  public static ObjectNode primaryDeployment(ObjectNode target, Canary canary) {
    return build(target, canary);
  }

  private static ObjectNode build(ObjectNode target, Canary canary) {
    PodSelector selector = PodSelector.of(target);
    ObjectNode primary = CANONICAL.createObjectNode();
    primary.put("apiVersion", target.path("apiVersion").asText("apps/v1"));
    boolean daemonSet = isDaemonSet(target);
    primary.put("kind", daemonSet ? DAEMON_SET : "Deployment");
    JsonNode meta = target.path("metadata");
    ObjectNode primaryMeta =
        Ownership.metadata(
            meta.path("name").asText() + PRIMARY_SUFFIX, meta.path("namespace").textValue(), null);
    Ownership.copyForeignMetadata(target, primaryMeta);
    primaryMeta.with("labels").put(selector.key(), selector.primaryValue());
    Ownership.stamp(primaryMeta, canary);
    primary.set("metadata", primaryMeta);

    JsonNode spec = target.path("spec");
    ObjectNode primarySpec = primary.putObject("spec");
    if (!daemonSet) {
      // Flagger starts the primary with the target's replicas (1 when unset); HPAs take over later
      primarySpec.put("replicas", spec.path("replicas").asInt(1));
    }
    for (String field : daemonSet ? COPIED_DAEMONSET_FIELDS : COPIED_SPEC_FIELDS) {
      if (spec.has(field)) {
        primarySpec.set(field, spec.get(field).deepCopy());
      }
    }
    primarySpec
        .putObject("selector")
        .putObject("matchLabels")
        .put(selector.key(), selector.primaryValue());
    primarySpec.set("template", primaryTemplate(spec.path("template"), selector));
    return primary;
  }

  /** The target's pod template with the primary's label and {@code -primary} config names. */
  static ObjectNode primaryTemplate(JsonNode template, PodSelector selector) {
    ObjectNode copy =
        template instanceof ObjectNode t ? t.deepCopy() : CANONICAL.createObjectNode();
    copy.with("metadata").with("labels").put(selector.key(), selector.primaryValue());
    ConfigReferences.rename(copy, name -> name + PRIMARY_SUFFIX);
    withoutScaleToZero(copy);
    return copy;
  }

  /** {@code -primary} copies of the referenced configs found in the map, without an owner. */
  public static List<ObjectNode> primaryConfigs(
      ObjectNode target, Map<String, ObjectNode> configMapsAndSecretsByKindName) {
    return primaryConfigs(target, configMapsAndSecretsByKindName, null);
  }

  /**
   * {@code -primary} copies of the ConfigMaps and Secrets the target's pod template references,
   * looked up by {@code "ConfigMap/name"} or {@code "Secret/name"}; references missing from the map
   * (optional ones, usually) are skipped.
   */
  public static List<ObjectNode> primaryConfigs(
      ObjectNode target, Map<String, ObjectNode> configMapsAndSecretsByKindName, Canary canary) {
    List<ObjectNode> copies = new ArrayList<>();
    for (String ref : referencedConfigs(templateOf(target))) {
      ObjectNode source = configMapsAndSecretsByKindName.get(ref);
      if (source != null) {
        copies.add(configCopy(source, canary));
      }
    }
    return copies;
  }

  private static ObjectNode configCopy(ObjectNode source, Canary canary) {
    ObjectNode copy = CANONICAL.createObjectNode();
    copy.put("apiVersion", "v1");
    copy.put("kind", source.path("kind").asText());
    JsonNode meta = source.path("metadata");
    ObjectNode copyMeta =
        Ownership.metadata(
            meta.path("name").asText() + PRIMARY_SUFFIX, meta.path("namespace").textValue(), null);
    Ownership.copyForeignMetadata(source, copyMeta);
    Ownership.stamp(copyMeta, canary);
    copy.set("metadata", copyMeta);
    for (String field : List.of("type", "immutable", "data", "binaryData", "stringData")) {
      if (source.has(field)) {
        copy.set(field, source.get(field).deepCopy());
      }
    }
    return copy;
  }

  /** {@code "ConfigMap/name"} and {@code "Secret/name"} references of a pod template, sorted. */
  public static Set<String> referencedConfigs(ObjectNode podTemplate) {
    return ConfigReferences.of(podTemplate);
  }

  /**
   * The state machine's {@code targetHash}: a stable hash of the pod template and the data of the
   * ConfigMaps and Secrets it references. Replicas, Deployment metadata and configs the template
   * does not reference do not count, so scaling or annotating the target starts no analysis.
   */
  public static String podTemplateHash(
      ObjectNode target, Collection<ObjectNode> referencedConfigs) {
    ObjectNode template = templateOf(target);
    Set<String> wanted = referencedConfigs(template);
    Map<String, JsonNode> data = new TreeMap<>();
    for (ObjectNode config : referencedConfigs) {
      String key =
          config.path("kind").asText() + "/" + config.path("metadata").path("name").asText();
      if (wanted.contains(key)) {
        ObjectNode content = CANONICAL.createObjectNode();
        for (String field : List.of("data", "binaryData", "stringData")) {
          content.set(field, config.path(field).deepCopy());
        }
        data.put(key, content);
      }
    }
    ObjectNode hashed = CANONICAL.createObjectNode();
    ObjectNode compared = template.deepCopy();
    withoutScaleToZero(compared);
    if (compared.path("spec").path("nodeSelector").isEmpty()
        && compared.path("spec") instanceof ObjectNode podSpec) {
      podSpec.remove("nodeSelector"); // {} and none are the same template
    }
    hashed.set("template", compared);
    hashed.set("configs", CANONICAL.valueToTree(data));
    try {
      byte[] canonical =
          CANONICAL.writeValueAsString(sorted(hashed)).getBytes(StandardCharsets.UTF_8);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot hash pod template", e);
    }
  }

  private static ObjectNode templateOf(ObjectNode target) {
    return target.path("spec").path("template") instanceof ObjectNode t
        ? t
        : CANONICAL.createObjectNode();
  }

  /** Converts to plain maps so ORDER_MAP_ENTRIES_BY_KEYS sorts every level. */
  private static Object sorted(JsonNode node) {
    return CANONICAL.convertValue(node, Object.class);
  }
}
