package dev.mooring.source;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository URL as given by the user, with its canonical cache key and its kind.
 *
 * @param given the URL as written (trimmed); used for fetching, since {@code git@host:path} and
 *     {@code ssh://host/path} differ on some servers (home-relative vs absolute path)
 * @param key the canonical form: lower-case scheme and host, no default port, no password, no
 *     {@code .git} suffix or trailing slash, {@code git@host:path} written as {@code
 *     ssh://git@host/path}, local paths as {@code file:///abs/path}
 * @param host the host name (lower case), "" for local repositories
 * @param local true for {@code file://} URLs and plain paths
 */
record RepoUrl(String given, String key, String host, boolean local) {

  // user@host:path, as understood by git: no scheme, and a colon before the first slash.
  private static final Pattern SCP_LIKE = Pattern.compile("^(?:([^@/]+)@)?([^:/]+):(?!//)(.*)$");

  static RepoUrl parse(String repoURL) throws SourceException {
    if (repoURL == null || repoURL.isBlank()) {
      throw new SourceException(SourceException.Reason.Invalid, "repoURL is empty");
    }
    String given = repoURL.trim();
    if (given.contains("://")) {
      return parseUri(given);
    }
    Matcher scp = SCP_LIKE.matcher(given);
    if (scp.matches() && scp.group(2).length() > 1) { // length 1 would be a Windows drive letter
      String user = scp.group(1) == null ? "" : scp.group(1) + "@";
      String host = scp.group(2).toLowerCase(Locale.ROOT);
      String key = "ssh://" + user + host + "/" + cleanPath(scp.group(3));
      return new RepoUrl(given, key, host, false);
    }
    String path = Path.of(given).toAbsolutePath().normalize().toString().replace('\\', '/');
    return new RepoUrl(
        given, "file://" + (path.startsWith("/") ? "" : "/") + cleanPath(path), "", true);
  }

  private static RepoUrl parseUri(String given) throws SourceException {
    URI uri;
    try {
      uri = new URI(given);
    } catch (URISyntaxException e) {
      throw new SourceException(
          SourceException.Reason.Invalid, "repoURL " + redact(given) + " is not a valid URL");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("file")) {
      String path = uri.getPath() == null ? "" : uri.getPath();
      return new RepoUrl(given, "file://" + cleanPath(path), "", true);
    }
    if (uri.getHost() == null) {
      throw new SourceException(
          SourceException.Reason.Invalid, "repoURL " + redact(given) + " has no host");
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    boolean defaultPort =
        port == -1
            || (scheme.equals("https") && port == 443)
            || (scheme.equals("http") && port == 80)
            || (scheme.equals("ssh") && port == 22);
    String user = "";
    // The SSH user picks the account on the server; an HTTP user only carries credentials.
    if (scheme.equals("ssh") && uri.getRawUserInfo() != null) {
      user = uri.getRawUserInfo().split(":", 2)[0] + "@";
    }
    String key =
        scheme
            + "://"
            + user
            + host
            + (defaultPort ? "" : ":" + port)
            + cleanPath(uri.getRawPath());
    return new RepoUrl(given, key, host, false);
  }

  /** Collapses repeated slashes and drops trailing slashes and a {@code .git} suffix. */
  private static String cleanPath(String path) {
    String p = path == null ? "" : path.replaceAll("/{2,}", "/");
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.endsWith(".git")) {
      p = p.substring(0, p.length() - 4);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  /** Whether the scheme is one Mooring fetches from (local repositories are checked apart). */
  boolean supportedScheme() {
    return local
        || key.startsWith("https://")
        || key.startsWith("http://")
        || key.startsWith("ssh://");
  }

  boolean ssh() {
    return key.startsWith("ssh://");
  }

  /** The URL as given, without any password, for messages and logs. */
  String display() {
    return redact(given);
  }

  private static final Pattern USER_INFO =
      Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@]*)@");

  /**
   * Hides credentials written into a URL: an SSH user stays (it is no secret), anything else before
   * {@code @} (HTTP user, password or token) becomes {@code ***}.
   */
  static String redact(String url) {
    Matcher m = USER_INFO.matcher(url);
    if (!m.find()) {
      return url;
    }
    boolean ssh = m.group(1).toLowerCase(Locale.ROOT).startsWith("ssh");
    String shown = ssh ? m.group(2).split(":", 2)[0] : "***";
    return m.group(1) + shown + "@" + url.substring(m.end());
  }
}
