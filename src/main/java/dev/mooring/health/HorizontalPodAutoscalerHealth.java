package dev.mooring.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * HorizontalPodAutoscaler: degraded when it cannot read its target or its metrics, healthy when
 * able to scale, progressing until the controller reports conditions. autoscaling/v1 objects carry
 * their conditions as JSON in an annotation.
 *
 * <p>Unlike Argo CD, which returns on the first condition it recognises, every condition is checked
 * for a failure first: AbleToScale=True must not hide ScalingActive=False.
 */
final class HorizontalPodAutoscalerHealth implements HealthCheck {

  private static final String V1_CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions";

  /** type:reason pairs that mean the autoscaler cannot do its job. */
  private static final Set<String> FAILURES =
      Set.of(
          "AbleToScale:FailedGetScale",
          "AbleToScale:FailedUpdateScale",
          "ScalingActive:FailedGetResourceMetric",
          "ScalingActive:FailedGetObjectMetric",
          "ScalingActive:FailedGetPodsMetric",
          "ScalingActive:FailedGetExternalMetric",
          "ScalingActive:FailedGetContainerResourceMetric",
          "ScalingActive:InvalidSelector",
          "ScalingActive:InvalidMetricSourceType");

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public boolean handles(String group, String kind) {
    return "HorizontalPodAutoscaler".equals(kind) && "autoscaling".equals(group);
  }

  @Override
  public Health assess(JsonNode hpa) {
    JsonNode conditions = conditions(hpa);
    for (JsonNode condition : conditions) {
      String key = Fields.text(condition, "type") + ":" + Fields.text(condition, "reason");
      if (FAILURES.contains(key)) {
        return Health.degraded(
            Fields.join(
                ": ",
                "HorizontalPodAutoscaler cannot scale",
                Fields.text(condition, "type") + "=" + Fields.text(condition, "status"),
                Fields.explain(condition)));
      }
    }
    for (JsonNode condition : conditions) {
      String type = Fields.text(condition, "type");
      if (List.of("AbleToScale", "ScalingLimited").contains(type) && Fields.isTrue(condition)) {
        return Health.healthy(Fields.text(condition, "message"));
      }
    }
    return Health.progressing(
        "Waiting to autoscale: the autoscaler has not reported AbleToScale=True yet");
  }

  private static JsonNode conditions(JsonNode hpa) {
    JsonNode inStatus = Fields.at(hpa, "status", "conditions");
    if (inStatus.size() > 0) {
      return inStatus;
    }
    String annotation = Fields.text(hpa, "metadata", "annotations", V1_CONDITIONS);
    if (annotation.isEmpty()) {
      return inStatus;
    }
    try {
      return JSON.readTree(annotation);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "annotation " + V1_CONDITIONS + " is not valid JSON: " + e.getMessage(), e);
    }
  }
}
