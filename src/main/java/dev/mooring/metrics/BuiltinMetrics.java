package dev.mooring.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Flagger's builtin metrics, {@code request-success-rate} (percent of non-5xx responses) and {@code
 * request-duration} (milliseconds), as PromQL templates per {@code provider}, so that a Flagger
 * Canary measures the same thing under Mooring.
 *
 * <ul>
 *   <li>{@code nginx}: ingress-nginx's per-ingress request counter and response duration, of the
 *       requests its canary Ingress served ({@code canary!=""}; ingress-nginx sets the label to the
 *       alternative upstream it chose). As Flagger's nginx observer (fluxcd/flagger {@code
 *       pkg/metrics/observers/nginx.go}, PR 1686 of 2024) and the metrics ingress-nginx exports
 *       ({@code internal/ingress/metric/collectors/socket.go}): v1.12 removed {@code
 *       ingress_upstream_latency_seconds} (#11795), which only measured connect time.
 *   <li>{@code kubernetes} and {@code gatewayapi}: the application pods' own {@code
 *       http_request_duration_seconds} histogram, as Flagger's "http" observer, which it uses for
 *       both providers ({@code pkg/metrics/observers/http.go}, chosen in {@code factory.go}): the
 *       application's metrics exist whatever gateway implementation routes the traffic. The
 *       duration is the p99 in seconds multiplied by 1000 in the query (Flagger converts it in
 *       code).
 *   <li>{@code istio} and {@code linkerd}: the mesh proxies' metrics, as Flagger's {@code
 *       pkg/metrics/observers/istio.go} and {@code linkerd.go} ({@code istio_requests_total},
 *       {@code istio_request_duration_milliseconds}; linkerd2-proxy's {@code response_total},
 *       {@code response_latency_ms}).
 * </ul>
 */
public final class BuiltinMetrics {
  public static final String REQUEST_SUCCESS_RATE = "request-success-rate";
  public static final String REQUEST_DURATION = "request-duration";

  private static final String NGINX_SUCCESS =
      """
      sum(rate(nginx_ingress_controller_requests{namespace="{{ namespace }}",ingress="{{ ingress }}",canary!="",status!~"5.*"}[{{ interval }}]))
      /
      sum(rate(nginx_ingress_controller_requests{namespace="{{ namespace }}",ingress="{{ ingress }}",canary!=""}[{{ interval }}]))
      * 100""";
  private static final String NGINX_DURATION =
      """
      sum(rate(nginx_ingress_controller_response_duration_seconds_sum{namespace="{{ namespace }}",ingress="{{ ingress }}",canary!=""}[{{ interval }}]))
      /
      sum(rate(nginx_ingress_controller_response_duration_seconds_count{namespace="{{ namespace }}",ingress="{{ ingress }}",canary!=""}[{{ interval }}]))
      * 1000""";

  // Flagger matches the pods of a Deployment by name: <target>-<replicaset hash>-<pod suffix>.
  private static final String APP_PODS =
      "kubernetes_namespace=\"{{ namespace }}\",kubernetes_pod_name=~\"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"";
  private static final String APP_SUCCESS =
      """
      sum(rate(http_request_duration_seconds_count{%s,status!~"5.*"}[{{ interval }}]))
      /
      sum(rate(http_request_duration_seconds_count{%s}[{{ interval }}]))
      * 100"""
          .formatted(APP_PODS, APP_PODS);
  private static final String APP_DURATION =
      """
      histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket{%s}[{{ interval }}])) by (le))
      * 1000"""
          .formatted(APP_PODS);

  private static final String ISTIO_WORKLOAD =
      "reporter=\"destination\",destination_workload_namespace=\"{{ namespace }}\",destination_workload=~\"{{ target }}\"";
  private static final String ISTIO_SUCCESS =
      """
      sum(rate(istio_requests_total{%s,response_code!~"5.*"}[{{ interval }}]))
      /
      sum(rate(istio_requests_total{%s}[{{ interval }}]))
      * 100"""
          .formatted(ISTIO_WORKLOAD, ISTIO_WORKLOAD);
  private static final String ISTIO_DURATION =
      """
      histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{%s}[{{ interval }}])) by (le))"""
          .formatted(ISTIO_WORKLOAD);

  private static final String LINKERD_INBOUND =
      "namespace=\"{{ namespace }}\",deployment=~\"{{ target }}\",direction=\"inbound\"";
  private static final String LINKERD_SUCCESS =
      """
      sum(rate(response_total{%s,classification!="failure"}[{{ interval }}]))
      /
      sum(rate(response_total{%s}[{{ interval }}]))
      * 100"""
          .formatted(LINKERD_INBOUND, LINKERD_INBOUND);
  private static final String LINKERD_DURATION =
      """
      histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{%s}[{{ interval }}])) by (le))"""
          .formatted(LINKERD_INBOUND);

  private static final Map<String, Map<String, String>> TEMPLATES =
      Map.of(
          "nginx", Map.of(REQUEST_SUCCESS_RATE, NGINX_SUCCESS, REQUEST_DURATION, NGINX_DURATION),
          "kubernetes", Map.of(REQUEST_SUCCESS_RATE, APP_SUCCESS, REQUEST_DURATION, APP_DURATION),
          "gatewayapi", Map.of(REQUEST_SUCCESS_RATE, APP_SUCCESS, REQUEST_DURATION, APP_DURATION),
          "istio", Map.of(REQUEST_SUCCESS_RATE, ISTIO_SUCCESS, REQUEST_DURATION, ISTIO_DURATION),
          "linkerd",
              Map.of(REQUEST_SUCCESS_RATE, LINKERD_SUCCESS, REQUEST_DURATION, LINKERD_DURATION));

  private BuiltinMetrics() {}

  /** Whether {@code metricName} names a builtin metric rather than a MetricTemplate. */
  public static boolean isBuiltin(String metricName) {
    return REQUEST_SUCCESS_RATE.equals(metricName) || REQUEST_DURATION.equals(metricName);
  }

  /**
   * The unrendered PromQL template of a builtin metric; empty for an unknown provider or metric. A
   * versioned provider such as {@code gatewayapi:v1} is looked up by its name before the colon.
   */
  public static Optional<String> template(String provider, String metricName) {
    if (provider == null || metricName == null) {
      return Optional.empty();
    }
    String key = provider.toLowerCase(Locale.ROOT);
    int colon = key.indexOf(':');
    if (colon >= 0) {
      key = key.substring(0, colon);
    }
    return Optional.ofNullable(TEMPLATES.getOrDefault(key, Map.of()).get(metricName));
  }

  /**
   * The rendered PromQL of a builtin metric for a Canary, or empty for an unknown provider or
   * metric.
   *
   * @param vars namespace, target, ingress, interval (and whatever else the Canary knows)
   * @throws IllegalArgumentException when {@code vars} lacks a variable the query needs
   */
  public static Optional<String> query(
      String provider, String metricName, Map<String, String> vars) {
    Optional<String> template = template(provider, metricName);
    if (template.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(QueryTemplate.render(template.get(), vars, Map.of()));
    } catch (MetricException e) {
      throw new IllegalArgumentException(
          "builtin metric " + metricName + " for provider " + provider + ": " + e.getMessage(), e);
    }
  }
}
