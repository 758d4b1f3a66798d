package dev.mooring.health;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * PersistentVolumeClaim: Bound is healthy, Lost is degraded. Pending is progressing while a
 * provisioner works on it; without one it is, like in Argo CD, healthy: the claim usually waits for
 * its first consumer (WaitForFirstConsumer binding), and the pod that uses it reports the wait.
 */
final class PersistentVolumeClaimHealth implements HealthCheck {

  @Override
  public boolean handles(String group, String kind) {
    return "PersistentVolumeClaim".equals(kind) && group.isEmpty();
  }

  @Override
  public Health assess(JsonNode pvc) {
    String phase = Fields.text(pvc, "status", "phase");
    switch (phase) {
      case "Bound":
        return Health.healthy();
      case "Lost":
        return Health.degraded(
            "PersistentVolumeClaim lost its volume "
                + Fields.text(pvc, "spec", "volumeName")
                + ": the bound PersistentVolume no longer exists");
      case "Pending":
        String provisioner = provisioner(pvc);
        if (!provisioner.isEmpty()) {
          return Health.progressing("Waiting for " + provisioner + " to provision the volume");
        }
        return Health.healthy("Pending: waiting for the first consumer to bind the volume");
      default:
        return Health.unknown(
            "PersistentVolumeClaim phase is " + (phase.isEmpty() ? "not reported" : phase));
    }
  }

  private static String provisioner(JsonNode pvc) {
    String current =
        Fields.text(pvc, "metadata", "annotations", "volume.kubernetes.io/storage-provisioner");
    return current.isEmpty()
        ? Fields.text(
            pvc, "metadata", "annotations", "volume.beta.kubernetes.io/storage-provisioner")
        : current;
  }
}
