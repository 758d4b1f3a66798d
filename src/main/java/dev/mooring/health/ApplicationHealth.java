package dev.mooring.health;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Mooring's Application (an app of apps): its health is what its own controller reported in {@code
 * status.health}.
 */
final class ApplicationHealth implements HealthCheck {

  @Override
  public boolean handles(String group, String kind) {
    return "Application".equals(kind) && HealthAssessor.MOORING_GROUP.equals(group);
  }

  @Override
  public Health assess(JsonNode application) {
    return reported(application, "Application");
  }

  /** The health in {@code status.health}, as reported by the object's own controller. */
  static Health reported(JsonNode obj, String kind) {
    String status = Fields.text(obj, "status", "health", "status");
    String message = Fields.text(obj, "status", "health", "message");
    if (status.isEmpty()) {
      return Health.progressing("Waiting for the " + kind + " controller to report status.health");
    }
    HealthStatus parsed = HealthStatus.parse(status);
    if (parsed == null) {
      return Health.unknown(kind + " reports an unrecognised health status " + status);
    }
    if (parsed != HealthStatus.Healthy && message.isEmpty()) {
      message = kind + " reports " + parsed + " without a message";
    }
    return new Health(parsed, message);
  }
}
