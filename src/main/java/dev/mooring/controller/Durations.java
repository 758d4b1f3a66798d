package dev.mooring.controller;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Go-style durations as Kubernetes users write them: "30s", "3m", "1h30m", "500ms". */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  private Durations() {}

  public static Duration parse(String text, Duration fallback) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      return parseParts(text.trim(), fallback);
    } catch (ArithmeticException | NumberFormatException e) {
      // a user-written number too large for a Duration is as unusable as garbage
      return fallback;
    }
  }

  private static Duration parseParts(String text, Duration fallback) {
    Matcher m = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return fallback;
      }
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
              });
      end = m.end();
    }
    return end == text.length() && end > 0 ? total : fallback;
  }
}
