package dev.mooring.canary.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryAnalysis;
import dev.mooring.model.CanaryService;
import dev.mooring.model.CanaryStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Istio routing (provider {@code istio}), as Flagger's Istio router ({@code pkg/router/istio.go})
 * writes it: DestinationRules {@code <apex>-canary} and {@code <apex>-primary} carrying {@code
 * service.trafficPolicy}, and a VirtualService named after the apex Service whose HTTP route splits
 * the traffic between the two by weight, with the Canary's match, rewrite, timeout, retries, CORS
 * policy and header operations. On top of that, as Flagger: A/B testing (a first route for {@code
 * analysis.match}, the rest on the primary), mirroring to the canary and cookie-based session
 * affinity (a {@code sticky-route} in front of the weighted one). A Service with {@code
 * appProtocol: tcp} gets a TCP route instead.
 */
public final class IstioRouter implements Router {
  /** The version Flagger's Istio client writes. */
  public static final String API_VERSION = "networking.istio.io/v1beta1";

  static final String STICKY_ROUTE = "sticky-route";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @Override
  public List<ObjectNode> desired(
      Canary canary, ObjectNode context, int primaryWeight, int canaryWeight) {
    return desired(canary, context, primaryWeight, canaryWeight, false);
  }

  @Override
  public List<ObjectNode> desired(
      Canary canary, ObjectNode context, int primaryWeight, int canaryWeight, boolean mirror) {
    Router.checkWeights(primaryWeight, canaryWeight);
    CanaryService svc = canary.getSpec().service;
    if (svc == null || svc.port == null) {
      throw new IllegalArgumentException(
          "Canary " + canary.getMetadata().getName() + " has no spec.service.port");
    }
    String apex = ServiceBuilder.apexName(canary);
    if (Boolean.TRUE.equals(svc.delegation) && (!empty(svc.hosts) || !empty(svc.gateways))) {
      throw new IllegalArgumentException(
          "Canary "
              + canary.getMetadata().getName()
              + ": a delegate VirtualService has no hosts and gateways; remove service.hosts and"
              + " service.gateways or service.delegation");
    }
    return List.of(
        destinationRule(canary, apex + "-canary"),
        destinationRule(canary, apex + "-primary"),
        virtualService(canary, apex, primaryWeight, canaryWeight, mirror));
  }

  /** Whether the Canary's Service is routed as opaque TCP ({@code service.appProtocol: tcp}). */
  public static boolean isTcp(CanaryService svc) {
    return svc != null && svc.appProtocol != null && svc.appProtocol.equalsIgnoreCase("tcp");
  }

  private static ObjectNode destinationRule(Canary canary, String host) {
    ObjectNode rule = JSON.objectNode();
    rule.put("apiVersion", API_VERSION);
    rule.put("kind", "DestinationRule");
    rule.set("metadata", Ownership.metadata(host, canary.getMetadata().getNamespace(), canary));
    ObjectNode spec = rule.putObject("spec");
    spec.put("host", host);
    JsonNode policy = canary.getSpec().service.trafficPolicy;
    if (set(policy)) {
      spec.set("trafficPolicy", policy.deepCopy());
    }
    return rule;
  }

  private static ObjectNode virtualService(
      Canary canary, String apex, int primaryWeight, int canaryWeight, boolean mirror) {
    CanaryService svc = canary.getSpec().service;
    ObjectNode vs = JSON.objectNode();
    vs.put("apiVersion", API_VERSION);
    vs.put("kind", "VirtualService");
    ObjectNode meta = Ownership.metadata(apex, canary.getMetadata().getNamespace(), canary);
    if (svc.apex != null) {
      Ownership.addCustom(meta, svc.apex.labels, svc.apex.annotations);
    }
    Ownership.leaveUnmanaged(meta, canary);
    vs.set("metadata", meta);
    ObjectNode spec = vs.putObject("spec");
    ArrayNode hosts = spec.putArray("hosts");
    if (!Boolean.TRUE.equals(svc.delegation)) {
      // the apex Service is always a host, unless a wildcard already covers it
      List<String> wanted = svc.hosts == null ? new ArrayList<>() : new ArrayList<>(svc.hosts);
      if (!wanted.contains(apex) && !wanted.contains("*")) {
        wanted.add(apex);
      }
      wanted.forEach(hosts::add);
      ArrayNode gateways = spec.putArray("gateways");
      if (empty(svc.gateways)) {
        gateways.add("mesh");
      } else {
        svc.gateways.forEach(gateways::add);
      }
    }
    Destinations to = new Destinations(svc, apex);
    if (isTcp(svc)) {
      ObjectNode tcp = spec.putArray("tcp").addObject();
      if (svc.match != null && svc.match.isArray() && !svc.match.isEmpty()) {
        ArrayNode l4 = tcp.putArray("match");
        for (JsonNode m : svc.match) {
          ObjectNode attrs = l4.addObject();
          if (m.path("port").canConvertToInt() && m.path("port").asInt() != 0) {
            attrs.put("port", m.path("port").asInt());
          }
        }
      }
      tcp.set("route", to.split(primaryWeight, canaryWeight));
      return vs;
    }
    spec.set("http", httpRoutes(canary, to, primaryWeight, canaryWeight, mirror));
    return vs;
  }

