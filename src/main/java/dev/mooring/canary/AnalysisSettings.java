package dev.mooring.canary;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a Canary's spec that drive the analysis, with Flagger's defaults filled in.
 *
 * @param interval time between analysis ticks; default 60 s
 * @param threshold failed ticks that trigger a rollback; default 1 (Flagger's)
 * @param maxWeight highest canary weight before promotion; 0 means 100
 * @param stepWeight weight added per successful tick
 * @param stepWeights explicit weight sequence, used when {@code stepWeight} is 0
 * @param stepWeightPromotion weight moved back to the primary per tick while promoting; 0 = all at
 *     once
 * @param iterations analysis iterations for blue/green; above 0 means no weight steps
 * @param progressDeadlineSeconds how long the canary or primary may stay not ready; default 600
 * @param skipAnalysis promote a new revision without analysing it
 * @param suspend do nothing at all
 * @param webhooks the canary's webhooks
 * @param hasMetrics whether {@code analysis.metrics} is not empty (checks are queried only then)
 * @param abTesting A/B testing: iterations with {@code analysis.match}, whose matching requests all
 *     go to the canary during the analysis (Flagger's A/B strategy)
 * @param switchesTraffic whether the router moves traffic (every provider but kubernetes): a
 *     blue/green analysis then routes all traffic to the canary before the promotion, as Flagger
 * @param mirror blue/green mirroring ({@code analysis.mirror} with iterations and a router that
 *     switches traffic): during the iterations the primary's requests are copied to the canary
 */
public record AnalysisSettings(
    Duration interval,
    int threshold,
    int maxWeight,
    int stepWeight,
    List<Integer> stepWeights,
    int stepWeightPromotion,
    int iterations,
    int progressDeadlineSeconds,
    boolean skipAnalysis,
    boolean suspend,
    List<HookSpec> webhooks,
    boolean hasMetrics,
    boolean abTesting,
    boolean switchesTraffic,
    boolean mirror) {

  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
  static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

  public AnalysisSettings {
    interval =
        interval == null || interval.isZero() || interval.isNegative()
            ? DEFAULT_INTERVAL
            : interval;
    threshold = Math.max(threshold, 1);
    stepWeights = stepWeights == null ? List.of() : List.copyOf(stepWeights);
    progressDeadlineSeconds =
        progressDeadlineSeconds > 0 ? progressDeadlineSeconds : DEFAULT_PROGRESS_DEADLINE_SECONDS;
    webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
  }

  /** The hooks of one type, in spec order. */
  public List<HookSpec> hooksOfType(String type) {
    return webhooks.stream().filter(h -> h.type().equals(type)).toList();
  }

  /** Whether the analysis counts iterations instead of weight steps (blue/green or A/B). */
  public boolean isBlueGreen() {
    return iterations > 0;
  }

  /** Whether the analysis is A/B testing: iterations, with requests matched to the canary. */
  public boolean isAbTesting() {
    return iterations > 0 && abTesting;
  }

  /** Whether the iterations mirror the primary's traffic to the canary (blue/green mirroring). */
  public boolean isMirroring() {
    return mirror && iterations > 0 && switchesTraffic && !abTesting;
  }

  /** A builder starting from Flagger's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link AnalysisSettings} field by field; unset fields keep Flagger's defaults. */
  public static final class Builder {
    private Duration interval = DEFAULT_INTERVAL;
    private int threshold = 1;
    private int maxWeight;
    private int stepWeight;
    private List<Integer> stepWeights = List.of();
    private int stepWeightPromotion;
    private int iterations;
    private int progressDeadlineSeconds = DEFAULT_PROGRESS_DEADLINE_SECONDS;
    private boolean skipAnalysis;
    private boolean suspend;
    private final List<HookSpec> webhooks = new ArrayList<>();
    private boolean hasMetrics;
    private boolean abTesting;
    private boolean switchesTraffic;
    private boolean mirror;

    public Builder interval(Duration value) {
      interval = value;
      return this;
    }

    public Builder threshold(int value) {
      threshold = value;
      return this;
    }

    public Builder maxWeight(int value) {
      maxWeight = value;
      return this;
    }

    public Builder stepWeight(int value) {
      stepWeight = value;
      return this;
    }

    public Builder stepWeights(List<Integer> value) {
      stepWeights = value;
      return this;
    }

    public Builder stepWeightPromotion(int value) {
      stepWeightPromotion = value;
      return this;
    }

    public Builder iterations(int value) {
      iterations = value;
      return this;
    }

    public Builder progressDeadlineSeconds(int value) {
      progressDeadlineSeconds = value;
      return this;
    }

    public Builder skipAnalysis(boolean value) {
      skipAnalysis = value;
      return this;
    }

    public Builder suspend(boolean value) {
      suspend = value;
      return this;
    }

    public Builder webhook(String name, String type) {
      webhooks.add(new HookSpec(name, type));
      return this;
    }

    public Builder hasMetrics(boolean value) {
      hasMetrics = value;
      return this;
    }

    public Builder abTesting(boolean value) {
      abTesting = value;
      return this;
    }

    public Builder switchesTraffic(boolean value) {
      switchesTraffic = value;
      return this;
    }

    public Builder mirror(boolean value) {
      mirror = value;
      return this;
    }

    public AnalysisSettings build() {
      return new AnalysisSettings(
          interval,
          threshold,
          maxWeight,
          stepWeight,
          stepWeights,
          stepWeightPromotion,
          iterations,
          progressDeadlineSeconds,
          skipAnalysis,
          suspend,
          webhooks,
          hasMetrics,
          abTesting,
          switchesTraffic,
          mirror);
    }
  }
}
