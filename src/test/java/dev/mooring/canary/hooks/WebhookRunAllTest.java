package dev.mooring.canary.hooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.mooring.canary.hooks.Hooks.callOf;
import static dev.mooring.canary.hooks.Hooks.hook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.mooring.canary.WebhookResult;
import dev.mooring.model.CanaryAnalysis.Webhook;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WebhookRunAllTest {
  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  private final WebhookExecutor executor =
      new WebhookExecutor(
          HttpClient.newHttpClient(),
          Clock.fixed(Instant.ofEpochMilli(1_700_000_000_123L), ZoneOffset.UTC),
          Duration.ofMillis(10));

  private static String url(String path) {
    return server.baseUrl() + path;
  }

  @BeforeEach
  void answers() {
    server.stubFor(post("/yes").willReturn(aResponse().withStatus(200)));
    server.stubFor(post("/no").willReturn(aResponse().withStatus(403).withBody("not yet")));
  }

  @Test
  void a_gating_type_stops_at_the_first_failure_but_answers_for_every_hook() {
    List<Webhook> hooks =
        List.of(
            hook("first", "confirm-promotion", url("/yes")),
            hook("second", "confirm-promotion", url("/no")),
            hook("third", "confirm-promotion", url("/yes?third")),
            hook("other", "post-rollout", url("/yes?other")));

    List<WebhookResult> results = executor.runAll(callOf(hooks.get(0)), hooks, "confirm-promotion");

    assertThat(results)
        .extracting(WebhookResult::name, WebhookResult::ok)
        .containsExactly(tuple("first", true), tuple("second", false), tuple("third", false));
    assertThat(results.get(1).message()).isEqualTo("HTTP 403: not yet");
    assertThat(results.get(2).message()).startsWith("not called");
    server.verify(0, postRequestedFor(urlEqualTo("/yes?third")));
    server.verify(0, postRequestedFor(urlEqualTo("/yes?other")));
  }

  @Test
  void a_hook_without_a_type_is_a_rollout_hook() {
    List<Webhook> hooks = List.of(hook("load-test", null, url("/yes")));

    List<WebhookResult> results = executor.runAll(callOf(hooks.get(0)), hooks, "rollout");

    assertThat(results)
        .containsExactly(new WebhookResult("load-test", "rollout", true, "HTTP 200"));
  }

  @Test
  void the_first_rollback_hook_answering_ok_is_enough_and_stops_the_others() {
    List<Webhook> hooks =
        List.of(
            hook("quiet", "rollback", url("/no")),
            hook("alarm", "rollback", url("/yes")),
            hook("later", "rollback", url("/yes?later")));

    List<WebhookResult> results = executor.runAll(callOf(hooks.get(0)), hooks, "rollback");

    assertThat(results).extracting(WebhookResult::ok).containsExactly(false, true, false);
    server.verify(0, postRequestedFor(urlEqualTo("/yes?later")));
  }

  @Test
  void every_post_rollout_hook_is_told_even_after_one_failed_with_the_final_phase() {
    List<Webhook> hooks =
        List.of(hook("a", "post-rollout", url("/no")), hook("b", "post-rollout", url("/yes")));
    HookCall succeeded = new HookCall("podinfo", "test", "Succeeded", "abc123", hooks.get(0));

    List<WebhookResult> results = executor.runAll(succeeded, hooks, "post-rollout");

    assertThat(results).extracting(WebhookResult::ok).containsExactly(false, true);
    server.verify(
        postRequestedFor(urlEqualTo("/yes"))
            .withRequestBody(equalToJson("{\"phase\":\"Succeeded\"}", true, true)));
  }

  @Test
  void an_event_payload_adds_message_type_and_timestamp_to_the_hooks_metadata() {
    Webhook hook = hook("events", "event", url("/yes"), Map.of("cluster", "prod"));

    WebhookResult result =
        executor.event(callOf(hook), "Normal", "Advance podinfo.test canary weight 10");

    assertThat(result.ok()).isTrue();
    server.verify(
        postRequestedFor(urlEqualTo("/yes"))
            .withRequestBody(
                equalToJson(
                    """
                    {"name": "podinfo", "namespace": "test", "phase": "Progressing",
                     "checksum": "abc123",
                     "metadata": {"cluster": "prod",
                                  "eventMessage": "Advance podinfo.test canary weight 10",
                                  "eventType": "Normal", "timestamp": "1700000000123"}}
                    """)));
  }

  @Test
  void event_fields_win_over_metadata_keys_of_the_same_name() {
    Webhook hook = hook("events", "event", url("/yes"), Map.of("eventType", "spoofed"));

    executor.event(callOf(hook), "Warning", "Rolling back");

    server.verify(
        postRequestedFor(urlEqualTo("/yes"))
            .withRequestBody(
                equalToJson("{\"metadata\":{\"eventType\":\"Warning\"}}", true, true)));
  }
}
