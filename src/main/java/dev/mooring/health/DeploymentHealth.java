package dev.mooring.health;

import static dev.mooring.health.Fields.flag;
import static dev.mooring.health.Fields.number;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Deployment: healthy when the controller has observed the latest spec and every desired replica is
 * updated and available (the rules of {@code kubectl rollout status}, as in Argo CD).
 */
final class DeploymentHealth implements HealthCheck {

  @Override
  public boolean handles(String group, String kind) {
    return "Deployment".equals(kind) && ("apps".equals(group) || "extensions".equals(group));
  }

  @Override
  public Health assess(JsonNode deployment) {
    if (flag(deployment, "spec", "paused")) {
      return Health.suspended("Deployment is paused (spec.paused is true)");
    }
    long generation = number(deployment, 0, "metadata", "generation");
    long observed = number(deployment, 0, "status", "observedGeneration");
    if (generation > observed) {
      return Health.progressing(
          "Waiting for rollout to finish: observed deployment generation less than desired"
              + " generation ("
              + observed
              + " < "
              + generation
              + ")");
    }
    var progressing = Fields.condition(deployment, "Progressing");
    if (progressing.isPresent()
        && "ProgressDeadlineExceeded".equals(Fields.text(progressing.get(), "reason"))) {
      return Health.degraded(
          Fields.join(
              ": ",
              "Deployment exceeded its progress deadline",
              Fields.text(progressing.get(), "message"),
              availabilityProblem(deployment)));
    }
    // The API server defaults spec.replicas to 1; a manifest may leave it out.
    long desired = number(deployment, 1, "spec", "replicas");
    long replicas = number(deployment, 0, "status", "replicas");
    long updated = number(deployment, 0, "status", "updatedReplicas");
    long available = number(deployment, 0, "status", "availableReplicas");
    if (updated < desired) {
      return Health.progressing(
          "Waiting for rollout to finish: "
              + updated
              + " out of "
              + desired
              + " new replicas have been updated");
    }
    if (replicas > updated) {
      return Health.progressing(
          "Waiting for rollout to finish: "
              + (replicas - updated)
              + " old replicas are pending termination");
    }
    if (available < updated) {
      return Health.progressing(
          Fields.join(
              ": ",
              "Waiting for rollout to finish",
              available + " of " + updated + " updated replicas are available",
              availabilityProblem(deployment)));
    }
    return Health.healthy();
  }

  /** The Available=False condition's explanation, which often names the cause of a stall. */
  private static String availabilityProblem(JsonNode deployment) {
    return Fields.condition(deployment, "Available")
        .filter(Fields::isFalse)
        .map(Fields::explain)
        .orElse("");
  }
}