  private static ArrayNode httpRoutes(
      Canary canary, Destinations to, int primaryWeight, int canaryWeight, boolean mirror) {
    CanaryService svc = canary.getSpec().service;
    CanaryAnalysis analysis = canary.getSpec().effectiveAnalysis();
    ArrayNode http = JSON.arrayNode();
    JsonNode abMatch = analysis == null ? null : analysis.match;
    if (abMatch != null && abMatch.isArray() && !abMatch.isEmpty()) {
      // A/B testing: the matched requests are split by the weights (0/100 while iterating), all
      // others stay on the primary. Flagger writes the primary weight on that lone destination;
      // Istio sends all of a route's traffic to its only destination anyway, so 100 says so.
      http.add(route(svc, merge(abMatch, svc.match), to.split(primaryWeight, canaryWeight)));
      http.add(route(svc, svc.match, JSON.arrayNode().add(to.primary(100))));
      return http;
    }
    ArrayNode split = to.split(primaryWeight, canaryWeight);
    ObjectNode weighted = route(svc, svc.match, split);
    String cookieName =
        analysis == null ? null : SessionCookies.cookieName(analysis.sessionAffinity);
    if (cookieName != null) {
      http.add(stickyRoute(canary, analysis.sessionAffinity, to, weighted, canaryWeight));
    }
    http.add(weighted);
    if (mirror) {
      ObjectNode first = (ObjectNode) http.get(0);
      first.putObject("mirror").put("host", to.canaryHost);
      if (analysis != null && analysis.mirrorWeight != null && analysis.mirrorWeight > 0) {
        first.putObject("mirrorPercentage").put("value", analysis.mirrorWeight);
      }
    }
    return http;
  }

  /**
   * Flagger's sticky route, in front of the weighted one. While the canary gets traffic, its
   * responses on the weighted route set the session cookie, and requests carrying it go to the
   * canary only; at weight 0 the route expires the previous run's cookie on the primary's
   * responses. The cookies come from the status, kept by {@link SessionCookies}.
   */
  private static ObjectNode stickyRoute(
      Canary canary, JsonNode affinity, Destinations to, ObjectNode weighted, int canaryWeight) {
    CanaryService svc = canary.getSpec().service;
    CanaryStatus status = canary.getStatus();
    String current = status == null ? null : status.sessionAffinityCookie;
    String previous = status == null ? null : status.previousSessionAffinityCookie;
    ObjectNode sticky = JSON.objectNode().put("name", STICKY_ROUTE);
    weighted.properties().forEach(e -> sticky.set(e.getKey(), e.getValue().deepCopy()));
    if (canaryWeight != 0 && !blank(current)) {
      for (JsonNode dest : weighted.path("route")) {
        if (to.canaryHost.equals(dest.path("destination").path("host").asText())) {
          ((ObjectNode) dest)
              .putObject("headers")
              .putObject("response")
              .putObject("add")
              .put("Set-Cookie", cookie(current, affinity));
        }
      }
      setMatch(sticky, merge(cookieMatch(current), svc.match));
      sticky.set("route", to.split(0, 100));
    } else if (canaryWeight == 0) {
      String expired = blank(current) ? previous : current;
      if (!blank(expired)) {
        setMatch(sticky, merge(cookieMatch(expired), svc.match));
        // Flagger writes into service.headers itself here; the copy keeps the weighted route as is
        ObjectNode headers =
            sticky.get("headers") instanceof ObjectNode h ? h : sticky.putObject("headers");
        headers.with("response").with("add").put("Set-Cookie", expired + "; Max-Age=-1");
      }
    }
    return reorder(sticky);
  }

  /** {@code Set-Cookie} for a cookie: Flagger's maxAge (a day by default) and attributes. */
  static String cookie(String cookie, JsonNode affinity) {
    StringBuilder out = new StringBuilder(cookie);
    out.append("; Max-Age=").append(SessionCookies.maxAge(affinity));
    if (affinity.path("domain").isTextual() && !affinity.path("domain").asText().isBlank()) {
      out.append("; Domain=").append(affinity.path("domain").asText());
    }
    if (affinity.path("httpOnly").asBoolean(false)) {
      out.append("; HttpOnly");
    }
    if (affinity.path("partitioned").asBoolean(false)) {
      out.append("; Partitioned");
    }
    if (affinity.path("path").isTextual() && !affinity.path("path").asText().isBlank()) {
      out.append("; Path=").append(affinity.path("path").asText());
    }
    if (affinity.path("sameSite").isTextual() && !affinity.path("sameSite").asText().isBlank()) {
      out.append("; SameSite=").append(affinity.path("sameSite").asText());
    }
    if (affinity.path("secure").asBoolean(false)) {
      out.append("; Secure");
    }
    return out.toString();
  }

