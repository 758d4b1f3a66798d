package dev.mooring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuiltinMetricsTest {
  private static final Map<String, String> VARS =
      Map.of(
          "namespace",
          "shop",
          "target",
          "podinfo",
          "service",
          "podinfo",
          "ingress",
          "podinfo",
          "interval",
          "1m");

  @ParameterizedTest
  @CsvSource({
    "nginx, request-success-rate, nginx_ingress_controller_requests",
    "nginx, request-duration, nginx_ingress_controller_response_duration_seconds_sum",
    "kubernetes, request-success-rate, http_request_duration_seconds_count",
    "kubernetes, request-duration, http_request_duration_seconds_bucket",
    "gatewayapi, request-success-rate, http_request_duration_seconds_count",
    "gatewayapi:v1, request-duration, http_request_duration_seconds_bucket",
    "istio, request-success-rate, istio_requests_total",
    "istio, request-duration, istio_request_duration_milliseconds_bucket",
    "linkerd, request-success-rate, response_total",
    "linkerd, request-duration, response_latency_ms_bucket",
  })
  void every_provider_renders_both_builtins_completely(
      String provider, String metric, String series) {
    String query = BuiltinMetrics.query(provider, metric, VARS).orElseThrow();

    assertThat(query).contains(series, "[1m]", "\"shop\"").doesNotContain("{{", "}}");
  }

  @Test
  void success_rates_are_percentages_and_durations_milliseconds() {
    assertThat(BuiltinMetrics.query("nginx", "request-success-rate", VARS).orElseThrow())
        .endsWith("* 100");
    assertThat(BuiltinMetrics.query("nginx", "request-duration", VARS).orElseThrow())
        .endsWith("* 1000");
    assertThat(BuiltinMetrics.query("kubernetes", "request-duration", VARS).orElseThrow())
        .endsWith("* 1000");
    assertThat(BuiltinMetrics.query("istio", "request-duration", VARS).orElseThrow())
        .doesNotContain("1000");
  }

  @Test
  void the_application_pods_are_matched_by_the_deployment_naming_scheme() {
    assertThat(BuiltinMetrics.query("kubernetes", "request-success-rate", VARS).orElseThrow())
        .contains(
            "kubernetes_pod_name=~\"podinfo-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)\"", "status!~\"5.*\"");
  }

  @Test
  void unknown_providers_and_metrics_have_no_builtin() {
    assertThat(BuiltinMetrics.query("skipper", "request-success-rate", VARS)).isEmpty();
    assertThat(BuiltinMetrics.query("nginx", "error-rate", VARS)).isEmpty();
    assertThat(BuiltinMetrics.isBuiltin("request-duration")).isTrue();
    assertThat(BuiltinMetrics.isBuiltin("my-template")).isFalse();
  }

  @Test
  void a_missing_canary_variable_is_an_error_not_an_empty_label() {
    assertThatThrownBy(
            () ->
                BuiltinMetrics.query(
                    "nginx", "request-success-rate", Map.of("namespace", "shop", "interval", "1m")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ingress");
  }
}
