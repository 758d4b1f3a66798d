package dev.mooring.canary.hooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.mooring.canary.hooks.Hooks.callOf;
import static dev.mooring.canary.hooks.Hooks.hook;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.mooring.canary.WebhookResult;
import dev.mooring.model.CanaryAnalysis.Webhook;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WebhookCallTest {
  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private final WebhookExecutor executor =
      new WebhookExecutor(HttpClient.newHttpClient(), Clock.systemUTC(), Duration.ofMillis(10));

  private static String url(String path) {
    return server.baseUrl() + path;
  }

  private void answer(String path, int status, String body) {
    server.stubFor(post(path).willReturn(aResponse().withStatus(status).withBody(body)));
  }

  @Test
  void posts_flaggers_payload_with_name_namespace_phase_checksum_and_metadata() {
    answer("/gate", 200, "");
    Webhook hook =
        hook("load-test", "rollout", url("/gate"), Map.of("type", "cmd", "cmd", "hey -z 1m"));

    WebhookResult result = executor.call(callOf(hook));

    assertThat(result.ok()).isTrue();
    server.verify(
        1,
        postRequestedFor(urlEqualTo("/gate"))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(
                equalToJson(
                    """
                    {"name": "podinfo", "namespace": "test", "phase": "Progressing",
                     "checksum": "abc123", "metadata": {"type": "cmd", "cmd": "hey -z 1m"}}
                    """)));
  }

  @Test
  void a_hook_without_metadata_sends_no_metadata_field() {
    answer("/bare", 200, "");

    executor.call(callOf(hook("bare", "pre-rollout", url("/bare"))));

    server.verify(
        postRequestedFor(urlEqualTo("/bare"))
            .withRequestBody(
                equalToJson(
                    "{\"name\":\"podinfo\",\"namespace\":\"test\",\"phase\":\"Progressing\","
                        + "\"checksum\":\"abc123\"}")));
  }

  @Test
  void answers_200_and_202_are_ok_and_say_what_the_hook_said() {
    answer("/ok", 200, "approved");
    answer("/accepted", 202, "");

    WebhookResult ok = executor.call(callOf(hook("a", "confirm-promotion", url("/ok"))));
    WebhookResult accepted =
        executor.call(callOf(hook("b", "confirm-promotion", url("/accepted"))));

    assertThat(ok)
        .isEqualTo(new WebhookResult("a", "confirm-promotion", true, "HTTP 200: approved"));
    assertThat(accepted).isEqualTo(new WebhookResult("b", "confirm-promotion", true, "HTTP 202"));
  }

  @Test
  void an_answer_above_202_is_a_failure_naming_the_status() {
    answer("/203", 203, "");
    answer("/500", 500, "locked");

    WebhookResult nonAuthoritative = executor.call(callOf(hook("a", "rollout", url("/203"))));
    WebhookResult error = executor.call(callOf(hook("b", "rollout", url("/500"))));

    assertThat(nonAuthoritative.ok()).isFalse();
    assertThat(nonAuthoritative.message()).isEqualTo("HTTP 203");
    assertThat(error.ok()).isFalse();
    assertThat(error.message()).isEqualTo("HTTP 500: locked");
  }

  @Test
  void a_long_answer_is_not_echoed_into_the_message() {
    answer("/trace", 500, "x".repeat(201));

    WebhookResult result = executor.call(callOf(hook("a", "rollout", url("/trace"))));

    assertThat(result.ok()).isFalse();
    assertThat(result.message()).startsWith("HTTP 500").doesNotContain("xxx").hasSizeLessThan(100);
  }

  @Test
  void a_hook_slower_than_its_timeout_fails_with_the_timeout_in_the_message() {
    server.stubFor(post("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(1500)));
    Webhook hook = hook("slow", "rollout", url("/slow"));
    hook.timeout = "300ms";

    long start = System.nanoTime();
    WebhookResult result = executor.call(callOf(hook));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1400));
    assertThat(result.ok()).isFalse();
    assertThat(result.message()).contains("no answer").contains("within 300ms");
  }

  @Test
  void retries_after_a_500_and_is_ok_when_a_later_attempt_answers_200() {
    server.stubFor(
        post("/flaky")
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(500))
            .willSetStateTo("recovered"));
    server.stubFor(
        post("/flaky")
            .inScenario("flaky")
            .whenScenarioStateIs("recovered")
            .willReturn(aResponse().withStatus(200)));
    Webhook hook = hook("flaky", "rollout", url("/flaky"));
    hook.retries = 2;

    WebhookResult result = executor.call(callOf(hook));

    assertThat(result.ok()).isTrue();
    server.verify(2, postRequestedFor(urlEqualTo("/flaky")));
  }

  @Test
  void gives_up_after_one_attempt_plus_the_retries_and_says_how_many() {
    answer("/down", 503, "");
    Webhook hook = hook("down", "rollout", url("/down"));
    hook.retries = 2;

    WebhookResult result = executor.call(callOf(hook));

    assertThat(result.ok()).isFalse();
    assertThat(result.message()).isEqualTo("HTTP 503 (after 3 attempts)");
    server.verify(3, postRequestedFor(urlEqualTo("/down")));
  }

  @Test
  void does_not_retry_an_answer_that_would_not_change_like_a_403() {
    answer("/denied", 403, "");
    Webhook hook = hook("denied", "confirm-rollout", url("/denied"));
    hook.retries = 3;

    WebhookResult result = executor.call(callOf(hook));

    assertThat(result.ok()).isFalse();
    server.verify(1, postRequestedFor(urlEqualTo("/denied")));
  }

  @Test
  void without_retries_a_500_is_asked_once() {
    answer("/once", 500, "");

    executor.call(callOf(hook("once", "rollout", url("/once"))));

    server.verify(1, postRequestedFor(urlEqualTo("/once")));
  }

  @Test
  void a_refused_connection_fails_with_a_message_naming_the_address() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Webhook hook = hook("gone", "pre-rollout", "http://127.0.0.1:" + port + "/hook?token=s3cret");

    WebhookResult result = executor.call(callOf(hook));

    assertThat(result.ok()).isFalse();
    assertThat(result.message())
        .startsWith("cannot connect to http://127.0.0.1:" + port + "/hook")
        .doesNotContain("s3cret");
  }

  @Test
  void an_unparseable_timeout_or_url_fails_without_calling() {
    Webhook badTimeout = hook("t", "rollout", url("/never"));
    badTimeout.timeout = "soon";
    Webhook badUrl = hook("u", "rollout", "ftp://example.com/hook");

    assertThat(executor.call(callOf(badTimeout)).message()).contains("invalid timeout \"soon\"");
    assertThat(executor.call(callOf(badUrl)).message()).startsWith("invalid url");
    server.verify(0, postRequestedFor(urlEqualTo("/never")));
  }

  @Test
  void a_missing_or_one_character_timeout_means_flaggers_ten_seconds() {
    assertThat(WebhookExecutor.timeoutOf(null)).isEqualTo(Duration.ofSeconds(10));
    assertThat(WebhookExecutor.timeoutOf("5")).isEqualTo(Duration.ofSeconds(10));
    assertThat(WebhookExecutor.timeoutOf("1m30s")).isEqualTo(Duration.ofSeconds(90));
  }
}
