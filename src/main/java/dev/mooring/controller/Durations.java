package dev.mooring.controller;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as Kubernetes and Prometheus users write them: "30s", "3m", "1h30m", "500ms",
 * also "1d", "1w", "1y". The one parser of the project (intervals, backoffs, timeouts).
 */
public final class Durations {
  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|[ywdhms]))+");
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|[ywdhms])");

  private Durations() {}

  /** Whether {@code text} is blank (the default applies) or a duration {@link #parse} reads. */
  public static boolean blankOrValid(String text) {
    if (text == null || text.isBlank()) {
      return true;
    }
    Duration unlikely = Duration.ofNanos(-7);
    return !parse(text, unlikely).equals(unlikely);
  }

  /** The duration, or {@code fallback} for blank, malformed or overflowing text. */
  public static Duration parse(String text, Duration fallback) {
    String s = text == null ? "" : text.strip();
    if (!WHOLE.matcher(s).matches()) {
      return fallback;
    }
    try {
      Duration total = Duration.ZERO;
      Matcher m = PART.matcher(s);
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        total =
            total.plus(
                switch (m.group(2)) {
                  case "y" -> Duration.ofDays(Math.multiplyExact(365, n));
                  case "w" -> Duration.ofDays(Math.multiplyExact(7, n));
                  case "d" -> Duration.ofDays(n);
                  case "h" -> Duration.ofHours(n);
                  case "m" -> Duration.ofMinutes(n);
                  case "s" -> Duration.ofSeconds(n);
                  default -> Duration.ofMillis(n);
                });
      }
      return total;
    } catch (ArithmeticException | NumberFormatException e) {
      // a user-written number too large for a Duration is as unusable as garbage
      return fallback;
    }
  }

  /** A duration as people write it: {@code 4m12s}, {@code 1h}, {@code 0s}. */
  public static String format(Duration d) {
    long seconds = Math.max(0, (d.toMillis() + 999) / 1000);
    if (seconds == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long h = seconds / 3600;
    long m = seconds % 3600 / 60;
    long s = seconds % 60;
    if (h > 0) {
      out.append(h).append('h');
    }
    if (m > 0) {
      out.append(m).append('m');
    }
    if (s > 0) {
      out.append(s).append('s');
    }
    return out.toString();
  }
}
