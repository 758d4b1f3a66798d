package dev.mooring.health;

import static dev.mooring.health.Fields.number;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * ReplicaSet: degraded when it cannot create pods (ReplicaFailure, often a quota), progressing
 * until every desired replica is available.
 */
final class ReplicaSetHealth implements HealthCheck {

  @Override
  public boolean handles(String group, String kind) {
    return "ReplicaSet".equals(kind) && ("apps".equals(group) || "extensions".equals(group));
  }

  @Override
  public Health assess(JsonNode replicaSet) {
    long generation = number(replicaSet, 0, "metadata", "generation");
    long observed = number(replicaSet, 0, "status", "observedGeneration");
    if (generation > observed) {
      return Health.progressing(
          "Waiting for rollout to finish: observed replica set generation less than desired"
              + " generation ("
              + observed
              + " < "
              + generation
              + ")");
    }
    var failure = Fields.condition(replicaSet, "ReplicaFailure").filter(Fields::isTrue);
    if (failure.isPresent()) {
      return Health.degraded(
          Fields.join(": ", "ReplicaSet cannot create pods", Fields.explain(failure.get())));
    }
    long desired = number(replicaSet, 1, "spec", "replicas");
    long available = number(replicaSet, 0, "status", "availableReplicas");
    if (available < desired) {
      return Health.progressing(
          "Waiting for rollout to finish: "
              + available
              + " out of "
              + desired
              + " new replicas are available");
    }
    return Health.healthy();
  }
}
