package dev.mooring.metrics;

import java.time.Duration;
import java.util.Optional;

/**
 * Warns about metric intervals too short for the scrape interval (flagger #1123): {@code rate()}
 * needs two samples inside its window, so a 1m window over a 1m scrape often returns nothing and
 * the check fails for "no traffic" although there is traffic. Four scrape intervals leave room for
 * a missed scrape and for the window not being aligned with the scrapes.
 */
public final class IntervalAdvice {
  /** How many scrape intervals a metric interval should span at least. */
  public static final int MIN_SCRAPES = 4;

  private IntervalAdvice() {}

  /**
   * A warning to show on the Canary when {@code metricInterval} is shorter than {@link
   * #MIN_SCRAPES} scrape intervals; empty when it is long enough or when either is unknown.
   */
  public static Optional<String> warn(Duration metricInterval, Duration scrapeInterval) {
    if (metricInterval == null
        || scrapeInterval == null
        || scrapeInterval.isZero()
        || scrapeInterval.isNegative()) {
      return Optional.empty();
    }
    Duration recommended = scrapeInterval.multipliedBy(MIN_SCRAPES);
    if (metricInterval.compareTo(recommended) >= 0) {
      return Optional.empty();
    }
    return Optional.of(
        "metric interval "
            + format(metricInterval)
            + " is shorter than "
            + MIN_SCRAPES
            + " scrape intervals of "
            + format(scrapeInterval)
            + ": rate() may find fewer than two samples and report no traffic;"
            + " use an interval of at least "
            + format(recommended));
  }

  private static String format(Duration d) {
    return PrometheusDuration.format(d);
  }
}
