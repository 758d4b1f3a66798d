package dev.mooring.rollout;

import static dev.mooring.rollout.CanaryFixture.image;
import static dev.mooring.rollout.CanaryFixture.promoted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.model.Canary;
import dev.mooring.testing.DeploymentSimulator;
import dev.mooring.testing.PrometheusServer;
import dev.mooring.testing.ScrapeTarget;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Flagger's e2e flows that need more than weights, on the real API server (workloads made ready
 * through {@code /status} by {@link DeploymentSimulator}), written from reading Flagger's {@code
 * test/} scripts: nginx A/B testing by header and cookie with a real Prometheus fed emulated
 * ingress-nginx metrics, and Gateway API blue/green, which moves all traffic to the canary before
 * the promotion.
 */
@QuarkusTest
@WithRealKubernetes
class FlaggerFlowsTest {
  private static final Duration LONG = Duration.ofSeconds(90);

  @Inject KubernetesClient client;

  static ScrapeTarget scrape;
  static PrometheusServer prometheus;

  @BeforeAll
  static void start() throws Exception {
    if (PrometheusServer.binary().isEmpty()) {
      Assumptions.abort(
          "no Prometheus binary at "
              + PrometheusServer.DEBIAN_BINARY
              + " (apt-get install -y prometheus; .ci/run installs it)");
    }
    scrape = ScrapeTarget.start();
    scrape.grow(
        "nginx_ingress_controller_requests{namespace=\"flow-ab\",ingress=\"podinfo\","
            + "canary=\"flow-ab-podinfo-canary-80\",status=\"200\"}",
        20);
    prometheus =
        PrometheusServer.start(
            Files.createTempDirectory("mooring-flows-prom"), List.of(scrape.hostPort()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (scrape != null) {
      scrape.close();
    }
  }

  @Test
  void nginxAbTestingSendsTheMatchedRequestsToTheCanaryThenPromotes() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "flow-ab");
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("podinfo", "podinfo:6.0.0", 2);
      fx.ingress("podinfo", "podinfo");
      fx.canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata:
            name: podinfo
          spec:
            provider: nginx
            metricsServer: %s
            targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
            ingressRef: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: podinfo}
            progressDeadlineSeconds: 60
            service: {port: 80, targetPort: 9898}
            analysis:
              interval: 1s
              threshold: 2
              iterations: 3
              match:
                - headers:
                    x-canary:
                      exact: "insider"
                - headers:
                    cookie:
                      exact: "canary"
              metrics:
                - name: request-success-rate
                  thresholdRange: {min: 99}
                  interval: 10s
          """
              .formatted(prometheus.url()));
      fx.awaitPhase("podinfo", "Initialized", LONG);
      assertThat(annotations(fx))
          .containsEntry("nginx.ingress.kubernetes.io/canary-weight", "0")
          .doesNotContainKey("nginx.ingress.kubernetes.io/canary-by-header");

      try (var routes = new CanaryFixture.Recorder<>(() -> annotations(fx))) {
        fx.setImage("podinfo", "podinfo:6.0.1");
        Canary done = fx.awaitPhase("podinfo", "Succeeded", LONG);
        assertThat(promoted(done)).startsWith("True Succeeded");
        assertThat(routes.seen())
            .as("during the analysis the matched requests, and only they, reach the canary")
            .anySatisfy(
                a ->
                    assertThat(a)
                        .containsEntry("nginx.ingress.kubernetes.io/canary", "true")
                        .containsEntry("nginx.ingress.kubernetes.io/canary-by-header", "x-canary")
                        .containsEntry(
                            "nginx.ingress.kubernetes.io/canary-by-header-value", "insider")
                        .containsEntry("nginx.ingress.kubernetes.io/canary-by-cookie", "canary")
                        .doesNotContainKey("nginx.ingress.kubernetes.io/canary-weight"));
      }
      assertThat(image(fx.deploymentNamed("podinfo-primary"))).isEqualTo("podinfo:6.0.1");
      assertThat(annotations(fx))
          .containsEntry("nginx.ingress.kubernetes.io/canary-weight", "0")
          .doesNotContainKey("nginx.ingress.kubernetes.io/canary-by-header");
      assertThat(fx.get("podinfo").getStatus().conditions)
          .noneMatch(c -> "Unsupported".equals(c.type));
      assertThat(fx.eventMessages("podinfo"))
          .contains("Advance canary iteration 1/3", "Advance canary iteration 3/3");
    }
  }

  @Test
  void gatewayApiBlueGreenMovesAllTrafficToTheCanaryBeforeThePromotion() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "flow-bg");
    GatewayApiCrd.install(client);
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("web", "web:1", 1);
      fx.canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata:
            name: web
          spec:
            provider: gatewayapi:v1
            targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
            service:
              port: 8080
              gatewayRefs: [{name: public, namespace: gateways}]
            analysis:
              interval: 1s
              threshold: 2
              iterations: 2
          """);
      fx.awaitPhase("web", "Initialized", LONG);
      assertThat(weights(fx)).isEqualTo(Map.of("web-primary", 100L, "web-canary", 0L));

      try (var seen = new CanaryFixture.Recorder<>(() -> weights(fx).get("web-canary"))) {
        fx.setImage("web", "web:2");
        fx.awaitPhase("web", "Succeeded", LONG);
        assertThat(seen.seen()).containsSubsequence(0L, 100L, 0L);
      }
      assertThat(image(fx.deploymentNamed("web-primary"))).isEqualTo("web:2");
      assertThat(weights(fx)).isEqualTo(Map.of("web-primary", 100L, "web-canary", 0L));
      assertThat(fx.eventMessages("web")).contains("Routing all traffic to the canary");
    }
  }

  @Test
  void alertsReachTheirProvidersBySeverityWithTheAddressFromASecret() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "flow-alerts");
    com.github.tomakehurst.wiremock.WireMockServer chat =
        new com.github.tomakehurst.wiremock.WireMockServer(
            com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort());
    chat.start();
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      chat.stubFor(
          com.github.tomakehurst.wiremock.client.WireMock.post(
                  com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/hooks/.*"))
              .willReturn(com.github.tomakehurst.wiremock.client.WireMock.ok()));
      client
          .resource(
              new io.fabric8.kubernetes.api.model.SecretBuilder()
                  .withNewMetadata()
                  .withName("slack-url")
                  .withNamespace(fx.ns)
                  .endMetadata()
                  .addToStringData("address", chat.baseUrl() + "/hooks/T000/B000/secret")
                  .build())
          .create();
      for (String provider :
          List.of(
              """
              apiVersion: mooring.dev/v1alpha1
              kind: AlertProvider
              metadata: {name: on-call}
              spec: {type: slack, channel: on-call, secretRef: {name: slack-url}}
              """,
              """
              apiVersion: mooring.dev/v1alpha1
              kind: AlertProvider
              metadata: {name: pager}
              spec: {type: generic, address: %s/hooks/pager}
              """
                  .formatted(chat.baseUrl()))) {
        var ap =
            io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                provider, dev.mooring.model.AlertProvider.class);
        ap.getMetadata().setNamespace(fx.ns);
        client.resource(ap).create();
      }
      fx.deployment("api", "api:1", 1);
      fx.canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata:
            name: api
          spec:
            provider: kubernetes
            targetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
            service: {port: 80}
            analysis:
              interval: 1s
              iterations: 1
              alerts:
                - {name: chat, severity: info, providerRef: {name: on-call}}
                - {name: pages, severity: error, providerRef: {name: pager}}
          """);
      fx.awaitPhase("api", "Initialized", LONG);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  chat.verify(
                      com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                              com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(
                                  "/hooks/T000/B000/secret"))
                          .withRequestBody(
                              com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath(
                                  "$.channel",
                                  com.github.tomakehurst.wiremock.client.WireMock.equalTo(
                                      "on-call")))
                          .withRequestBody(
                              com.github.tomakehurst.wiremock.client.WireMock.containing(
                                  "api." + fx.ns))));
      CanaryFixture.sleep(Duration.ofSeconds(2));
      chat.verify(
          0,
          com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
              com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/hooks/pager")));
    } finally {
      chat.stop();
    }
  }

  private static Map<String, String> annotations(CanaryFixture fx) {
    return new TreeMap<>(fx.ingressNamed("podinfo-canary").getMetadata().getAnnotations());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Long> weights(CanaryFixture fx) {
    var route = fx.httpRoute("web");
    Map<String, Object> spec = (Map<String, Object>) route.getAdditionalProperties().get("spec");
    List<Map<String, Object>> rules = (List<Map<String, Object>>) spec.get("rules");
    List<Map<String, Object>> backends =
        (List<Map<String, Object>>) rules.get(0).get("backendRefs");
    Map<String, Long> out = new TreeMap<>();
    backends.forEach(b -> out.put((String) b.get("name"), ((Number) b.get("weight")).longValue()));
    return out;
  }
}
