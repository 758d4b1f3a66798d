package dev.mooring.health;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Namespace: Active is healthy; Terminating is progressing, and its message carries the deletion
 * problems the namespace controller reports (content it cannot delete, finalizers left).
 */
final class NamespaceHealth implements HealthCheck {

  @Override
  public boolean handles(String group, String kind) {
    return "Namespace".equals(kind) && group.isEmpty();
  }

  @Override
  public Health assess(JsonNode namespace) {
    String phase = Fields.text(namespace, "status", "phase");
    if ("Terminating".equals(phase)) {
      List<String> problems = new ArrayList<>();
      for (JsonNode condition : Fields.at(namespace, "status", "conditions")) {
        // Namespace deletion conditions are True when something is in the way.
        if (Fields.isTrue(condition)) {
          problems.add(Fields.explain(condition));
        }
      }
      return Health.progressing(
          Fields.join(": ", "Namespace is terminating", String.join("; ", problems)));
    }
    if (phase.isEmpty() || "Active".equals(phase)) {
      return Health.healthy();
    }
    return Health.unknown("Namespace phase is " + phase);
  }
}
