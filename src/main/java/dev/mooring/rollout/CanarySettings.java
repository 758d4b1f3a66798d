package dev.mooring.rollout;

import dev.mooring.canary.AnalysisSettings;
import dev.mooring.canary.HookSpec;
import dev.mooring.canary.routing.RequestMatch;
import dev.mooring.canary.routing.Routers;
import dev.mooring.controller.Durations;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryAnalysis;
import dev.mooring.model.CanarySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a Canary's spec into the state machine's {@link AnalysisSettings}, with Flagger's defaults,
 * and rejects what cannot work with a message that says what to change. Pure: no cluster.
 */
public final class CanarySettings {
  private static final Set<String> HOOK_TYPES =
      Set.of(
          HookSpec.CONFIRM_ROLLOUT,
          HookSpec.PRE_ROLLOUT,
          HookSpec.ROLLOUT,
          HookSpec.CONFIRM_TRAFFIC_INCREASE,
          HookSpec.CONFIRM_PROMOTION,
          HookSpec.POST_ROLLOUT,
          HookSpec.ROLLBACK,
          HookSpec.EVENT);

  private CanarySettings() {}

  /** A Canary spec the controller cannot act on; the message goes into status and an Event. */
  public static final class InvalidCanaryException extends Exception {
    public InvalidCanaryException(String message) {
      super(message);
    }
  }

  /** The analysis settings of a Canary, or why its spec cannot be used. */
  public static AnalysisSettings of(Canary canary) throws InvalidCanaryException {
    CanarySpec spec = canary.getSpec();
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      // a spec that could not be read is never acted on in part
      throw new InvalidCanaryException(
          canary.unreadable() != null ? canary.unreadable() : "spec is missing");
    }
    if (spec.targetRef == null || blank(spec.targetRef.name)) {
      problems.add("spec.targetRef.name is required");
    } else if (spec.targetRef.kind != null
        && !"Deployment".equals(spec.targetRef.kind)
        && !"DaemonSet".equals(spec.targetRef.kind)) {
      problems.add(
          "spec.targetRef.kind "
              + spec.targetRef.kind
              + " is not supported (Deployment or DaemonSet)");
    } else if (isDaemonSet(spec) && spec.autoscalerRef != null) {
      problems.add("spec.autoscalerRef cannot scale a DaemonSet target (it runs on every node)");
    }
    if (spec.service == null || spec.service.port == null) {
      problems.add("spec.service.port is required");
    }
    String scaler = dev.mooring.canary.routing.PrimaryScaler.problem(spec.autoscalerRef);
    if (scaler != null) {
      problems.add(scaler);
    }
    try {
      Routers.forProvider(spec.provider);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    if ("nginx".equals(provider(spec))
        && (spec.ingressRef == null || blank(spec.ingressRef.name))) {
      problems.add("provider nginx needs spec.ingressRef");
    }
    CanaryAnalysis analysis = spec.effectiveAnalysis();
    if (analysis == null) {
      analysis = new CanaryAnalysis();
    }
    Duration interval = Durations.parse(analysis.interval, null);
    if (!blank(analysis.interval) && (interval == null || interval.isZero())) {
      problems.add(
          "analysis.interval \"" + analysis.interval + "\" is not a duration (e.g. 30s, 1m)");
    }
    if (analysis.stepWeights != null) {
      for (Integer w : analysis.stepWeights) {
        if (w == null || w < 1 || w > 100) {
          problems.add("analysis.stepWeights must be within 1..100, got " + w);
          break;
        }
      }
    }
    List<HookSpec> hooks = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (CanaryAnalysis.Webhook hook : list(analysis.webhooks)) {
      if (blank(hook.name) || blank(hook.url)) {
        problems.add("every analysis.webhooks entry needs a name and a url");
        continue;
      }
      if (!names.add(hook.name)) {
        problems.add("webhook name " + hook.name + " is used twice");
      }
      HookSpec parsed = new HookSpec(hook.name, hook.type);
      if (!HOOK_TYPES.contains(parsed.type())) {
        problems.add("webhook " + hook.name + " has unknown type " + hook.type);
      }
      hooks.add(parsed);
    }
    for (CanaryAnalysis.Metric metric : list(analysis.metrics)) {
      if (blank(metric.name)) {
        problems.add("every analysis.metrics entry needs a name");
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidCanaryException(String.join("; ", problems));
    }
    return new AnalysisSettings(
        interval,
        value(analysis.threshold, 1),
        value(analysis.maxWeight, 0),
        value(analysis.stepWeight, 0),
        analysis.stepWeights,
        value(analysis.stepWeightPromotion, 0),
        value(analysis.iterations, 0),
        value(spec.progressDeadlineSeconds, 0),
        Boolean.TRUE.equals(spec.skipAnalysis),
        Boolean.TRUE.equals(spec.suspend),
        hooks,
        !list(analysis.metrics).isEmpty(),
        !RequestMatch.of(canary).isEmpty() && !"kubernetes".equals(provider(spec)),
        !"kubernetes".equals(provider(spec)),
        Boolean.TRUE.equals(analysis.mirror));
  }

  /** Whether the target is a DaemonSet (else a Deployment, Flagger's default). */
  public static boolean isDaemonSet(CanarySpec spec) {
    return spec != null && spec.targetRef != null && "DaemonSet".equals(spec.targetRef.kind);
  }

  /** The provider's name, {@code kubernetes} when none is given. */
  public static String provider(CanarySpec spec) {
    return spec.provider == null || spec.provider.isBlank() ? "kubernetes" : spec.provider.trim();
  }

  /** The analysis interval, Flagger's 60s when unset or unreadable. */
  public static Duration interval(Canary canary) {
    CanaryAnalysis analysis =
        canary.getSpec() == null ? null : canary.getSpec().effectiveAnalysis();
    Duration parsed = Durations.parse(analysis == null ? null : analysis.interval, null);
    return parsed == null || parsed.isZero() ? Duration.ofSeconds(60) : parsed;
  }

  /** Percent of pods that must be ready: primaryReadyThreshold or canaryReadyThreshold. */
  public static int readyThreshold(Canary canary, boolean primary) {
    CanaryAnalysis analysis =
        canary.getSpec() == null ? null : canary.getSpec().effectiveAnalysis();
    Integer value =
        analysis == null
            ? null
            : primary ? analysis.primaryReadyThreshold : analysis.canaryReadyThreshold;
    return value == null || value <= 0 || value > 100 ? 100 : value;
  }

  private static int value(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private static <T> List<T> list(List<T> values) {
    return values == null ? List.of() : values;
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
