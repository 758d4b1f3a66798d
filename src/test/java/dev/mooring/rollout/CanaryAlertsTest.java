package dev.mooring.rollout;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.mooring.canary.alerts.AlertResult;
import dev.mooring.canary.alerts.AlertSender;
import dev.mooring.canary.alerts.Alerts;
import dev.mooring.model.AlertProvider;
import dev.mooring.model.Canary;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alerts leave the reconcile thread at once, and go out with the Canary as it was then. */
class CanaryAlertsTest {
  static final YAMLMapper YAML = new YAMLMapper();
  WireMockServer chat;
  BlockingQueue<List<AlertResult>> finished = new LinkedBlockingQueue<>();
  CanaryAlerts queue;

  @BeforeEach
  void start() throws Exception {
    chat = new WireMockServer(options().dynamicPort());
    chat.start();
    chat.stubFor(
        post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200).withFixedDelay(500)));
    AlertProvider provider =
        YAML.readValue(
            """
            metadata: {name: slack, namespace: test}
            spec: {type: slack, address: "http://127.0.0.1:%d/hook"}
            """
                .formatted(chat.port()),
            AlertProvider.class);
    Alerts alerts =
        new Alerts(
            (ns, name) -> Optional.of(provider).filter(p -> name.equals("slack")),
            (ns, name) -> Optional.empty(),
            new AlertSender(Duration.ofSeconds(2)),
            Clock.systemUTC());
    queue = new CanaryAlerts(alerts, finished::add);
  }

  @AfterEach
  void stop() {
    queue.close();
    chat.stop();
  }

  static Canary canary(String alerts) throws Exception {
    return YAML.readValue(
        """
        metadata: {name: podinfo, namespace: test}
        spec:
          targetRef: {kind: Deployment, name: podinfo}
          service: {port: 80}
          analysis: {%s}
        status: {phase: Progressing}
        """
            .formatted(alerts),
        Canary.class);
  }

  @Test
  void returnsBeforeTheChatAnswersAndSendsTheEventsMessage() throws Exception {
    Canary canary = canary("alerts: [{name: a, providerRef: {name: slack}}]");

    long started = System.nanoTime();
    queue.onEvent(canary, "Succeeded", "Promotion completed! Scaling down the canary");
    canary.getStatus().phase = "Failed";
    canary.getSpec().effectiveAnalysis().alerts.clear();
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(took).isLessThan(400);
    List<AlertResult> results = finished.poll(5, TimeUnit.SECONDS);
    assertThat(results).extracting(AlertResult::outcome).containsExactly(AlertResult.Outcome.SENT);
    chat.verify(
        postRequestedFor(urlEqualTo("/hook"))
            .withRequestBody(
                matchingJsonPath(
                    "$.attachments[0].text",
                    equalTo("Promotion completed! Scaling down the canary"))));
  }

  @Test
  void doesNothingForACanaryWithoutAlerts() throws Exception {
    queue.onEvent(canary("interval: 1m"), "Succeeded", "Promotion completed!");

    assertThat(finished.poll(300, TimeUnit.MILLISECONDS)).isNull();
    chat.verify(0, postRequestedFor(urlEqualTo("/hook")));
  }
}
