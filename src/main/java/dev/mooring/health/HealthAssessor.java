package dev.mooring.health;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Assesses the health of live objects with the built-in check for their kind, and aggregates many
 * results into one (an Application's health is its worst resource's).
 */
public final class HealthAssessor {

  static final String MOORING_GROUP = "mooring.dev";

  /** Kinds whose check judges a stale observedGeneration itself (paused comes first, say). */
  private static final java.util.Set<String> OWN_GENERATION_CHECK =
      java.util.Set.of("apps/Deployment", "apps/StatefulSet", "apps/DaemonSet", "apps/ReplicaSet");

  private final List<HealthCheck> checks =
      List.of(
          new DeploymentHealth(),
          new StatefulSetHealth(),
          new DaemonSetHealth(),
          new ReplicaSetHealth(),
          new PodHealth(),
          new ServiceHealth(),
          new IngressHealth(),
          new PersistentVolumeClaimHealth(),
          new JobHealth(),
          new CronJobHealth(),
          new HorizontalPodAutoscalerHealth(),
          new CustomResourceDefinitionHealth(),
          new NamespaceHealth(),
          new ApplicationHealth(),
          new CanaryHealth());

  /** An assessor with every built-in check registered. */
  public HealthAssessor() {}

  /**
   * The health of one live object.
   *
   * <ul>
   *   <li>{@code null} (or an empty node): Missing, the object is not in the cluster;
   *   <li>an object being deleted: Progressing, "Pending deletion";
   *   <li>an object whose {@code status.observedGeneration} is older than its {@code
   *       metadata.generation}: Progressing, as kstatus says, since its status describes an older
   *       spec (a fix just applied is not judged on the failure it fixes);
   *   <li>a kind with a built-in check: that check's verdict (Unknown if the check cannot read the
   *       object);
   *   <li>any other kind: Healthy, unless its {@code Ready} condition is not True, or (Mooring's
   *       kinds) its {@code status.health} says otherwise.
   * </ul>
   */
  public Health assess(JsonNode obj) {
    if (obj == null || obj.isNull() || obj.isMissingNode() || obj.isEmpty()) {
      return Health.missing("Object does not exist in the cluster");
    }
    String deletion = Fields.text(obj, "metadata", "deletionTimestamp");
    if (!deletion.isEmpty()) {
      return Health.progressing(
          "Pending deletion since " + deletion + finalizers(obj.path("metadata")));
    }
    String group = Fields.group(obj);
    String kind = Fields.kind(obj);
    JsonNode observed = obj.path("status").path("observedGeneration");
    JsonNode generation = obj.path("metadata").path("generation");
    if (!OWN_GENERATION_CHECK.contains(group + "/" + kind)
        && observed.canConvertToLong()
        && generation.canConvertToLong()
        && observed.asLong() < generation.asLong()) {
      return Health.progressing(
          "Waiting for the controller to observe generation "
              + generation.asLong()
              + " (status describes generation "
              + observed.asLong()
              + ")");
    }
    for (HealthCheck check : checks) {
      if (check.handles(group, kind)) {
        try {
          return check.assess(obj);
        } catch (RuntimeException e) {
          // A malformed object must not stop the assessment of the others.
          return Health.unknown("Cannot assess " + kind + " health: " + e.getMessage());
        }
      }
    }
    return ReportedConditionsHealth.assess(obj);
  }

  /**
   * The worst of {@code parts} (Healthy when empty), with the message of the first part that has
   * the worst status. A {@code null} part counts as Missing.
   */
  public static Health aggregate(Collection<Health> parts) {
    Health worst = Health.healthy();
    for (Health part : parts) {
      Health health = orMissing(part);
      if (health.status().isWorseThan(worst.status())) {
        worst = health;
      }
    }
    return worst;
  }

  /**
   * The worst of the objects' health, with a message that names the worst object, for example
   * "Deployment guestbook/web: Waiting for rollout to finish: 1 of 2 updated replicas are
   * available", and says how many others are not healthy either. Keys are the objects' display
   * names; iteration order decides between objects of the same status. A {@code null} value counts
   * as Missing.
   */
  public static Health aggregate(Map<String, Health> byObjectName) {
    String worstName = null;
    Health worst = Health.healthy();
    List<String> unhealthy = new ArrayList<>();
    for (Map.Entry<String, Health> entry : byObjectName.entrySet()) {
      Health health = orMissing(entry.getValue());
      if (!health.isHealthy()) {
        unhealthy.add(entry.getKey());
      }
      if (health.status().isWorseThan(worst.status())) {
        worst = health;
        worstName = entry.getKey();
      }
    }
    if (worstName == null) {
      return worst;
    }
    String message = Fields.join(": ", worstName, worst.message());
    if (unhealthy.size() > 1) {
      message += " (and " + (unhealthy.size() - 1) + " more not healthy)";
    }
    return new Health(worst.status(), message);
  }

  private static Health orMissing(Health health) {
    return health != null ? health : Health.missing("Object does not exist in the cluster");
  }

  private static String finalizers(JsonNode metadata) {
    JsonNode finalizers = metadata.path("finalizers");
    if (finalizers.size() == 0) {
      return "";
    }
    List<String> names = new ArrayList<>();
    finalizers.forEach(f -> names.add(f.asText()));
    return ", waiting for finalizers " + String.join(", ", names);
  }
}
