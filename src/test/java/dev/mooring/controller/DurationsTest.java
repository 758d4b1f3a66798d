package dev.mooring.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  private static final Duration FALLBACK = Duration.ofSeconds(42);

  @Test
  void reads_seconds_minutes_hours_and_milliseconds() {
    assertThat(Durations.parse("30s", FALLBACK)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("3m", FALLBACK)).isEqualTo(Duration.ofMinutes(3));
    assertThat(Durations.parse("2h", FALLBACK)).isEqualTo(Duration.ofHours(2));
    assertThat(Durations.parse("500ms", FALLBACK)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void adds_up_compound_durations() {
    assertThat(Durations.parse("1h30m", FALLBACK)).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1m30s", FALLBACK)).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("1s500ms", FALLBACK)).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void ignores_surrounding_blanks() {
    assertThat(Durations.parse(" 5m ", FALLBACK)).isEqualTo(Duration.ofMinutes(5));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        " ",
        "soon",
        "30",
        "s",
        "5x",
        "-5s",
        "1.5s",
        "5 s",
        "5s!",
        "m5",
        "3m garbage",
        "99999999999999999999s",
        "9999999999999999h"
      })
  void anything_else_gives_the_fallback(String text) {
    assertThat(Durations.parse(text, FALLBACK)).isEqualTo(FALLBACK);
  }
}
