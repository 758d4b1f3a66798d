package dev.mooring.health;

import static dev.mooring.health.Fields.number;
import static dev.mooring.health.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * StatefulSet: healthy when the latest spec is observed, every replica is ready and the rollout has
 * reached every pod it should (all of them, those above the partition, or none for OnDelete).
 */
final class StatefulSetHealth implements HealthCheck {

  @Override
  public boolean handles(String group, String kind) {
    return "StatefulSet".equals(kind) && "apps".equals(group);
  }

  @Override
  public Health assess(JsonNode sts) {
    long generation = number(sts, 0, "metadata", "generation");
    long observed = number(sts, 0, "status", "observedGeneration");
    if (observed == 0 || generation > observed) {
      return Health.progressing(
          "Waiting for statefulset spec update to be observed (observed generation "
              + observed
              + ", desired "
              + generation
              + ")");
    }
    long desired = number(sts, 1, "spec", "replicas");
    long ready = number(sts, 0, "status", "readyReplicas");
    if (ready < desired) {
      return Health.progressing(
          "Waiting for "
              + (desired - ready)
              + " pods to be ready: "
              + ready
              + " of "
              + desired
              + " replicas are ready");
    }
    long updated = number(sts, 0, "status", "updatedReplicas");
    String strategy = text(sts, "spec", "updateStrategy", "type");
    if ("OnDelete".equals(strategy)) {
      // Pods are replaced only when someone deletes them: there is no rollout to wait for.
      return Health.healthy("statefulset has " + ready + " ready pods (OnDelete update strategy)");
    }
    long partition = number(sts, 0, "spec", "updateStrategy", "rollingUpdate", "partition");
    if (partition > 0) {
      long toUpdate = Math.max(0, desired - partition);
      if (updated < toUpdate) {
        return Health.progressing(
            "Waiting for partitioned roll out to finish: "
                + updated
                + " out of "
                + toUpdate
                + " new pods have been updated");
      }
      return Health.healthy("partitioned roll out complete: " + updated + " new pods updated");
    }
    String currentRevision = text(sts, "status", "currentRevision");
    String updateRevision = text(sts, "status", "updateRevision");
    if (!updateRevision.equals(currentRevision)) {
      return Health.progressing(
          "Waiting for statefulset rolling update to complete: "
              + updated
              + " of "
              + desired
              + " pods at revision "
              + updateRevision);
    }
    return Health.healthy(
        "statefulset rolling update complete: "
            + number(sts, 0, "status", "currentReplicas")
            + " pods at revision "
            + currentRevision);
  }
}
