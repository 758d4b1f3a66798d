package dev.mooring.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A Prometheus that fails in every way a network peer can: no check ever passes because of it. */
class MisbehavingPrometheusTest {
  @RegisterExtension
  static WireMockExtension prometheus =
      WireMockExtension.newInstance()
          .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
          .build();

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-02T10:00:00Z"), ZoneOffset.UTC);
  private static final String QUERY =
      "sum(rate(requests_total{status!~\"5.*\"}[1m])) / sum(rate(requests_total[1m])) * 100";

  @Test
  void a_500_fails_the_check_with_the_status() {
    answer(aResponse().withStatus(500).withBody("internal error"));

    CheckResult result = check(endpoint(Duration.ofSeconds(2)));

    assertThat(result.passed()).isFalse();
    assertThat(result.value()).isNull();
    assertThat(result.message()).contains("HTTP 500", "internal error");
    assertThat(result.time()).isEqualTo(CLOCK.instant());
  }

  @Test
  void a_prometheus_error_answer_fails_with_its_error_type_and_text() {
    answer(
        aResponse()
            .withStatus(422)
            .withHeader("Content-Type", "application/json")
            .withBody(
                "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query processing would load too many samples\"}"));

    CheckResult result = check(endpoint(Duration.ofSeconds(2)));

    assertThat(result.passed()).isFalse();
    assertThat(result.message()).contains("HTTP 422", "execution", "too many samples");
  }

  @Test
  void a_slow_answer_fails_after_the_timeout() {
    answer(okJson(vector("100")).withFixedDelay(3_000));

    long start = System.nanoTime();
    CheckResult result = check(endpoint(Duration.ofMillis(300)));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(result.passed()).isFalse();
    assertThat(result.value()).isNull();
    assertThat(result.message()).contains("did not answer within PT0.3S");
  }

  @Test
  void an_answer_that_is_not_json_fails() {
    answer(aResponse().withStatus(200).withBody("<html>proxy login</html>"));

    CheckResult result = check(endpoint(Duration.ofSeconds(2)));

    assertThat(result.passed()).isFalse();
    assertThat(result.message()).contains("not a query result", "<html>proxy login</html>");
  }

  @Test
  void a_query_matching_two_series_fails_and_asks_for_aggregation() {
    answer(
        okJson(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"pod\":\"a\"},\"value\":[1,\"100\"]},{\"metric\":{\"pod\":\"b\"},\"value\":[1,\"100\"]}]}}"));

    CheckResult result = check(endpoint(Duration.ofSeconds(2)));

    assertThat(result.passed()).isFalse();
    assertThat(result.message()).contains("2 series", "sum(");
  }

  @Test
  void an_unreachable_prometheus_fails() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    PrometheusEndpoint gone = PrometheusEndpoint.of("http://127.0.0.1:" + closedPort);

    CheckResult result = check(gone);

    assertThat(result.passed()).isFalse();
    assertThat(result.message()).contains("unreachable", "127.0.0.1:" + closedPort);
  }

  @Test
  void nan_and_infinite_values_never_pass() {
    answer(okJson(vector("NaN")));
    CheckResult nan = check(endpoint(Duration.ofSeconds(2)));
    answer(okJson(vector("+Inf")));
    CheckResult inf =
        MetricCheck.evaluate(
            "request-duration", QUERY, null, 500.0, client(endpoint(Duration.ofSeconds(2))), CLOCK);

    assertThat(nan.passed()).isFalse();
    assertThat(nan.message()).startsWith("no traffic");
    assertThat(inf.passed()).isFalse();
    assertThat(inf.message()).contains("+inf", "above the maximum 500");
    // what was asked is recorded with the answer: why it failed is told by the result alone
    assertThat(nan.query()).isEqualTo(QUERY);
    assertThat(nan.message()).endsWith(" (query: " + QUERY + ")");
    assertThat(inf.message()).endsWith(" (query: " + QUERY + ")");
  }

  @Test
  void a_scalar_result_is_a_value_and_the_query_is_sent_url_encoded() throws Exception {
    answer(
        okJson(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000.5,\"99.9\"]}}"));

    CheckResult result = check(endpoint(Duration.ofSeconds(2)));

    assertThat(result.passed()).as(result.message()).isTrue();
    assertThat(result.query()).isEqualTo(QUERY);
    assertThat(result.message())
        .as("a passing check's message stays short")
        .doesNotContain("query:");
    assertThat(result.value()).isEqualTo(99.9);
    prometheus.verify(
        getRequestedFor(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo(QUERY)));
  }

  @Test
  void a_bearer_token_is_sent_and_a_rejected_one_fails() {
    prometheus.stubFor(
        get(urlPathEqualTo("/api/v1/query"))
            .willReturn(aResponse().withStatus(401).withBody("Unauthorized")));
    prometheus.stubFor(
        get(urlPathEqualTo("/api/v1/query"))
            .withHeader("Authorization", equalTo("Bearer s3cret"))
            .willReturn(okJson(vector("100"))));

    CheckResult accepted =
        check(new PrometheusEndpoint(url(), "s3cret", null, null, false, Duration.ofSeconds(2)));
    CheckResult rejected =
        check(new PrometheusEndpoint(url(), "wrong", null, null, false, Duration.ofSeconds(2)));

    assertThat(accepted.passed()).as(accepted.message()).isTrue();
    assertThat(rejected.passed()).isFalse();
    assertThat(rejected.message()).contains("HTTP 401").doesNotContain("wrong");
  }

  @Test
  void basic_auth_is_sent_and_a_rejected_one_fails() {
    prometheus.stubFor(
        get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(401)));
    prometheus.stubFor(
        get(urlPathEqualTo("/api/v1/query"))
            .withBasicAuth("flagger", "pa55")
            .willReturn(okJson(vector("100"))));

    CheckResult accepted =
        check(new PrometheusEndpoint(url(), null, "flagger", "pa55", false, Duration.ofSeconds(2)));
    CheckResult rejected =
        check(new PrometheusEndpoint(url(), null, "flagger", "nope", false, Duration.ofSeconds(2)));

    assertThat(accepted.passed()).as(accepted.message()).isTrue();
    assertThat(rejected.passed()).isFalse();
    assertThat(rejected.message()).contains("HTTP 401");
  }

  @Test
  void an_endpoint_never_prints_its_secrets() {
    PrometheusEndpoint endpoint =
        new PrometheusEndpoint(url(), "s3cret", "flagger", "pa55", true, null);

    assertThat(endpoint.toString())
        .contains(url(), "flagger", "***")
        .doesNotContain("s3cret", "pa55");
    assertThat(endpoint.timeout()).isEqualTo(PrometheusEndpoint.DEFAULT_TIMEOUT);
  }

  private static void answer(
      com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
    prometheus.resetAll();
    prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(response));
  }

  private static CheckResult check(PrometheusEndpoint endpoint) {
    return MetricCheck.evaluate("request-success-rate", QUERY, 99.0, null, client(endpoint), CLOCK);
  }

  private static PrometheusClient client(PrometheusEndpoint endpoint) {
    return new PrometheusClient(endpoint);
  }

  private static PrometheusEndpoint endpoint(Duration timeout) {
    return new PrometheusEndpoint(url(), null, null, null, false, timeout);
  }

  private static String url() {
    return prometheus.baseUrl();
  }

  private static String vector(String value) {
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1700000000.5,\""
        + value
        + "\"]}]}}";
  }
}
