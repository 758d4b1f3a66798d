package dev.mooring.canary.routing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One entry of a Canary's {@code analysis.match} (Flagger's Istio-style HTTPMatchRequest): the
 * requests that go to the canary during A/B testing. Only the parts the routers can express are
 * parsed; the rest are listed in {@link #other()} so that they can be named, never ignored.
 *
 * @param headers header conditions, in spec order
 * @param queryParams query parameter conditions
 * @param method the HTTP method condition, or null
 * @param other the other fields this match sets (uri, sourceLabels, ...)
 */
public record RequestMatch(
    List<Condition> headers, List<Condition> queryParams, Condition method, List<String> other) {

  /** Flagger's (Istio's) string match kinds. */
  public static final List<String> KINDS = List.of("exact", "prefix", "suffix", "regex");

  /**
   * A condition on a named value.
   *
   * @param name the header or parameter name (lower case for headers), blank for the method
   * @param kind exact, prefix, suffix or regex
   * @param value what it is compared with
   */
  public record Condition(String name, String kind, String value) {}

  /**
   * The Canary's {@code analysis.match} when it does A/B testing (iterations with a match); none
   * for a weighted canary, which, as in Flagger's strategy choice, does not use the match.
   */
  public static List<RequestMatch> of(dev.mooring.model.Canary canary) {
    var analysis = canary.getSpec() == null ? null : canary.getSpec().effectiveAnalysis();
    if (analysis == null || analysis.iterations == null || analysis.iterations < 1) {
      return List.of();
    }
    return parse(analysis.match);
  }

  /** The entries of {@code analysis.match}; an absent or empty list gives none. */
  public static List<RequestMatch> parse(JsonNode match) {
    List<RequestMatch> out = new ArrayList<>();
    if (match == null || !match.isArray()) {
      return out;
    }
    for (JsonNode entry : match) {
      List<Condition> headers = conditions(entry.path("headers"), true);
      List<Condition> params = conditions(entry.path("queryParams"), false);
      Condition method = condition("", entry.path("method"));
      List<String> other = new ArrayList<>();
      for (Map.Entry<String, JsonNode> field : entry.properties()) {
        String name = field.getKey();
        if (!name.equals("headers") && !name.equals("queryParams") && !name.equals("method")) {
          other.add(name);
        }
      }
      out.add(new RequestMatch(headers, params, method, other));
    }
    return out;
  }

  private static List<Condition> conditions(JsonNode map, boolean header) {
    List<Condition> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : map.properties()) {
      Condition c = condition(header ? e.getKey().toLowerCase() : e.getKey(), e.getValue());
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  private static Condition condition(String name, JsonNode match) {
    for (String kind : KINDS) {
      if (match.path(kind).isTextual()) {
        return new Condition(name, kind, match.path(kind).asText());
      }
    }
    return match.isMissingNode() || match.isNull() ? null : new Condition(name, "unknown", "");
  }
}
