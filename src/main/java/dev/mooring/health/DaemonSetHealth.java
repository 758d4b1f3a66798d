package dev.mooring.health;

import static dev.mooring.health.Fields.number;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * DaemonSet: healthy when the latest spec is observed and every node that should run a pod runs an
 * updated, available one. With the OnDelete strategy pods are replaced only by hand, so only
 * availability counts.
 */
final class DaemonSetHealth implements HealthCheck {

  @Override
  public boolean handles(String group, String kind) {
    return "DaemonSet".equals(kind) && ("apps".equals(group) || "extensions".equals(group));
  }

  @Override
  public Health assess(JsonNode daemonSet) {
    long generation = number(daemonSet, 0, "metadata", "generation");
    long observed = number(daemonSet, 0, "status", "observedGeneration");
    if (generation > observed) {
      return Health.progressing(
          "Waiting for rollout to finish: observed daemon set generation less than desired"
              + " generation ("
              + observed
              + " < "
              + generation
              + ")");
    }
    long desired = number(daemonSet, 0, "status", "desiredNumberScheduled");
    long updated = number(daemonSet, 0, "status", "updatedNumberScheduled");
    long available = number(daemonSet, 0, "status", "numberAvailable");
    if ("OnDelete".equals(Fields.text(daemonSet, "spec", "updateStrategy", "type"))) {
      return Health.healthy(
          "daemon set "
              + updated
              + " out of "
              + desired
              + " new pods have been updated (OnDelete update strategy)");
    }
    if (updated < desired) {
      return Health.progressing(
          "Waiting for daemon set rollout to finish: "
              + updated
              + " out of "
              + desired
              + " new pods have been updated");
    }
    if (available < desired) {
      return Health.progressing(
          "Waiting for daemon set rollout to finish: "
              + available
              + " of "
              + desired
              + " updated pods are available");
    }
    return Health.healthy();
  }
}