  /** The request match of a cookie: its name and value anywhere in the Cookie header. */
  private static ArrayNode cookieMatch(String cookie) {
    String[] nameValue = SessionCookies.split(cookie);
    ArrayNode match = JSON.arrayNode();
    match
        .addObject()
        .putObject("headers")
        .putObject("Cookie")
        .put("regex", ".*" + nameValue[0] + ".*" + nameValue[1] + ".*");
    return match;
  }

  /**
   * Flagger's mergeMatchConditions: each canary condition combined with each of {@code
   * service.match}, whose headers and sourceLabels the canary condition replaces; the canary
   * conditions alone when the service has no match.
   */
  static ArrayNode merge(JsonNode canaryMatch, JsonNode serviceMatch) {
    ArrayNode merged = JSON.arrayNode();
    if (serviceMatch == null || !serviceMatch.isArray() || serviceMatch.isEmpty()) {
      canaryMatch.forEach(c -> merged.add(c.deepCopy()));
      return merged;
    }
    for (JsonNode c : canaryMatch) {
      for (JsonNode d : serviceMatch) {
        ObjectNode m = (ObjectNode) d.deepCopy();
        for (String field : List.of("headers", "sourceLabels")) {
          if (c.hasNonNull(field)) {
            m.set(field, c.get(field).deepCopy());
          }
        }
        merged.add(m);
      }
    }
    return merged;
  }

  /** One HTTP route with the Canary's route options, in the order of Istio's HTTPRoute. */
  private static ObjectNode route(CanaryService svc, JsonNode match, ArrayNode destinations) {
    ObjectNode route = JSON.objectNode();
    setMatch(route, match);
    route.set("route", destinations);
    if (svc.rewrite != null && svc.rewrite.isObject()) {
      // as Flagger's GetIstioRewrite: the uri and authority (rewrite.type is the Gateway API's)
      ObjectNode rewrite = route.putObject("rewrite");
      for (String field : List.of("uri", "authority")) {
        if (svc.rewrite.path(field).isTextual() && !svc.rewrite.path(field).asText().isEmpty()) {
          rewrite.put(field, svc.rewrite.path(field).asText());
        }
      }
    }
    if (svc.timeout != null && !svc.timeout.isBlank()) {
      route.put("timeout", svc.timeout.strip());
    }
    copy(route, "retries", svc.retries);
    copy(route, "corsPolicy", svc.corsPolicy);
    copy(route, "headers", svc.headers);
    return route;
  }

  private static void setMatch(ObjectNode route, JsonNode match) {
    if (match != null && match.isArray() && !match.isEmpty()) {
      route.set("match", match.deepCopy());
    } else {
      route.remove("match");
    }
  }

  /** The route's fields in Istio's order (name, match, route, ...), for readable objects. */
  private static ObjectNode reorder(ObjectNode route) {
    ObjectNode out = JSON.objectNode();
    for (String field :
        List.of(
            "name",
            "match",
            "route",
            "rewrite",
            "timeout",
            "retries",
            "mirror",
            "mirrorPercentage",
            "corsPolicy",
            "headers")) {
      if (route.has(field)) {
        out.set(field, route.get(field));
      }
    }
    return out;
  }

  private static void copy(ObjectNode route, String field, JsonNode value) {
    if (set(value)) {
      route.set(field, value.deepCopy());
    }
  }

  /** The primary and canary destinations; the port only where Flagger writes it. */
  private static final class Destinations {
    final String primaryHost;
    final String canaryHost;
    final Integer port;

    Destinations(CanaryService svc, String apex) {
      this.primaryHost = apex + "-primary";
      this.canaryHost = apex + "-canary";
      // with portDiscovery the Services have several ports, and a gateway (or the delegating
      // VirtualService) must be told which one; inside the mesh the port of the call is kept
      boolean throughGateway =
          (!empty(svc.gateways) && !"mesh".equals(svc.gateways.get(0)))
              || Boolean.TRUE.equals(svc.delegation);
      this.port = Boolean.TRUE.equals(svc.portDiscovery) && throughGateway ? svc.port : null;
    }

    ArrayNode split(int primaryWeight, int canaryWeight) {
      return JSON.arrayNode().add(primary(primaryWeight)).add(to(canaryHost, canaryWeight));
    }

    ObjectNode primary(int weight) {
      return to(primaryHost, weight);
    }

    private ObjectNode to(String host, int weight) {
      ObjectNode dest = JSON.objectNode();
      ObjectNode destination = dest.putObject("destination").put("host", host);
      if (port != null) {
        destination.putObject("port").put("number", port);
      }
      dest.put("weight", weight);
      return dest;
    }
  }

  private static boolean empty(List<String> list) {
    return list == null || list.isEmpty();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static boolean set(JsonNode node) {
    return node != null && !node.isNull() && !(node.isContainerNode() && node.isEmpty());
  }
}
