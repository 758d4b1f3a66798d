package dev.mooring.metrics;

import java.time.Duration;
import java.util.Objects;

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
 */
public record PrometheusEndpoint(
    String address,
    String bearerToken,
    String username,
    String password,
    boolean insecureSkipVerify,
    Duration timeout) {

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

  /** Never prints the token or the password: endpoints end up in logs and status messages. */
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
        + "]";
  }
}
