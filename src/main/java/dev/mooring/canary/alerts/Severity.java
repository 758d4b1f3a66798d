package dev.mooring.canary.alerts;

import java.util.Locale;
import java.util.Optional;

/**
 * Flagger's alert severities, from least to most severe. An event of one severity reaches an alert
 * of the same or a lower level: an {@code info} alert gets every event, a {@code warn} alert gets
 * warnings and errors, an {@code error} alert gets only errors.
 */
public enum Severity {
  INFO,
  WARN,
  ERROR;

  /** The severity an alert with no {@code severity} has (Flagger's documented default). */
  public static final Severity DEFAULT = INFO;

  /** {@code info}, {@code warn} or {@code error} in any case; blank is {@link #DEFAULT}. */
  public static Optional<Severity> parse(String value) {
    if (value == null || value.isBlank()) {
      return Optional.of(DEFAULT);
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "info" -> Optional.of(INFO);
      case "warn" -> Optional.of(WARN);
      case "error" -> Optional.of(ERROR);
      default -> Optional.empty();
    };
  }

  /** Whether an alert of this level is sent an event of {@code event}'s severity. */
  public boolean receives(Severity event) {
    return event.ordinal() >= ordinal();
  }

  /** As written in Canaries and payloads: {@code info}, {@code warn}, {@code error}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
