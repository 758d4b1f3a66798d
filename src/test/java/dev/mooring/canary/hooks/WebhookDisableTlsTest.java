package dev.mooring.canary.hooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.mooring.canary.hooks.Hooks.callOf;
import static dev.mooring.canary.hooks.Hooks.hook;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.mooring.canary.WebhookResult;
import dev.mooring.model.CanaryAnalysis.Webhook;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code webhooks[].disableTLS}: WireMock's HTTPS port has a self-signed certificate (for
 * "localhost", reached here by IP), which a hook calls only when it skips verification.
 */
class WebhookDisableTlsTest {
  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance()
          .options(wireMockConfig().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1"))
          .build();

  private final WebhookExecutor executor =
      new WebhookExecutor(
          HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
          Clock.systemUTC(),
          Duration.ofMillis(10));

  @BeforeEach
  void answerOk() {
    server.stubFor(post("/gate").willReturn(aResponse().withStatus(200)));
  }

  private static String httpsUrl() {
    return "https://127.0.0.1:" + server.getRuntimeInfo().getHttpsPort() + "/gate";
  }

  @Test
  void aSelfSignedCertificateFailsTheCallByDefault() {
    WebhookResult result = executor.call(callOf(hook("gate", "confirm-rollout", httpsUrl())));

    assertThat(result.ok()).isFalse();
    assertThat(result.message()).contains("failed");
    server.verify(0, postRequestedFor(urlEqualTo("/gate")));
  }

  @Test
  void disableTlsAcceptsTheSelfSignedCertificate() {
    Webhook hook = hook("gate", "confirm-rollout", httpsUrl());
    hook.disableTLS = true;

    WebhookResult result = executor.call(callOf(hook));

    assertThat(result.ok()).as(result.message()).isTrue();
    server.verify(1, postRequestedFor(urlEqualTo("/gate")));
  }

  @Test
  void onlyTheHookThatAsksSkipsVerification() {
    Webhook trusting = hook("trusting", "pre-rollout", httpsUrl());
    trusting.disableTLS = true;
    Webhook strict = hook("strict", "pre-rollout", httpsUrl());
    strict.disableTLS = false;

    List<WebhookResult> results =
        executor.runAll(callOf(new Webhook()), List.of(trusting, strict), "pre-rollout");

    assertThat(results).extracting(WebhookResult::ok).containsExactly(true, false);
    server.verify(1, postRequestedFor(urlEqualTo("/gate")));
  }
}
