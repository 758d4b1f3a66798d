package dev.mooring.metrics;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where and how to reach a Prometheus server: a MetricTemplate's {@code provider} with the
 * credentials of its {@code secretRef} already read (Flagger's keys: {@code token} for a bearer
 * token, {@code username} and {@code password} for basic auth).
 *
 * @param address base URL, e.g. {@code http://prometheus.monitoring:9090}
 * @param bearerToken sent as {@code Authorization: Bearer}; null or blank for none
 * @param username basic auth user; used only together with a password
 * @param password basic auth password
 * @param insecureSkipVerify accept any TLS certificate and host name
 * @param timeout for connecting and for the whole query; null means 10 seconds
 * @param headers extra headers sent with every query (a MetricTemplate's {@code provider.headers}),
 *     each name with its values; the credentials above win over an {@code Authorization} here.
 *     Their values may be secrets (API keys, tenant tokens) and are never printed.
 */
public record PrometheusEndpoint(
    String address,
    String bearerToken,
    String username,
    String password,
    boolean insecureSkipVerify,
    Duration timeout,
    Map<String, List<String>> headers) {

  /** Flagger's default when a Canary names no metrics server timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  public PrometheusEndpoint {
    Objects.requireNonNull(address, "address");
    if (timeout == null) {
      timeout = DEFAULT_TIMEOUT;
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    Map<String, List<String>> copy = new TreeMap<>();
    if (headers != null) {
      headers.forEach(
          (name, values) ->
              copy.put(
                  name,
                  values == null ? List.of() : values.stream().filter(Objects::nonNull).toList()));
    }
    headers = Collections.unmodifiableMap(copy);
  }

  /** An endpoint without extra headers. */
  public PrometheusEndpoint(
      String address,
      String bearerToken,
      String username,
      String password,
      boolean insecureSkipVerify,
      Duration timeout) {
    this(address, bearerToken, username, password, insecureSkipVerify, timeout, null);
  }

  /** An endpoint without credentials and with the default timeout. */
  public static PrometheusEndpoint of(String address) {
    return new PrometheusEndpoint(address, null, null, null, false, DEFAULT_TIMEOUT);
  }

  boolean hasBearerToken() {
    return bearerToken != null && !bearerToken.isBlank();
  }

  boolean hasBasicAuth() {
    return username != null && !username.isBlank() && password != null;
  }

  /**
   * Never prints the token, the password or a header's value: endpoints end up in logs and status
   * messages. Headers are named only.
   */
  @Override
  public String toString() {
    return "PrometheusEndpoint[address="
        + address
        + ", bearerToken="
        + (hasBearerToken() ? "***" : "none")
        + ", username="
        + (username == null ? "none" : username)
        + ", password="
        + (password == null ? "none" : "***")
        + ", insecureSkipVerify="
        + insecureSkipVerify
        + ", timeout="
        + timeout
        + ", headers="
        + headers.keySet()
        + "]";
  }
}
