package dev.mooring.canary;

/**
 * One metric check, already evaluated against its {@code thresholdRange} by the metrics code.
 *
 * @param metric the metric's name
 * @param value the measured value; null when the query returned no data
 * @param min the lower bound of the threshold range, null when none
 * @param max the upper bound of the threshold range, null when none
 * @param passed the evaluator's verdict; a check without a value never counts as passed
 * @param message why it failed (or a note), may be empty
 * @param query the query as sent to Prometheus, null when none was sent
 */
public record CheckResult(
    String metric,
    Double value,
    Double min,
    Double max,
    boolean passed,
    String message,
    String query) {

  public CheckResult {
    message = message == null ? "" : message;
  }

  public CheckResult(
      String metric, Double value, Double min, Double max, boolean passed, String message) {
    this(metric, value, min, max, passed, message, null);
  }

  /** Whether the check holds: it passed and has a real value (no data and NaN never pass). */
  public boolean holds() {
    return passed && hasData();
  }

  /** Whether the query returned a number. */
  public boolean hasData() {
    return value != null && !value.isNaN();
  }
}
