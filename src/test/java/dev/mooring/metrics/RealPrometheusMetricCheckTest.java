package dev.mooring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.mooring.testing.PrometheusServer;
import dev.mooring.testing.ScrapeTarget;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metric checks against a real Prometheus scraping, every second, an endpoint whose request and
 * error counters grow by fixed amounts per scrape (one ingress per scenario).
 */
class RealPrometheusMetricCheckTest {
  private static final String NS = "test";
  private static final String INTERVAL = "30s";
  private static final Clock CLOCK = Clock.systemUTC();

  @TempDir static Path workDir;
  private static ScrapeTarget target;
  private static PrometheusServer prometheus;
  private static PrometheusClient client;

  @BeforeAll
  static void startPrometheus() throws Exception {
    if (PrometheusServer.binary().isEmpty()) {
      String why =
          "no Prometheus binary at "
              + PrometheusServer.DEBIAN_BINARY
              + " (apt-get install -y prometheus; .ci/run installs it)";
      System.err.println("RealPrometheusMetricCheckTest skipped: " + why);
      Assumptions.abort(why);
    }
    target = ScrapeTarget.start();
    nginx("podinfo-ok", "200", 199);
    nginx("podinfo-ok", "500", 1);
    nginx("podinfo-bad", "200", 90);
    nginx("podinfo-bad", "503", 10);
    nginx("podinfo-idle", "200", 0);
    nginx("podinfo-split", "200", 50);
    // requests the primary served (ingress-nginx leaves the canary label empty): not the canary's
    target.grow(
        "nginx_ingress_controller_requests{namespace=\""
            + NS
            + "\",ingress=\"podinfo-split\",status=\"500\"}",
        50);
    String pod =
        "kubernetes_namespace=\"test\",kubernetes_pod_name=\"podinfo-7d9c8b-x2k4p\",status=\"200\"";
    target
        .grow("http_request_duration_seconds_bucket{" + pod + ",le=\"0.05\"}", 0)
        .grow("http_request_duration_seconds_bucket{" + pod + ",le=\"0.1\"}", 10)
        .grow("http_request_duration_seconds_bucket{" + pod + ",le=\"+Inf\"}", 10)
        .grow("http_request_duration_seconds_sum{" + pod + "}", 0.8)
        .grow("http_request_duration_seconds_count{" + pod + "}", 10);
    prometheus = PrometheusServer.start(workDir, List.of(target.hostPort()));
    client = new PrometheusClient(PrometheusEndpoint.of(prometheus.url()));
    // rate() needs two scrapes in its window; all series are scraped together.
    String healthy =
        BuiltinMetrics.query("nginx", "request-success-rate", vars("podinfo-ok")).orElseThrow();
    await("two scrapes of " + target.hostPort())
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                client.query(healthy).isPresent()
                    && !Double.isNaN(client.query(healthy).getAsDouble()));
  }

  @AfterAll
  static void stopPrometheus() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (target != null) {
      target.close();
    }
  }

  @Test
  void a_success_rate_of_99_5_percent_passes_a_minimum_of_99() {
    CheckResult result = builtin("nginx", "request-success-rate", "podinfo-ok", 99.0, null);

    assertThat(result.passed()).as(result.message()).isTrue();
    assertThat(result.value()).isCloseTo(99.5, within(0.01));
    assertThat(result.message()).contains("within [99, +inf]");
  }

  @Test
  void ten_percent_5xx_fails_a_minimum_of_99_naming_value_and_range() {
    CheckResult result = builtin("nginx", "request-success-rate", "podinfo-bad", 99.0, null);

    assertThat(result.passed()).isFalse();
    assertThat(result.value()).isCloseTo(90.0, within(0.01));
    assertThat(result.message()).contains("90", "below the minimum 99", "[99, +inf]");
  }

  @Test
  void an_ingress_whose_counters_stand_still_fails_with_no_traffic() {
    CheckResult result = builtin("nginx", "request-success-rate", "podinfo-idle", 99.0, null);

    assertThat(result.passed()).isFalse();
    assertThat(result.value()).isNull();
    assertThat(result.message()).startsWith("no traffic").contains("NaN");
  }

  @Test
  void an_ingress_without_any_series_fails_with_no_traffic() {
    CheckResult result = builtin("nginx", "request-success-rate", "podinfo-unknown", 99.0, null);

    assertThat(result.passed()).isFalse();
    assertThat(result.value()).isNull();
    assertThat(result.message()).startsWith("no traffic").contains("no series");
  }

  @Test
  void the_kubernetes_builtins_read_the_application_pods_histogram() {
    CheckResult success = builtin("kubernetes", "request-success-rate", "unused", 99.0, null);
    CheckResult duration = builtin("kubernetes", "request-duration", "unused", null, 500.0);

    assertThat(success.passed()).as(success.message()).isTrue();
    assertThat(success.value()).isCloseTo(100.0, within(0.01));
    assertThat(duration.passed()).as(duration.message()).isTrue();
    // every request fell in the (50ms, 100ms] bucket: p99 interpolates to 99.5 ms
    assertThat(duration.value()).isCloseTo(99.5, within(0.5));
  }

  @Test
  void the_nginx_builtin_counts_only_the_requests_the_canary_served() {
    CheckResult result = builtin("nginx", "request-success-rate", "podinfo-split", 99.0, null);

    assertThat(result.passed()).as(result.message()).isTrue();
    assertThat(result.value()).isCloseTo(100.0, within(0.001));
  }

  @Test
  void a_metric_template_with_variables_renders_and_evaluates() {
    String template =
        """
        100 - sum(rate(nginx_ingress_controller_requests{namespace="{{namespace}}",ingress="{{ ingress }}",status!~"{{ variables.errorCodes }}"}[{{ interval }}]))
        / sum(rate(nginx_ingress_controller_requests{namespace="{{ namespace }}",ingress="{{ingress}}"}[{{interval}}])) * 100""";
    Map<String, String> variables = Map.of("errorCodes", "5..");

    CheckResult ok =
        MetricCheck.evaluate(
            "error-percentage", template, vars("podinfo-ok"), variables, null, 5.0, client, CLOCK);
    CheckResult bad =
        MetricCheck.evaluate(
            "error-percentage", template, vars("podinfo-bad"), variables, null, 5.0, client, CLOCK);
    CheckResult typo =
        MetricCheck.evaluate(
            "error-percentage", template, vars("podinfo-ok"), Map.of(), null, 5.0, client, CLOCK);

    assertThat(ok.passed()).as(ok.message()).isTrue();
    assertThat(ok.value()).isCloseTo(0.5, within(0.01));
    assertThat(bad.passed()).isFalse();
    assertThat(bad.value()).isCloseTo(10.0, within(0.01));
    assertThat(bad.message()).contains("above the maximum 5");
    assertThat(typo.passed()).isFalse();
    assertThat(typo.message()).contains("variables.errorCodes");
  }

  private static CheckResult builtin(
      String provider, String metric, String ingress, Double min, Double max) {
    String query = BuiltinMetrics.query(provider, metric, vars(ingress)).orElseThrow();
    return MetricCheck.evaluate(metric, query, min, max, client, CLOCK);
  }

  private static Map<String, String> vars(String ingress) {
    return Map.of(
        "namespace",
        NS,
        "target",
        "podinfo",
        "service",
        "podinfo",
        "ingress",
        ingress,
        "interval",
        INTERVAL);
  }

  private static void nginx(String ingress, String status, double perScrape) {
    target.grow(
        "nginx_ingress_controller_requests{namespace=\""
            + NS
            + "\",ingress=\""
            + ingress
            + "\",canary=\"test-podinfo-canary-80\",status=\""
            + status
            + "\"}",
        perScrape);
  }
}
