package dev.mooring.canary;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the parts of a scenario fixture ({@code canary/scenarios/*.yaml}) into the model. */
final class Scenario {

  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private Scenario() {}

  static AnalysisSettings settings(JsonNode node) {
    List<Integer> stepWeights = new ArrayList<>();
    node.path("stepWeights").forEach(w -> stepWeights.add(w.asInt()));
    List<HookSpec> hooks = new ArrayList<>();
    node.path("webhooks")
        .forEach(h -> hooks.add(new HookSpec(h.path("name").asText(), h.path("type").asText())));
    return new AnalysisSettings(
        Duration.ofSeconds(node.path("intervalSeconds").asLong(60)),
        node.path("threshold").asInt(1),
        node.path("maxWeight").asInt(0),
        node.path("stepWeight").asInt(0),
        stepWeights,
        node.path("stepWeightPromotion").asInt(0),
        node.path("iterations").asInt(0),
        node.path("progressDeadlineSeconds").asInt(600),
        node.path("skipAnalysis").asBoolean(false),
        node.path("suspend").asBoolean(false),
        hooks,
        node.path("hasMetrics").asBoolean(false),
        node.path("abTesting").asBoolean(false),
        node.path("switchesTraffic").asBoolean(false),
        node.path("mirror").asBoolean(false));
  }

  static CanaryState state(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return CanaryState.initial();
    }
    return new CanaryState(
        Phase.valueOf(node.path("phase").asText("Initializing")),
        node.path("canaryWeight").asInt(0),
        node.path("failedChecks").asInt(0),
        node.path("iterations").asInt(0),
        text(node, "lastAppliedSpec"),
        text(node, "lastPromotedSpec"),
        node.has("lastTransitionTime")
            ? T0.plusSeconds(node.path("lastTransitionTime").asLong())
            : null,
        text(node, "failedRevision"));
  }

  /** Webhook answers by hook name: true = 2xx. */
  static Map<String, Boolean> answers(JsonNode node, Map<String, Boolean> defaults) {
    Map<String, Boolean> answers = new HashMap<>(defaults);
    node.fields().forEachRemaining(e -> answers.put(e.getKey(), e.getValue().asBoolean()));
    return answers;
  }

  /**
   * Checks as a list of {@code {metric, value, min, max, passed, message}} or a shorthand: {@code
   * pass}, {@code fail} (success rate below its minimum) or {@code nodata}.
   */
  static List<CheckResult> checks(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (node.isTextual()) {
      return switch (node.asText()) {
        case "pass" ->
            List.of(
                new CheckResult("request-success-rate", 99.9, 99.0, null, true, ""),
                new CheckResult("request-duration", 120.0, null, 500.0, true, ""));
        case "fail" ->
            List.of(
                new CheckResult("request-success-rate", 90.0, 99.0, null, false, ""),
                new CheckResult("request-duration", 120.0, null, 500.0, true, ""));
        case "nodata" ->
            List.of(
                new CheckResult(
                    "request-success-rate",
                    null,
                    99.0,
                    null,
                    false,
                    "no traffic: the query matched no series for request-success-rate"));
        default -> throw new IllegalArgumentException("unknown checks shorthand " + node.asText());
      };
    }
    List<CheckResult> checks = new ArrayList<>();
    for (JsonNode c : node) {
      checks.add(
          new CheckResult(
              c.path("metric").asText(),
              number(c, "value"),
              number(c, "min"),
              number(c, "max"),
              c.path("passed").asBoolean(),
              c.path("message").asText("")));
    }
    return checks;
  }

  private static Double number(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? null : value.asDouble();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? null : value.asText();
  }

  /** A short, stable description of an action for fixtures: "SetWeights(95,5)". */
  static String describe(Action action) {
    if (action instanceof Action.SetWeights w) {
      return "SetWeights(" + w.primary() + "," + w.canary() + (w.mirror() ? ",mirror" : "") + ")";
    }
    if (action instanceof Action.RunWebhooks r) {
      return "RunWebhooks(" + r.type() + ")";
    }
    if (action instanceof Action.NotifyWebhooks n) {
      return "NotifyWebhooks(" + n.type() + ")";
    }
    if (action instanceof Action.RecordEvent e) {
      return "RecordEvent(" + e.type() + "," + e.reason() + ")";
    }
    if (action instanceof Action.Requeue r) {
      return "Requeue(" + r.after().toSeconds() + "s)";
    }
    return action.getClass().getSimpleName();
  }
}
