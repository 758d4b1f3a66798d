package dev.mooring.canary.routing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.canary.Weights;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryService;
import java.util.List;

/**
 * Weighted routing with the Gateway API (provider {@code gatewayapi}): one HTTPRoute named after
 * the apex Service, attached to {@code service.gatewayRefs}, serving {@code service.hosts}, that
 * splits all paths between {@code <svc>-primary} and {@code <svc>-canary}, with {@code
 * service.timeout} and {@code service.backendTimeout} as the rule's {@code timeouts.request} and
 * {@code timeouts.backendRequest}.
 */
public final class GatewayApiRouter implements Router {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private final String apiVersion;

  /** A router writing {@code gateway.networking.k8s.io/v1} HTTPRoutes. */
  public GatewayApiRouter() {
    this("v1");
  }

  /** A router writing HTTPRoutes of the given Gateway API version, e.g. {@code v1beta1}. */
  public GatewayApiRouter(String version) {
    this.apiVersion = "gateway.networking.k8s.io/" + version;
  }

  @Override
  public List<ObjectNode> desired(
      Canary canary, ObjectNode context, int primaryWeight, int canaryWeight) {
    Router.checkWeights(primaryWeight, canaryWeight);
    CanaryService svc = canary.getSpec().service;
    if (svc == null || svc.port == null) {
      throw new IllegalArgumentException(
          "Canary " + canary.getMetadata().getName() + " has no spec.service.port");
    }
    String apex = ServiceBuilder.apexName(canary);
    ObjectNode route = JSON.objectNode();
    route.put("apiVersion", apiVersion);
    route.put("kind", "HTTPRoute");
    ObjectNode meta = Ownership.metadata(apex, canary.getMetadata().getNamespace(), canary);
    if (svc.apex != null) {
      Ownership.addCustom(meta, svc.apex.labels, svc.apex.annotations);
    }
    Ownership.leaveUnmanaged(meta, canary);
    route.set("metadata", meta);
    ObjectNode spec = route.putObject("spec");
    ArrayNode parents = spec.putArray("parentRefs");
    if (svc.gatewayRefs != null) {
      svc.gatewayRefs.forEach(ref -> parents.add(parentRef(ref)));
    }
    if (svc.hosts != null && !svc.hosts.isEmpty()) {
      ArrayNode hostnames = spec.putArray("hostnames");
      svc.hosts.forEach(hostnames::add);
    }
    ArrayNode rules = spec.putArray("rules");
    List<RequestMatch> matches = RequestMatch.of(canary);
    ObjectNode rule = rules.addObject();
    ArrayNode ruleMatches = rule.putArray("matches");
    if (matches.isEmpty()) {
      ruleMatches.add(allPaths());
    } else {
      // A/B testing, as Flagger's HTTPRoute: a first rule for the matched requests, split by the
      // weights (0/100 during the analysis), and a second one keeping all others on the primary
      matches.forEach(m -> ruleMatches.add(match(m)));
    }
    timeouts(rule, svc);
    ArrayNode backends = rule.putArray("backendRefs");
    backends.add(backend(apex + "-primary", svc.port, primaryWeight));
    backends.add(backend(apex + "-canary", svc.port, canaryWeight));
    if (!matches.isEmpty()) {
      ObjectNode rest = rules.addObject();
      rest.putArray("matches").add(allPaths());
      timeouts(rest, svc);
      rest.putArray("backendRefs").add(backend(apex + "-primary", svc.port, Weights.TOTAL));
    }
    return List.of(route);
  }

  /**
   * The parts of {@code analysis.match} an HTTPRoute cannot express: headers and query parameters
   * match exact values or regular expressions, the method an exact value.
   */
  public static List<String> unsupported(List<RequestMatch> matches, String provider) {
    List<String> out = new java.util.ArrayList<>();
    for (RequestMatch m : matches) {
      for (RequestMatch.Condition c : m.headers()) {
        if (type(c) == null) {
          out.add(
              "analysis.match header "
                  + c.name()
                  + " uses "
                  + c.kind()
                  + ", which provider "
                  + provider
                  + " cannot express (exact or regex)");
        }
      }
      for (RequestMatch.Condition c : m.queryParams()) {
        if (type(c) == null) {
          out.add(
              "analysis.match queryParam "
                  + c.name()
                  + " uses "
                  + c.kind()
                  + ", which provider "
                  + provider
                  + " cannot express (exact or regex)");
        }
      }
      if (m.method() != null && !m.method().kind().equals("exact")) {
        out.add("analysis.match method must be exact for provider " + provider);
      }
      for (String other : m.other()) {
        out.add("analysis.match " + other + " is not supported by provider " + provider);
      }
    }
    return out;
  }

  private static ObjectNode allPaths() {
    ObjectNode match = JSON.objectNode();
    match.putObject("path").put("type", "PathPrefix").put("value", "/");
    return match;
  }

  /** One HTTPRouteMatch: all paths, and the conditions the Gateway API can express. */
  private static ObjectNode match(RequestMatch m) {
    ObjectNode match = allPaths();
    conditions(match, "headers", m.headers());
    conditions(match, "queryParams", m.queryParams());
    if (m.method() != null && m.method().kind().equals("exact")) {
      match.put("method", m.method().value().toUpperCase(java.util.Locale.ROOT));
    }
    return match;
  }

  private static void conditions(
      ObjectNode match, String field, List<RequestMatch.Condition> conditions) {
    ArrayNode list = null;
    for (RequestMatch.Condition c : conditions) {
      String type = type(c);
      if (type != null) {
        if (list == null) {
          list = match.putArray(field);
        }
        list.addObject().put("type", type).put("name", c.name()).put("value", c.value());
      }
    }
  }

  private static String type(RequestMatch.Condition c) {
    return switch (c.kind()) {
      case "exact" -> "Exact";
      case "regex" -> "RegularExpression";
      default -> null;
    };
  }

  /** Gateway API durations: backendRequest bounds each try at a backend, request the whole. */
  private static void timeouts(ObjectNode rule, CanaryService svc) {
    if (svc.timeout != null && !svc.timeout.isBlank()) {
      rule.with("timeouts").put("request", svc.timeout.strip());
    }
    if (svc.backendTimeout != null && !svc.backendTimeout.isBlank()) {
      rule.with("timeouts").put("backendRequest", svc.backendTimeout.strip());
    }
  }

  private static ObjectNode parentRef(CanaryService.GatewayRef ref) {
    ObjectNode parent = JSON.objectNode();
    if (ref.group != null) {
      parent.put("group", ref.group);
    }
    if (ref.kind != null) {
      parent.put("kind", ref.kind);
    }
    if (ref.namespace != null) {
      parent.put("namespace", ref.namespace);
    }
    parent.put("name", ref.name);
    if (ref.sectionName != null) {
      parent.put("sectionName", ref.sectionName);
    }
    if (ref.port != null) {
      parent.put("port", ref.port);
    }
    return parent;
  }

  private static ObjectNode backend(String service, int port, int weight) {
    ObjectNode backend = JSON.objectNode();
    backend.put("group", "");
    backend.put("kind", "Service");
    backend.put("name", service);
    backend.put("port", port);
    backend.put("weight", weight);
    return backend;
  }
}
