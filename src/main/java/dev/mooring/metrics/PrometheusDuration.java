package dev.mooring.metrics;

import dev.mooring.controller.Durations;
import java.time.Duration;

/**
 * Prometheus' duration notation ({@code 1m}, {@code 1m30s}, {@code 500ms}, units y w d h m s ms),
 * used by a Canary's metric {@code interval} and by scrape intervals, so that {@link
 * IntervalAdvice} can compare them.
 */
public final class PrometheusDuration {

  private PrometheusDuration() {}

  /**
   * Parses a duration such as {@code 1m30s}.
   *
   * @throws IllegalArgumentException naming the text when it is not a Prometheus duration
   */
  public static Duration parse(String text) {
    Duration parsed = Durations.parse(text, null);
    if (parsed == null) {
      throw new IllegalArgumentException(
          "not a Prometheus duration: \"" + text + "\" (expected e.g. 30s, 1m, 1m30s, 500ms)");
    }
    return parsed;
  }

  /** Writes a duration the way Prometheus does, e.g. {@code 1m30s}; days and above as hours. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long hours = d.toHours();
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (d.toMinutesPart() > 0) {
      out.append(d.toMinutesPart()).append('m');
    }
    if (d.toSecondsPart() > 0) {
      out.append(d.toSecondsPart()).append('s');
    }
    if (d.toMillisPart() > 0) {
      out.append(d.toMillisPart()).append("ms");
    }
    return out.toString();
  }
}
