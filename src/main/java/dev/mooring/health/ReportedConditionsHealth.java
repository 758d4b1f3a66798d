package dev.mooring.health;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The rule for kinds without a check of their own. Like Argo CD such objects are healthy, except
 * when they say otherwise in the two conventions most controllers follow: a {@code Ready} condition
 * (Flux, Crossplane, cert-manager, kstatus) and, for Mooring's own kinds, {@code status.health}.
 */
final class ReportedConditionsHealth {

  private ReportedConditionsHealth() {}

  static Health assess(JsonNode obj) {
    String kind = Fields.kind(obj);
    if (HealthAssessor.MOORING_GROUP.equals(Fields.group(obj))
        && !Fields.text(obj, "status", "health", "status").isEmpty()) {
      return ApplicationHealth.reported(obj, kind);
    }
    var ready = Fields.condition(obj, "Ready");
    if (ready.isEmpty() || Fields.isTrue(ready.get())) {
      return Health.healthy();
    }
    String why = Fields.explain(ready.get());
    if (Fields.isFalse(ready.get()) && !isProgressReason(Fields.text(ready.get(), "reason"))) {
      return Health.degraded(Fields.join(": ", kind + " is not ready", why));
    }
    // Ready=Unknown, or False with a reason that says work is under way (kstatus convention).
    return Health.progressing(Fields.join(": ", "Waiting for " + kind + " to become ready", why));
  }

  private static boolean isProgressReason(String reason) {
    return reason.contains("Progressing") || reason.contains("Reconciling");
  }
}
