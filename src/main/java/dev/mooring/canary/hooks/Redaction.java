package dev.mooring.canary.hooks;

import java.net.URI;

/**
 * What of a webhook's URL and answer may go into a message: messages reach Kubernetes events, the
 * Canary's status and alerts, which more people read than the Canary's author.
 */
public final class Redaction {
  private Redaction() {}

  /** Scheme, host, port and path: user info and query strings often carry tokens. */
  public static String url(URI uri) {
    StringBuilder out = new StringBuilder();
    if (uri.getScheme() != null) {
      out.append(uri.getScheme()).append("://");
    }
    if (uri.getHost() != null) {
      out.append(uri.getHost());
    }
    if (uri.getPort() >= 0) {
      out.append(':').append(uri.getPort());
    }
    if (uri.getRawPath() != null) {
      out.append(uri.getRawPath());
    }
    return out.toString();
  }

  /**
   * A short answer on one line (approval gates say "approved" or why not); a longer one is left
   * out, since it is more likely a stack trace or a page than a reason.
   */
  static String body(String body) {
    String line = body == null ? "" : body.replaceAll("\\p{Cntrl}+", " ").strip();
    if (line.length() > WebhookExecutor.MAX_ECHOED_BODY) {
      return "(answer longer than " + WebhookExecutor.MAX_ECHOED_BODY + " characters not shown)";
    }
    return line;
  }
}
