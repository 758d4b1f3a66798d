package dev.mooring.source;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;

/**
 * Turns whatever JGit and the JDK throw during a fetch into a {@link SourceException} with a short
 * message that names the repository (without credentials) and the cause a user can act on.
 */
final class FetchErrors {

  private FetchErrors() {}

  static SourceException classify(
      RepoUrl url, RepoCredentials credentials, Throwable error, Duration timeout) {
    return classify("fetch", url, credentials, error, timeout);
  }

  /** As {@link #classify(RepoUrl, RepoCredentials, Throwable, Duration)}, for a push. */
  static SourceException classify(
      String verb, RepoUrl url, RepoCredentials credentials, Throwable error, Duration timeout) {
    String prefix = verb + " " + url.display() + " failed: ";
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
        return unreachable(prefix + "connection refused", error);
      }
      if (t instanceof UnknownHostException) {
        return unreachable(prefix + "unknown host " + url.host(), error);
      }
      if (t instanceof InterruptedIOException) {
        return unreachable(prefix + "timed out after " + timeout.toSeconds() + "s", error);
      }
      if (t instanceof NoRemoteRepositoryException) {
        return unreachable(prefix + "repository not found", error);
      }
    }
    String all = messages(error).toLowerCase(Locale.ROOT);
    if (all.contains("server key did not validate")
        || all.contains("host key")
        || all.contains("known_hosts")
        || all.contains("knownhosts")) {
      return new SourceException(
          SourceException.Reason.AuthFailed,
          prefix
              + "the host key of "
              + url.host()
              + " is not listed in knownHosts of the repository Secret",
          error);
    }
    if (all.contains("not authorized")
        || all.contains("authentication is required")
        || all.contains("authentication not supported")
        || all.contains("no more authentication methods")
        || all.contains("auth fail")
        || all.contains("permission denied")
        || all.contains("forbidden")
        || all.contains(" 401")
        || all.contains(" 403")) {
      String hint =
          credentials.hasHttpCredentials() || credentials.hasSshKey()
              ? "authentication failed: the credentials were rejected"
              : "authentication required, but the Application names no credentials (secretRef)";
      return new SourceException(SourceException.Reason.AuthFailed, prefix + hint, error);
    }
    if (all.contains("timeout") || all.contains("timed out")) {
      return unreachable(prefix + "timed out after " + timeout.toSeconds() + "s", error);
    }
    String first =
        error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return unreachable(prefix + scrub(first, url, credentials), error);
  }

  /**
   * Removes the URL as given (it may hold a password) and every secret value from a message that
   * came from a library.
   */
  static String scrub(String message, RepoUrl url, RepoCredentials credentials) {
    String out = message.replace(url.given(), url.display());
    for (String secret : credentials.secrets()) {
      out = out.replace(secret, "***");
    }
    return RepoUrl.redact(out).lines().findFirst().orElse("");
  }

  private static SourceException unreachable(String message, Throwable cause) {
    // The cause is kept for logs only; JGit messages are scrubbed before they reach the status.
    return new SourceException(SourceException.Reason.Unreachable, message, cause);
  }

  private static String messages(Throwable error) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = error; t != null; t = t.getCause()) {
      all.append(' ').append(t.getMessage());
    }
    return all.toString();
  }
}
