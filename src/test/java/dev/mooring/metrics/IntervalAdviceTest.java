package dev.mooring.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class IntervalAdviceTest {
  @Test
  void a_one_minute_rate_over_a_one_minute_scrape_is_warned_about() {
    assertThat(IntervalAdvice.warn(Duration.ofMinutes(1), Duration.ofMinutes(1)))
        .hasValueSatisfying(
            warning ->
                assertThat(warning)
                    .contains("metric interval 1m", "4 scrape intervals of 1m", "at least 4m"));
  }

  @Test
  void just_under_four_scrapes_is_warned_about_and_four_is_enough() {
    assertThat(IntervalAdvice.warn(Duration.ofSeconds(119), Duration.ofSeconds(30))).isPresent();
    assertThat(IntervalAdvice.warn(Duration.ofMinutes(2), Duration.ofSeconds(30))).isEmpty();
    assertThat(IntervalAdvice.warn(Duration.ofMinutes(5), Duration.ofSeconds(30))).isEmpty();
  }

  @Test
  void the_warning_uses_prometheus_duration_notation() {
    assertThat(IntervalAdvice.warn(Duration.ofSeconds(45), Duration.ofSeconds(15)))
        .hasValueSatisfying(warning -> assertThat(warning).contains("45s", "15s", "at least 1m"));
  }

  @Test
  void an_unknown_scrape_interval_gives_no_warning() {
    assertThat(IntervalAdvice.warn(Duration.ofSeconds(10), null)).isEmpty();
    assertThat(IntervalAdvice.warn(Duration.ofSeconds(10), Duration.ZERO)).isEmpty();
    assertThat(IntervalAdvice.warn(null, Duration.ofSeconds(10))).isEmpty();
  }
}
