package dev.mooring.metrics;

import java.time.Instant;

/**
 * The outcome of one metric check, as shown in the Canary's {@code analysisHistory}, the API and
 * the page.
 *
 * @param metric the metric's name in the Canary
 * @param value the measured value; null when there was none (no traffic, or Prometheus failed)
 * @param min lower bound of {@code thresholdRange}; null for none
 * @param max upper bound of {@code thresholdRange}; null for none
 * @param passed whether the check passed
 * @param message why, in a sentence a user can act on
 * @param time when the check ran
 */
public record CheckResult(
    String metric,
    Double value,
    Double min,
    Double max,
    boolean passed,
    String message,
    Instant time) {}
