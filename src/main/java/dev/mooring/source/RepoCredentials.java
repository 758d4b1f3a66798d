package dev.mooring.source;

import java.util.Map;

/**
 * Credentials for a Git repository, read from the Secret named by an Application's {@code
 * spec.source.secretRef}.
 *
 * <p>Secret keys: {@code username} plus {@code password} (or {@code token}) for HTTPS; {@code
 * sshPrivateKey} plus {@code knownHosts} for SSH. A token is used as the HTTPS password; with no
 * username it is sent as user {@code x-access-token}, which GitHub, GitLab and Gitea accept with a
 * token. SSH needs {@code knownHosts}: an SSH server whose host key is not listed there is refused.
 * {@link #toString()} never shows secret values.
 */
public record RepoCredentials(
    String username, String password, String sshPrivateKey, String knownHosts) {

  private static final RepoCredentials NONE = new RepoCredentials(null, null, null, null);

  /** No credentials: anonymous HTTPS, SSH refused for lack of a key. */
  public static RepoCredentials none() {
    return NONE;
  }

  /**
   * Builds credentials from a Secret's decoded data; blank values count as absent, {@code password}
   * wins over {@code token}.
   */
  public static RepoCredentials fromSecretData(Map<String, String> decoded) {
    if (decoded == null) {
      return NONE;
    }
    String password = blankToNull(decoded.get("password"));
    if (password == null) {
      password = blankToNull(decoded.get("token"));
    }
    return new RepoCredentials(
        blankToNull(decoded.get("username")),
        password,
        blankToNull(decoded.get("sshPrivateKey")),
        blankToNull(decoded.get("knownHosts")));
  }

  /** True when a username or password/token is present (HTTP Basic auth will be sent). */
  public boolean hasHttpCredentials() {
    return username != null || password != null;
  }

  /** True when an SSH private key is present. */
  public boolean hasSshKey() {
    return sshPrivateKey != null;
  }

  /** The secret strings, so that error messages can be scrubbed of them. */
  Iterable<String> secrets() {
    java.util.List<String> values = new java.util.ArrayList<>();
    if (password != null) {
      values.add(password);
    }
    if (sshPrivateKey != null) {
      values.add(sshPrivateKey);
    }
    return values;
  }

  @Override
  public String toString() {
    return "RepoCredentials[username="
        + (username == null ? "<none>" : username)
        + ", password="
        + mask(password)
        + ", sshPrivateKey="
        + mask(sshPrivateKey)
        + ", knownHosts="
        + (knownHosts == null ? "<none>" : "<" + knownHosts.lines().count() + " lines>")
        + "]";
  }

  private static String mask(String value) {
    return value == null ? "<none>" : "***";
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
