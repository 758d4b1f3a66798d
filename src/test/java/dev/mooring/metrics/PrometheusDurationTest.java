package dev.mooring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PrometheusDurationTest {
  @Test
  void parses_the_units_flagger_intervals_use() {
    assertThat(PrometheusDuration.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(PrometheusDuration.parse("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(PrometheusDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(PrometheusDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(PrometheusDuration.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(PrometheusDuration.parse("1d")).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void rejects_what_prometheus_would_reject_naming_the_text() {
    for (String bad : new String[] {"", "1", "m", "1.5m", "1 m", "-1m", "1min"}) {
      assertThatThrownBy(() -> PrometheusDuration.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("\"" + bad + "\"");
    }
  }

  @Test
  void formats_back_to_the_same_notation() {
    assertThat(PrometheusDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(PrometheusDuration.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
    assertThat(PrometheusDuration.format(Duration.ofMinutes(4))).isEqualTo("4m");
    assertThat(PrometheusDuration.format(Duration.ZERO)).isEqualTo("0s");
  }
}
