package dev.mooring.canary.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.model.Canary;
import java.util.List;

/**
 * Weighted routing with ingress-nginx (provider {@code nginx}), as Flagger does it: a copy of the
 * user's Ingress named {@code <ingress>-canary}, marked as a canary Ingress with the canary's
 * weight, whose backends point at {@code <svc>-canary} instead of the apex Service. The user's
 * Ingress is left alone; it keeps sending the rest to the apex, which selects the primary.
 */
public final class NginxRouter implements Router {
  /** Marks an Ingress as the canary of the Ingress with the same host and path. */
  public static final String CANARY_ANNOTATION = "nginx.ingress.kubernetes.io/canary";

  /** Percent of requests the canary Ingress receives. */
  public static final String WEIGHT_ANNOTATION = "nginx.ingress.kubernetes.io/canary-weight";

  @Override
  public List<ObjectNode> desired(
      Canary canary, ObjectNode ingress, int primaryWeight, int canaryWeight) {
    Router.checkWeights(primaryWeight, canaryWeight);
    if (ingress == null) {
      throw new IllegalArgumentException(
          "provider nginx needs the Ingress of spec.ingressRef for Canary "
              + canary.getMetadata().getName());
    }
    String apex = ServiceBuilder.apexName(canary);
    ObjectNode copy = ingress.objectNode();
    copy.put("apiVersion", ingress.path("apiVersion").asText("networking.k8s.io/v1"));
    copy.put("kind", "Ingress");
    ObjectNode meta =
        Ownership.metadata(
            ingress.path("metadata").path("name").asText() + "-canary",
            canary.getMetadata().getNamespace(),
            null);
    Ownership.copyForeignMetadata(ingress, meta);
    ObjectNode annotations = meta.with("annotations");
    // The user's own canary-by-header/cookie would override the weight, so none survive the copy.
    annotations.properties().removeIf(e -> e.getKey().startsWith(CANARY_ANNOTATION));
    annotations.put(CANARY_ANNOTATION, "true");
    annotations.put(WEIGHT_ANNOTATION, String.valueOf(canaryWeight));
    Ownership.stamp(meta, canary);
    copy.set("metadata", meta);
    ObjectNode spec = ingress.path("spec").deepCopy();
    if (redirect(spec, apex) == 0) {
      throw new IllegalArgumentException(
          "Ingress "
              + ingress.path("metadata").path("name").asText()
              + " has no backend for Service "
              + apex);
    }
    copy.set("spec", spec);
    return List.of(copy);
  }

  /** Points every backend on the apex Service at the canary Service; returns how many. */
  private static int redirect(ObjectNode spec, String apex) {
    int count = redirectBackend(spec.path("defaultBackend"), apex);
    for (JsonNode rule : spec.path("rules")) {
      for (JsonNode path : rule.path("http").path("paths")) {
        count += redirectBackend(path.path("backend"), apex);
      }
    }
    return count;
  }

  private static int redirectBackend(JsonNode backend, String apex) {
    if (backend.path("service") instanceof ObjectNode service
        && apex.equals(service.path("name").asText())) {
      service.put("name", apex + "-canary");
      return 1;
    }
    return 0;
  }
}
