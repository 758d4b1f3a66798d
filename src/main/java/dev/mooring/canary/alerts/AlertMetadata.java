package dev.mooring.canary.alerts;

import dev.mooring.model.Canary;
import dev.mooring.model.CanaryAnalysis;
import dev.mooring.model.CanarySpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The fields Flagger adds to the alerts that start something (initialization done, a new revision
 * analysed): the target, the failed-checks threshold, the progress deadline and how traffic moves.
 */
public final class AlertMetadata {
  private AlertMetadata() {}

  /** Target, Failed checks threshold, Progress deadline, Traffic routing (when it has one). */
  public static Map<String, String> of(Canary canary) {
    CanarySpec spec = canary.getSpec();
    CanaryAnalysis analysis = spec == null ? null : spec.effectiveAnalysis();
    String namespace = canary.getMetadata().getNamespace();
    Map<String, String> fields = new LinkedHashMap<>();
    CanarySpec.ObjectRef target = spec == null ? null : spec.targetRef;
    String kind = target == null || target.kind == null ? "Deployment" : target.kind;
    String name = target == null ? "" : target.name;
    fields.put("Target", kind + "/" + name + "." + namespace);
    int threshold = analysis == null || analysis.threshold == null ? 1 : analysis.threshold;
    fields.put("Failed checks threshold", String.valueOf(Math.max(threshold, 1)));
    Integer deadline = spec == null ? null : spec.progressDeadlineSeconds;
    fields.put("Progress deadline", (deadline == null || deadline <= 0 ? 600 : deadline) + "s");
    String routing = routing(analysis);
    if (routing != null) {
      fields.put("Traffic routing", routing);
    }
    return fields;
  }

  private static String routing(CanaryAnalysis analysis) {
    if (analysis == null) {
      return null;
    }
    int max = analysis.maxWeight == null || analysis.maxWeight <= 0 ? 100 : analysis.maxWeight;
    if (analysis.stepWeight != null && analysis.stepWeight > 0) {
      return "Weight step: " + analysis.stepWeight + " max: " + max;
    }
    List<Integer> steps = analysis.stepWeights;
    if (steps != null && !steps.isEmpty()) {
      String joined = steps.stream().map(String::valueOf).collect(Collectors.joining(","));
      return "Weight steps: " + joined + " max: " + Math.min(100, steps.get(steps.size() - 1));
    }
    if (analysis.match != null && analysis.match.isArray() && analysis.match.size() > 0) {
      return "A/B Testing";
    }
    if (analysis.iterations != null && analysis.iterations > 0) {
      return "Blue/Green";
    }
    return null;
  }
}
