package dev.mooring.canary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightsTest {

  private static List<Integer> walk(AnalysisSettings settings) {
    List<Integer> weights = new ArrayList<>();
    int weight = 0;
    while (weight < Weights.maxWeight(settings)) {
      weight = Weights.nextCanaryWeight(settings, weight);
      weights.add(weight);
    }
    return weights;
  }

  @Test
  void stepWeightFiveUpToFiftyVisitsEveryMultipleOfFive() {
    AnalysisSettings settings = AnalysisSettings.builder().stepWeight(5).maxWeight(50).build();

    assertThat(walk(settings)).containsExactly(5, 10, 15, 20, 25, 30, 35, 40, 45, 50);
  }

  @Test
  void aStepNeverOvershootsMaxWeight() {
    AnalysisSettings settings = AnalysisSettings.builder().stepWeight(20).maxWeight(50).build();

    assertThat(walk(settings)).containsExactly(20, 40, 50);
  }

  @Test
  void maxWeightDefaultsToAllTraffic() {
    AnalysisSettings settings = AnalysisSettings.builder().stepWeight(30).build();

    assertThat(Weights.maxWeight(settings)).isEqualTo(100);
    assertThat(walk(settings)).containsExactly(30, 60, 90, 100);
  }

  @Test
  void stepWeightsAreVisitedInOrderAndTheirLastEntryIsTheMaximum() {
    AnalysisSettings settings =
        AnalysisSettings.builder().stepWeights(List.of(1, 10, 50, 80)).maxWeight(30).build();

    assertThat(Weights.maxWeight(settings)).isEqualTo(80);
    assertThat(walk(settings)).containsExactly(1, 10, 50, 80);
  }

  @Test
  void stepWeightsAboveAllTrafficAreCapped() {
    AnalysisSettings settings = AnalysisSettings.builder().stepWeights(List.of(50, 120)).build();

    assertThat(walk(settings)).containsExactly(50, 100);
  }

  @Test
  void aWeightMissingFromStepWeightsMovesToTheNextListedWeight() {
    AnalysisSettings settings =
        AnalysisSettings.builder().stepWeights(List.of(1, 10, 50, 80)).build();

    assertThat(Weights.nextCanaryWeight(settings, 25)).isEqualTo(50);
  }

  @Test
  void stepWeightWinsOverStepWeightsWhenBothAreSet() {
    AnalysisSettings settings =
        AnalysisSettings.builder().stepWeight(10).maxWeight(20).stepWeights(List.of(5, 50)).build();

    assertThat(walk(settings)).containsExactly(10, 20);
  }

  @Test
  void withoutAnyStepSettingOneStepReachesTheMaximum() {
    AnalysisSettings settings = AnalysisSettings.builder().maxWeight(40).build();

    assertThat(walk(settings)).containsExactly(40);
  }

  @Test
  void theMaximumWeightIsNotExceededOnceReached() {
    AnalysisSettings settings = AnalysisSettings.builder().stepWeight(10).maxWeight(30).build();

    assertThat(Weights.nextCanaryWeight(settings, 30)).isEqualTo(30);
  }

  @Test
  void stepWeightPromotionMovesTrafficBackToThePrimaryStepByStep() {
    AnalysisSettings settings = AnalysisSettings.builder().stepWeightPromotion(20).build();

    assertThat(Weights.nextPromotionCanaryWeight(settings, 50)).isEqualTo(30);
    assertThat(Weights.nextPromotionCanaryWeight(settings, 30)).isEqualTo(10);
    assertThat(Weights.nextPromotionCanaryWeight(settings, 10)).isZero();
  }

  @Test
  void withoutStepWeightPromotionAllTrafficGoesBackAtOnce() {
    AnalysisSettings settings = AnalysisSettings.builder().build();

    assertThat(Weights.nextPromotionCanaryWeight(settings, 50)).isZero();
  }
}
