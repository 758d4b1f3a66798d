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

  /** A/B testing: requests with this header (set to "always", or the value) go to the canary. */
  public static final String HEADER_ANNOTATION = "nginx.ingress.kubernetes.io/canary-by-header";

  /** A/B testing: the header value that selects the canary. */
  public static final String HEADER_VALUE_ANNOTATION =
      "nginx.ingress.kubernetes.io/canary-by-header-value";

  /** A/B testing: a regular expression the header value must match. */
  public static final String HEADER_PATTERN_ANNOTATION =
      "nginx.ingress.kubernetes.io/canary-by-header-pattern";

  /** A/B testing: requests whose cookie of this name is "always" go to the canary. */
  public static final String COOKIE_ANNOTATION = "nginx.ingress.kubernetes.io/canary-by-cookie";

  /**
   * The parts of {@code analysis.match} ingress-nginx cannot express: it routes by one header
   * (exact value or regex) and one cookie (Flagger's {@code cookie: {exact: NAME}}), nothing else.
   */
  public static List<String> unsupported(List<RequestMatch> matches) {
    List<String> out = new java.util.ArrayList<>();
    int headers = 0;
    int cookies = 0;
    for (RequestMatch m : matches) {
      for (RequestMatch.Condition c : m.headers()) {
        boolean cookie = c.name().equals("cookie");
        if (cookie ? !c.kind().equals("exact") : !(c.kind().equals("exact") || isRegex(c))) {
          out.add(
              "analysis.match header "
                  + c.name()
                  + " uses "
                  + c.kind()
                  + ", which provider nginx cannot express (a header takes exact or regex, the"
                  + " cookie an exact name)");
        } else if (cookie ? ++cookies > 1 : ++headers > 1) {
          out.add(
              "analysis.match header "
                  + c.name()
                  + " is not used: provider nginx routes by one header and one cookie");
        }
      }
      if (!m.queryParams().isEmpty()) {
        out.add("analysis.match queryParams are not supported by provider nginx");
      }
      if (m.method() != null) {
        out.add("analysis.match method is not supported by provider nginx");
      }
      for (String other : m.other()) {
        out.add("analysis.match " + other + " is not supported by provider nginx");
      }
    }
    return out;
  }

  private static boolean isRegex(RequestMatch.Condition c) {
    return c.kind().equals("regex");
  }

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
    List<RequestMatch> matches = RequestMatch.of(canary);
    if (canaryWeight > 0 && !matches.isEmpty() && byMatch(matches, annotations)) {
      // A/B testing: the matched requests go to the canary, the others stay on the primary
    } else {
      annotations.put(WEIGHT_ANNOTATION, String.valueOf(canaryWeight));
    }
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

  /**
   * Sets the header and cookie annotations of the first usable header and cookie conditions (what
   * is not used is named by {@link #unsupported}); false when there is none.
   */
  private static boolean byMatch(List<RequestMatch> matches, ObjectNode annotations) {
    RequestMatch.Condition header = null;
    RequestMatch.Condition cookie = null;
    for (RequestMatch m : matches) {
      for (RequestMatch.Condition c : m.headers()) {
        if (c.name().equals("cookie")) {
          if (cookie == null && c.kind().equals("exact")) {
            cookie = c;
          }
        } else if (header == null && (c.kind().equals("exact") || isRegex(c))) {
          header = c;
        }
      }
    }
    if (header != null) {
      annotations.put(HEADER_ANNOTATION, header.name());
      annotations.put(
          isRegex(header) ? HEADER_PATTERN_ANNOTATION : HEADER_VALUE_ANNOTATION, header.value());
    }
    if (cookie != null) {
      annotations.put(COOKIE_ANNOTATION, cookie.value());
    }
    return header != null || cookie != null;
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
