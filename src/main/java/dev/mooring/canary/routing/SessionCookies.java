package dev.mooring.canary.routing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Supplier;

/**
 * The session-affinity cookies of a Canary ({@code analysis.sessionAffinity}), as Flagger keeps
 * them in the status: while the canary gets traffic, {@code current} is {@code <cookieName>=<random
 * value>}, set on the canary's responses and matched to keep those users on the canary; once the
 * canary weight is back at 0 (promoted or rolled back) it becomes {@code previous}, which the
 * routers expire ({@code Max-Age=-1}) for users still carrying it. Pure: the random value comes
 * from the caller.
 *
 * @param current the cookie of the running analysis, or null
 * @param previous the cookie of the last analysis, or null
 */
public record SessionCookies(String current, String previous) {

  /** Flagger's default {@code maxAge}: one day. */
  public static final int DEFAULT_MAX_AGE_SECONDS = 86_400;

  /**
   * The cookies to route with at this canary weight.
   *
   * @param sessionAffinity {@code analysis.sessionAffinity}; null or without {@code cookieName}
   *     means no session affinity (the cookies are returned unchanged)
   * @param canaryWeight the weight about to be routed
   * @param randomValue a fresh random cookie value, asked for only when a cookie is started
   */
  public SessionCookies next(
      JsonNode sessionAffinity, int canaryWeight, Supplier<String> randomValue) {
    String name = cookieName(sessionAffinity);
    if (name == null) {
      return this;
    }
    if (canaryWeight > 0) {
      return blank(current) ? new SessionCookies(name + "=" + randomValue.get(), previous) : this;
    }
    return new SessionCookies(null, blank(current) ? previous : current);
  }

  /** {@code sessionAffinity.cookieName}, or null when session affinity is off. */
  public static String cookieName(JsonNode sessionAffinity) {
    if (sessionAffinity == null || !sessionAffinity.path("cookieName").isTextual()) {
      return null;
    }
    String name = sessionAffinity.path("cookieName").asText().strip();
    return name.isEmpty() ? null : name;
  }

  /** {@code sessionAffinity.maxAge} in seconds, Flagger's one day when unset or not positive. */
  public static int maxAge(JsonNode sessionAffinity) {
    int maxAge = sessionAffinity == null ? 0 : sessionAffinity.path("maxAge").asInt(0);
    return maxAge > 0 ? maxAge : DEFAULT_MAX_AGE_SECONDS;
  }

  /** The cookie's name and value: {@code ["name", "value"]}; null for a blank cookie. */
  public static String[] split(String cookie) {
    if (blank(cookie)) {
      return null;
    }
    int eq = cookie.indexOf('=');
    return eq < 0
        ? new String[] {cookie, ""}
        : new String[] {cookie.substring(0, eq), cookie.substring(eq + 1)};
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
