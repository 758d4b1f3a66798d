package dev.mooring.rollout;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whether a Deployment is rolled out and enough of its pods are available, as Flagger judges the
 * primary and the canary: the controller saw the latest spec, every replica runs the new template,
 * no old replica is left, and at least {@code threshold} percent of them are available.
 *
 * @param ready whether the workload can take traffic
 * @param message why not, or a summary
 */
public record Readiness(boolean ready, String message) {

  /** Judges a Deployment; null means it does not exist. */
  public static Readiness of(JsonNode deployment, int thresholdPercent) {
    if (deployment == null) {
      return new Readiness(false, "does not exist");
    }
    if (dev.mooring.canary.routing.PrimaryBuilder.isDaemonSet(deployment)) {
      return daemonSet(deployment, thresholdPercent);
    }
    JsonNode spec = deployment.path("spec");
    JsonNode status = deployment.path("status");
    int replicas = spec.path("replicas").asInt(1);
    if (replicas == 0) {
      return new Readiness(false, "is scaled to zero");
    }
    long generation = deployment.path("metadata").path("generation").asLong(0);
    long observed = status.path("observedGeneration").asLong(0);
    if (generation > 0 && observed < generation) {
      return new Readiness(false, "waiting for the rollout to be observed");
    }
    for (JsonNode condition : status.path("conditions")) {
      if ("Progressing".equals(condition.path("type").asText())
          && "ProgressDeadlineExceeded".equals(condition.path("reason").asText())) {
        return new Readiness(false, "exceeded its progress deadline");
      }
    }
    int updated = status.path("updatedReplicas").asInt(0);
    int current = status.path("replicas").asInt(0);
    int available = status.path("availableReplicas").asInt(0);
    if (updated < replicas) {
      return new Readiness(
          false, "rollout in progress: " + updated + " of " + replicas + " replicas updated");
    }
    if (current > updated) {
      return new Readiness(false, (current - updated) + " old replicas are pending termination");
    }
    int needed = (int) Math.ceil(updated * thresholdPercent / 100.0);
    if (available < needed) {
      return new Readiness(false, available + " of " + updated + " updated replicas are available");
    }
    return new Readiness(true, available + " of " + replicas + " replicas available");
  }

  /**
   * A DaemonSet, as Flagger judges one: the controller saw the latest spec, every scheduled pod
   * runs it, and at least {@code threshold} percent of the scheduled pods are available. One that
   * no node runs (scaled to zero, or no matching node) is not ready.
   */
  private static Readiness daemonSet(JsonNode daemonSet, int thresholdPercent) {
    if (dev.mooring.canary.routing.PrimaryBuilder.scaledToZero(daemonSet)) {
      return new Readiness(false, "is scaled to zero");
    }
    JsonNode status = daemonSet.path("status");
    long generation = daemonSet.path("metadata").path("generation").asLong(0);
    if (generation > 0 && status.path("observedGeneration").asLong(0) < generation) {
      return new Readiness(false, "waiting for the rollout to be observed");
    }
    int desired = status.path("desiredNumberScheduled").asInt(0);
    int updated = status.path("updatedNumberScheduled").asInt(0);
    int available = status.path("numberAvailable").asInt(0);
    if (desired == 0) {
      return new Readiness(false, "no node runs its pods");
    }
    if (updated < desired) {
      return new Readiness(
          false, "rollout in progress: " + updated + " of " + desired + " pods updated");
    }
    int needed = (int) Math.ceil(desired * thresholdPercent / 100.0);
    if (available < needed) {
      return new Readiness(false, available + " of " + desired + " scheduled pods are available");
    }
    return new Readiness(true, available + " of " + desired + " scheduled pods available");
  }
}
