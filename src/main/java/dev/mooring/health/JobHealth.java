package dev.mooring.health;

import static dev.mooring.health.Fields.number;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Job: healthy when Complete, degraded when Failed (or about to fail: FailureTarget), suspended
 * when Suspended, otherwise progressing with its pod counts.
 */
final class JobHealth implements HealthCheck {

  @Override
  public boolean handles(String group, String kind) {
    return "Job".equals(kind) && "batch".equals(group);
  }

  @Override
  public Health assess(JsonNode job) {
    var failed =
        Fields.condition(job, "Failed")
            .filter(Fields::isTrue)
            .or(() -> Fields.condition(job, "FailureTarget").filter(Fields::isTrue));
    if (failed.isPresent()) {
      return Health.degraded(
          Fields.join(
              ": ",
              "Job failed",
              Fields.explain(failed.get()),
              number(job, 0, "status", "failed") + " failed pods"));
    }
    var complete = Fields.condition(job, "Complete").filter(Fields::isTrue);
    if (complete.isPresent()) {
      return Health.healthy(Fields.text(complete.get(), "message"));
    }
    var suspended = Fields.condition(job, "Suspended").filter(Fields::isTrue);
    if (suspended.isPresent() || Fields.flag(job, "spec", "suspend")) {
      return Health.suspended(
          Fields.join(
              ": ",
              "Job is suspended (spec.suspend is true)",
              suspended.map(c -> Fields.text(c, "message")).orElse("")));
    }
    return Health.progressing(
        "Job is running: "
            + number(job, 0, "status", "active")
            + " active, "
            + number(job, 0, "status", "succeeded")
            + " succeeded, "
            + number(job, 0, "status", "failed")
            + " failed pods");
  }
}
