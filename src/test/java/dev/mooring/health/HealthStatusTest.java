package dev.mooring.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthStatusTest {

  @Test
  void statusesRankHealthySuspendedProgressingMissingUnknownDegraded() {
    HealthStatus[] order = HealthStatus.values();
    for (int better = 0; better < order.length; better++) {
      for (int worse = better + 1; worse < order.length; worse++) {
        assertThat(order[worse].isWorseThan(order[better])).isTrue();
        assertThat(order[better].isWorseThan(order[worse])).isFalse();
        assertThat(order[better].worse(order[worse])).isEqualTo(order[worse]);
        assertThat(order[worse].worse(order[better])).isEqualTo(order[worse]);
      }
    }
    assertThat(HealthStatus.Unknown.isWorseThan(HealthStatus.Missing)).isTrue();
    assertThat(HealthStatus.Degraded.isWorseThan(HealthStatus.Unknown)).isTrue();
  }

  @Test
  void aStatusIsNotWorseThanItself() {
    assertThat(HealthStatus.Progressing.isWorseThan(HealthStatus.Progressing)).isFalse();
    assertThat(HealthStatus.Progressing.worse(HealthStatus.Progressing))
        .isEqualTo(HealthStatus.Progressing);
  }

  @Test
  void nullCountsAsHealthy() {
    assertThat(HealthStatus.Suspended.worse(null)).isEqualTo(HealthStatus.Suspended);
    assertThat(HealthStatus.Healthy.isWorseThan(null)).isFalse();
  }

  @Test
  void aHealthWithoutAMessageHasAnEmptyOne() {
    assertThat(new Health(HealthStatus.Degraded, null).message()).isEmpty();
  }
}
