package dev.mooring.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Notification delivery against WireMock: retries, what is not retried, the token. */
class PipelineNotifierTest {
  WireMockServer receiver;
  PipelineNotifier notifier =
      new PipelineNotifier(null, null, new SimpleMeterRegistry(), Duration.ofMillis(10));

  @BeforeEach
  void start() {
    receiver = new WireMockServer(options().dynamicPort());
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop();
    notifier.close();
  }

  private URI uri(String path) {
    return URI.create(receiver.baseUrl() + path + "?key=secret-in-query");
  }

  @Test
  void theEventIsAJsonPayloadWithASlackText() {
    Map<String, Object> body =
        PipelineNotifier.payload(
            "mooring",
            "shop",
            new PipelinePlanner.Notice(
                "Promoted",
                "stage staging: 1111111 promoted, approved by alice",
                false,
                "staging",
                "1111111aaaa"),
            Instant.parse("2026-12-02T10:00:00Z"));
    assertThat(body)
        .containsEntry(
            "text", "Pipeline mooring/shop: stage staging: 1111111 promoted, approved by alice")
        .containsEntry("event", "Promoted")
        .containsEntry("pipeline", Map.of("namespace", "mooring", "name", "shop"))
        .containsEntry("stage", "staging")
        .containsEntry("revision", "1111111aaaa")
        .containsEntry("severity", "info")
        .containsEntry("at", "2026-12-02T10:00:00Z");
  }

  @Test
  void serverErrorsAreRetriedUntilDelivered() {
    receiver.stubFor(
        post(urlEqualTo("/hook?key=secret-in-query"))
            .inScenario("flaky")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("second"));
    receiver.stubFor(
        post(urlEqualTo("/hook?key=secret-in-query"))
            .inScenario("flaky")
            .whenScenarioStateIs("second")
            .willReturn(aResponse().withStatus(429))
            .willSetStateTo("third"));
    receiver.stubFor(
        post(urlEqualTo("/hook?key=secret-in-query"))
            .inScenario("flaky")
            .whenScenarioStateIs("third")
            .willReturn(aResponse().withStatus(200)));

    String error =
        notifier.deliver(
            uri("/hook"), "t0ken", "{\"text\":\"x\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(error).isNull();
    receiver.verify(
        3,
        postRequestedFor(urlEqualTo("/hook?key=secret-in-query"))
            .withHeader("Authorization", equalTo("Bearer t0ken"))
            .withHeader("Content-Type", equalTo("application/json")));
  }

  @Test
  void aClientErrorIsNotRetriedAndTheMessageHidesTheQuery() {
    receiver.stubFor(
        post(urlEqualTo("/hook?key=secret-in-query")).willReturn(aResponse().withStatus(404)));
    String error = notifier.deliver(uri("/hook"), null, "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(error).isEqualTo("http://localhost:" + receiver.port() + "/hook answered 404");
    receiver.verify(1, postRequestedFor(urlEqualTo("/hook?key=secret-in-query")));
  }

  @Test
  void aReceiverThatKeepsFailingIsGivenUpAfterFourAttempts() {
    receiver.stubFor(
        post(urlEqualTo("/hook?key=secret-in-query")).willReturn(aResponse().withStatus(500)));
    String error = notifier.deliver(uri("/hook"), null, "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(error).endsWith("answered 500 (after 4 attempts)").doesNotContain("secret-in-query");
    receiver.verify(4, postRequestedFor(urlEqualTo("/hook?key=secret-in-query")));
  }
}
