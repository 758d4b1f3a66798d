package dev.mooring.api;

/** What a caller may do, and who it is. */
public record Access(Level level, String user) {

  /** Ordered levels of access. */
  public enum Level {
    NONE,
    READ,
    ADMIN;

    public boolean allows(Level needed) {
      return compareTo(needed) >= 0;
    }

    static Level parse(String text, Level fallback) {
      if (text == null || text.isBlank()) {
        return fallback;
      }
      return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "none" -> NONE;
        case "read" -> READ;
        case "admin" -> ADMIN;
        default ->
            throw new IllegalArgumentException(
                "mooring.api.anonymous must be none, read or admin, not " + text);
      };
    }
  }
}
