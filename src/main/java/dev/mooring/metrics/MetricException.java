package dev.mooring.metrics;

/**
 * A metric could not be obtained: the template did not render, or Prometheus was unreachable, slow,
 * answered an error, or answered something that is not a single value. A canary check that meets
 * this exception fails; it never passes.
 */
public class MetricException extends Exception {
  private static final long serialVersionUID = 1L;

  public MetricException(String message) {
    super(message);
  }

  public MetricException(String message, Throwable cause) {
    super(message, cause);
  }
}
