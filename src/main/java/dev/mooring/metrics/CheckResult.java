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
 * @param query the query as sent to Prometheus, null when none was sent (a template that did not
 *     render, no address)
 */
public record CheckResult(
    String metric,
    Double value,
    Double min,
    Double max,
    boolean passed,
    String message,
    Instant time,
    String query) {

  public CheckResult(
      String metric,
      Double value,
      Double min,
      Double max,
      boolean passed,
      String message,
      Instant time) {
    this(metric, value, min, max, passed, message, time, null);
  }

  /**
   * The same result, naming the query it ran; a failed check's message ends with it, so that the
   * Event and the status say what was asked, not only what came back.
   */
  public CheckResult withQuery(String sent) {
    return new CheckResult(
        metric,
        value,
        min,
        max,
        passed,
        passed || sent == null ? message : message + " (query: " + sent + ")",
        time,
        sent);
  }
}
