package dev.mooring.metrics;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Evaluates one metric check of a Canary analysis with explicit policies, so that a check can only
 * pass on a real value inside its range:
 *
 * <ul>
 *   <li>an empty result or NaN fails with a message saying there was no traffic (flagger #1035,
 *       #883): a rate over zero requests is 0/0;
 *   <li>an unreachable, slow or erroring Prometheus fails with its error;
 *   <li>a value outside {@code [min, max]} fails naming the value and the range.
 * </ul>
 */
public final class MetricCheck {
  private MetricCheck() {}

  /** Renders {@code template} with the Canary's variables, then evaluates it. */
  public static CheckResult evaluate(
      String metric,
      String template,
      Map<String, String> vars,
      Map<String, String> variables,
      Double min,
      Double max,
      PrometheusClient client,
      Clock clock) {
    String query;
    try {
      query = QueryTemplate.render(template, vars, variables);
    } catch (MetricException e) {
      return failed(
          metric, null, min, max, "query template of " + metric + ": " + e.getMessage(), clock);
    }
    return evaluate(metric, query, min, max, client, clock);
  }

  /**
   * Runs an already rendered query and applies the threshold range.
   *
   * @param min lower bound, inclusive; null for none
   * @param max upper bound, inclusive; null for none
   */
  public static CheckResult evaluate(
      String metric, String query, Double min, Double max, PrometheusClient client, Clock clock) {
    return measure(metric, query, min, max, client, clock).withQuery(query);
  }

  private static CheckResult measure(
      String metric, String query, Double min, Double max, PrometheusClient client, Clock clock) {
    OptionalDouble result;
    try {
      result = client.query(query);
    } catch (MetricException e) {
      return failed(
          metric,
          null,
          min,
          max,
          "metric " + metric + " could not be read: " + e.getMessage(),
          clock);
    }
    if (result.isEmpty() || Double.isNaN(result.getAsDouble())) {
      String why = result.isEmpty() ? "the query matched no series" : "the query returned NaN";
      return failed(
          metric,
          null,
          min,
          max,
          "no traffic: "
              + why
              + " for "
              + metric
              + "; send traffic to the canary or check the query's labels",
          clock);
    }
    double value = result.getAsDouble();
    String range = range(min, max);
    if (min != null && value < min) {
      return failed(
          metric,
          value,
          min,
          max,
          metric + " " + num(value) + " is below the minimum " + num(min) + " of " + range,
          clock);
    }
    if (max != null && value > max) {
      return failed(
          metric,
          value,
          min,
          max,
          metric + " " + num(value) + " is above the maximum " + num(max) + " of " + range,
          clock);
    }
    return new CheckResult(
        metric,
        value,
        min,
        max,
        true,
        metric + " " + num(value) + " is within " + range,
        clock.instant());
  }

  private static CheckResult failed(
      String metric, Double value, Double min, Double max, String message, Clock clock) {
    return new CheckResult(metric, value, min, max, false, message, clock.instant());
  }

  static String range(Double min, Double max) {
    return "[" + (min == null ? "-inf" : num(min)) + ", " + (max == null ? "+inf" : num(max)) + "]";
  }

  // Short and stable: 99.0 -> "99", 98.76543 -> "98.765".
  static String num(double v) {
    if (Double.isInfinite(v)) {
      return v > 0 ? "+inf" : "-inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
  }
}
