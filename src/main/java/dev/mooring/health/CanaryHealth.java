package dev.mooring.health;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Mooring's Canary (Flagger's phases): suspended when {@code spec.suspend} is set, healthy when
 * initialized or promoted, progressing while an analysis or promotion runs, degraded when the
 * analysis failed and the canary was rolled back, or when the controller cannot act on it (invalid
 * spec, missing target).
 */
final class CanaryHealth implements HealthCheck {

  @Override
  public boolean handles(String group, String kind) {
    return "Canary".equals(kind) && HealthAssessor.MOORING_GROUP.equals(group);
  }

  @Override
  public Health assess(JsonNode canary) {
    if (Fields.flag(canary, "spec", "suspend")) {
      return Health.suspended("Canary analysis is suspended (spec.suspend is true)");
    }
    String reason =
        Fields.condition(canary, "Promoted").map(c -> Fields.text(c, "reason")).orElse("");
    if ("InvalidSpec".equals(reason) || "TargetNotFound".equals(reason)) {
      // the controller cannot act on this Canary until its spec or target is fixed
      return Health.degraded(
          Fields.condition(canary, "Promoted").map(c -> Fields.text(c, "message")).orElse(reason));
    }
    String phase = Fields.text(canary, "status", "phase");
    String promoted =
        Fields.condition(canary, "Promoted").map(c -> Fields.text(c, "message")).orElse("");
    switch (phase) {
      case "Initialized":
      case "Succeeded":
        return Health.healthy(promoted);
      case "":
      case "Initializing":
        return Health.progressing(
            Fields.join(": ", "Canary is initializing the primary workload", promoted));
      case "Progressing":
      case "Promoting":
      case "Finalising":
      case "Waiting":
      case "WaitingPromotion":
        return Health.progressing(
            Fields.join(
                ": ",
                "Canary is "
                    + phase
                    + " (weight "
                    + Fields.number(canary, 0, "status", "canaryWeight")
                    + ", failed checks "
                    + Fields.number(canary, 0, "status", "failedChecks")
                    + ")",
                promoted));
      case "Failed":
        return Health.degraded(
            Fields.join(
                ": ",
                "Canary analysis failed and was rolled back after "
                    + Fields.number(canary, 0, "status", "failedChecks")
                    + " failed checks",
                promoted));
      default:
        return Health.unknown("Canary phase " + phase + " is not recognised");
    }
  }
}
