package dev.mooring.canary;

/** Messages for failed metric checks, so that events and status say what went wrong. */
final class CheckMessages {

  private CheckMessages() {}

  /**
   * Why a check failed. A check without data says "no traffic" (pitfalls.md, "No data"): the usual
   * cause is that no request reached the canary during the metric's interval.
   */
  static String failure(CheckResult check) {
    String detail = check.message().isBlank() ? "" : ": " + check.message();
    String prefix = "Halt advancement: metric " + check.metric();
    if (!check.hasData()) {
      // the metrics code already says why: no traffic, or which error Prometheus gave
      return check.message().isBlank()
          ? prefix + " has no data (no traffic reached the canary, or the query failed)"
          : "Halt advancement: " + check.message();
    }
    double value = check.value();
    boolean outside =
        (check.min() != null && value < check.min())
            || (check.max() != null && value > check.max());
    return prefix
        + " value "
        + format(value)
        + (outside ? " outside range " : " failed (range ")
        + range(check)
        + (outside ? "" : ")")
        + detail;
  }

  private static String range(CheckResult check) {
    String min = check.min() == null ? "" : format(check.min());
    String max = check.max() == null ? "" : format(check.max());
    return "[" + min + ", " + max + "]";
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
