package dev.mooring.canary;

import java.util.List;

/**
 * Traffic weight arithmetic, in percent of all traffic (Flagger's total weight is always 100).
 *
 * <p>Two ways to step: {@code stepWeight} adds a fixed amount per successful tick up to {@code
 * maxWeight}; when {@code stepWeight} is 0, {@code stepWeights} lists the weights to visit and its
 * last entry is the maximum. Unlike Flagger, a step never overshoots {@code maxWeight} (stepWeight
 * 20 with maxWeight 50 visits 20, 40, 50).
 */
public final class Weights {

  /** All traffic. */
  public static final int TOTAL = 100;

  private Weights() {}

  /** The canary weight at which the analysis is complete and promotion starts. */
  public static int maxWeight(AnalysisSettings settings) {
    if (usesStepWeights(settings)) {
      List<Integer> steps = settings.stepWeights();
      return clamp(steps.get(steps.size() - 1));
    }
    return settings.maxWeight() > 0 ? clamp(settings.maxWeight()) : TOTAL;
  }

  /**
   * The canary weight after one more successful tick; {@code current} itself once the maximum is
   * reached. Without any step setting, one step goes straight to the maximum.
   */
  public static int nextCanaryWeight(AnalysisSettings settings, int current) {
    int max = maxWeight(settings);
    if (current >= max) {
      return current;
    }
    if (usesStepWeights(settings)) {
      // the first listed weight above the current one, so a weight that is not in the list
      // (the list was edited mid-analysis) still moves forward
      return settings.stepWeights().stream()
          .filter(w -> w > current)
          .findFirst()
          .map(w -> Math.min(w, max))
          .orElse(max);
    }
    int step = settings.stepWeight() > 0 ? settings.stepWeight() : max;
    return Math.min(max, current + step);
  }

  /**
   * The canary weight after one promotion tick: {@code stepWeightPromotion} less, or 0 at once when
   * it is not set.
   */
  public static int nextPromotionCanaryWeight(AnalysisSettings settings, int current) {
    if (settings.stepWeightPromotion() <= 0) {
      return 0;
    }
    return Math.max(0, current - settings.stepWeightPromotion());
  }

  private static boolean usesStepWeights(AnalysisSettings settings) {
    return settings.stepWeight() <= 0 && !settings.stepWeights().isEmpty();
  }

  private static int clamp(int weight) {
    return Math.max(0, Math.min(TOTAL, weight));
  }
}
