package dev.mooring.rollout;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.mooring.rollout.CanaryFixture.image;
import static dev.mooring.rollout.CanaryFixture.phase;
import static dev.mooring.rollout.CanaryFixture.promoted;
import static dev.mooring.rollout.CanaryFixture.replicas;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryStatus;
import dev.mooring.testing.DeploymentSimulator;
import dev.mooring.testing.PrometheusServer;
import dev.mooring.testing.ScrapeTarget;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The canary controller end to end: the mock API server (with {@link DeploymentSimulator} playing
 * the pods), a real Prometheus scraping counters the test controls, and WireMock for webhooks and a
 * misbehaving Prometheus.
 */
@QuarkusTest
@WithRealKubernetes
class CanaryControllerTest {
  private static final Duration LONG = Duration.ofSeconds(60);

  @Inject KubernetesClient client;

  static ScrapeTarget scrape;
  static PrometheusServer prometheus;
  static WireMockServer wiremock;

  @BeforeAll
  static void start() throws Exception {
    if (PrometheusServer.binary().isEmpty()) {
      Assumptions.abort(
          "no Prometheus binary at "
              + PrometheusServer.DEBIAN_BINARY
              + " (apt-get install -y prometheus; .ci/run installs it)");
    }
    scrape = ScrapeTarget.start();
    // every namespace's ingress gets its series here before Prometheus starts scraping
    nginx("canary-ok", "podinfo", "200", 20);
    nginx("canary-5xx", "podinfo", "200", 10);
    nginx("canary-5xx", "podinfo", "503", 10);
    nginx("canary-idle", "podinfo", "200", 0);
    nginx("canary-flagger", "podinfo", "200", 20);
    latency("canary-flagger", "podinfo", 0.05, 1);
    nginx("canary-resume", "podinfo", "200", 20);
    prometheus =
        PrometheusServer.start(
            Files.createTempDirectory("mooring-canary-prom"), List.of(scrape.hostPort()));
    wiremock = new WireMockServer(options().dynamicPort());
    wiremock.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (wiremock != null) {
      wiremock.stop();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    if (scrape != null) {
      scrape.close();
    }
  }

  private static void nginx(String ns, String ingress, String status, double perScrape) {
    scrape.grow(
        "nginx_ingress_controller_requests{namespace=\""
            + ns
            + "\",ingress=\""
            + ingress
            + "\",canary=\""
            + ns
            + "-canary-upstream\",status=\""
            + status
            + "\"}",
        perScrape);
  }

  private static void latency(String ns, String ingress, double secondsPerScrape, double count) {
    String labels =
        "{namespace=\""
            + ns
            + "\",ingress=\""
            + ingress
            + "\",canary=\""
            + ns
            + "-canary-upstream\"}";
    scrape.grow(
        "nginx_ingress_controller_response_duration_seconds_sum" + labels, secondsPerScrape);
    scrape.grow("nginx_ingress_controller_response_duration_seconds_count" + labels, count);
  }

  private static String nginxCanary(String name, String metricsServer, String extraAnalysis) {
    return """
        apiVersion: mooring.dev/v1alpha1
        kind: Canary
        metadata:
          name: %s
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
            maxWeight: 50
            stepWeight: 25
            metrics:
              - name: request-success-rate
                thresholdRange: {min: 99}
                interval: 10s
        %s
        """
        .formatted(name, metricsServer, extraAnalysis);
  }

  private static int canaryIngressWeight(Ingress ingress) {
    return Integer.parseInt(
        ingress.getMetadata().getAnnotations().get("nginx.ingress.kubernetes.io/canary-weight"));
  }

  @Test
  void healthyRevisionIsPromotedThroughTheWeights() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "canary-ok");
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("podinfo", "podinfo:6.0.0", 2);
      fx.ingress("podinfo", "podinfo");
      fx.canary(nginxCanary("podinfo", prometheus.url(), ""));

      Canary initialized = fx.awaitPhase("podinfo", "Initialized", LONG);
      assertThat(promoted(initialized)).startsWith("True Initialized");
      Deployment primary = fx.deploymentNamed("podinfo-primary");
      assertThat(image(primary)).isEqualTo("podinfo:6.0.0");
      assertThat(replicas(primary)).isEqualTo(2);
      assertThat(primary.getSpec().getSelector().getMatchLabels())
          .containsEntry("app", "podinfo-primary");
      assertThat(
              primary
                  .getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .getEnvFrom()
                  .get(0)
                  .getConfigMapRef()
                  .getName())
          .isEqualTo("podinfo-config-primary");
      assertThat(
              client
                  .configMaps()
                  .inNamespace(fx.ns)
                  .withName("podinfo-config-primary")
                  .get()
                  .getData())
          .containsEntry("color", "blue");
      assertThat(fx.service("podinfo").getSpec().getSelector())
          .containsEntry("app", "podinfo-primary");
      assertThat(fx.service("podinfo-primary").getSpec().getSelector())
          .containsEntry("app", "podinfo-primary");
      assertThat(fx.service("podinfo-canary").getSpec().getSelector())
          .containsEntry("app", "podinfo");
      org.awaitility.Awaitility.await()
          .atMost(LONG)
          .until(() -> replicas(fx.deploymentNamed("podinfo")) == 0);
      assertThat(canaryIngressWeight(fx.ingressNamed("podinfo-canary"))).isZero();
      // the user's Ingress is left alone; the canary copy points at the canary Service
      assertThat(fx.ingressNamed("podinfo").getMetadata().getAnnotations())
          .doesNotContainKey("nginx.ingress.kubernetes.io/canary");
      assertThat(
              fx.ingressNamed("podinfo-canary")
                  .getSpec()
                  .getRules()
                  .get(0)
                  .getHttp()
                  .getPaths()
                  .get(0)
                  .getBackend()
                  .getService()
                  .getName())
          .isEqualTo("podinfo-canary");

      try (var weights =
          new CanaryFixture.Recorder<>(
              () -> canaryIngressWeight(fx.ingressNamed("podinfo-canary")))) {
        fx.setImage("podinfo", "podinfo:6.0.1");
        Canary done = fx.awaitPhase("podinfo", "Succeeded", LONG);
        assertThat(weights.seen()).containsSubsequence(0, 25, 50, 0);
        assertThat(promoted(done)).startsWith("True Succeeded");
        assertThat(done.getStatus().failedChecks).isZero();
        assertThat(done.getStatus().lastPromotedSpec).isEqualTo(done.getStatus().lastAppliedSpec);
        List<CanaryStatus.AnalysisRecord> history = done.getStatus().analysisHistory;
        assertThat(history).isNotEmpty().allMatch(r -> r.passed);
        assertThat(history.get(0).metric).isEqualTo("request-success-rate");
        assertThat(history.get(0).value)
            .isCloseTo(100.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(history.get(0).thresholdMin).isEqualTo(99.0);
      }
      assertThat(image(fx.deploymentNamed("podinfo-primary"))).isEqualTo("podinfo:6.0.1");
      org.awaitility.Awaitility.await()
          .atMost(LONG)
          .until(() -> replicas(fx.deploymentNamed("podinfo")) == 0);
      assertThat(fx.eventReasons("podinfo"))
          .contains("Initialized", "Progressing", "Promoting", "Succeeded");
    }
  }

  @Test
  void revisionWithServerErrorsIsRolledBack() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "canary-5xx");
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("podinfo", "podinfo:6.0.0", 1);
      fx.ingress("podinfo", "podinfo");
      fx.canary(nginxCanary("podinfo", prometheus.url(), ""));
      fx.awaitPhase("podinfo", "Initialized", LONG);

      fx.setImage("podinfo", "podinfo:6.0.1-broken");
      Canary failed = fx.awaitPhase("podinfo", "Failed", LONG);
      assertThat(promoted(failed))
          .startsWith("False Failed")
          .contains("Failed checks threshold reached 2/2");
      assertThat(failed.getStatus().failedChecks).isEqualTo(2);
      assertThat(failed.getStatus().analysisHistory)
          .isNotEmpty()
          .allSatisfy(
              r -> {
                assertThat(r.passed).isFalse();
                assertThat(r.value).isCloseTo(50.0, org.assertj.core.data.Offset.offset(1e-6));
                assertThat(r.message).contains("below the minimum 99");
              });
      assertThat(image(fx.deploymentNamed("podinfo-primary"))).isEqualTo("podinfo:6.0.0");
      org.awaitility.Awaitility.await()
          .atMost(LONG)
          .until(() -> replicas(fx.deploymentNamed("podinfo")) == 0);
      assertThat(canaryIngressWeight(fx.ingressNamed("podinfo-canary"))).isZero();
      assertThat(fx.eventReasons("podinfo")).contains("Rollback");

      // the failed revision is not analysed again: no new checks while the target is unchanged
      int checks = failed.getStatus().analysisHistory.size();
      CanaryFixture.sleep(Duration.ofSeconds(3));
      Canary later = fx.get("podinfo");
      assertThat(phase(later)).isEqualTo("Failed");
      assertThat(later.getStatus().analysisHistory).hasSize(checks);
    }
  }

  @Test
  void noTrafficFailsChecksWithAClearMessage() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "canary-idle");
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("podinfo", "podinfo:6.0.0", 1);
      fx.ingress("podinfo", "podinfo");
      fx.canary(nginxCanary("podinfo", prometheus.url(), ""));
      fx.awaitPhase("podinfo", "Initialized", LONG);
      fx.setImage("podinfo", "podinfo:6.0.1");
      Canary failed = fx.awaitPhase("podinfo", "Failed", LONG);
      assertThat(failed.getStatus().analysisHistory)
          .isNotEmpty()
          .allSatisfy(
              r -> {
                assertThat(r.passed).isFalse();
                assertThat(r.value).isNull();
                assertThat(r.message).startsWith("no traffic");
              });
      assertThat(image(fx.deploymentNamed("podinfo-primary"))).isEqualTo("podinfo:6.0.0");
    }
  }

  @Test
  void prometheusAnswering500OrTimingOutNeverPromotes() throws Exception {
    wiremock.stubFor(
        get(urlPathEqualTo("/broken/api/v1/query"))
            .willReturn(
                aResponse().withStatus(500).withBody("{\"status\":\"error\",\"error\":\"boom\"}")));
    wiremock.stubFor(
        get(urlPathEqualTo("/slow/api/v1/query"))
            .willReturn(aResponse().withStatus(200).withFixedDelay(12_000).withBody("{}")));
    CanaryFixture broken = new CanaryFixture(client, "canary-prom500");
    CanaryFixture slow = new CanaryFixture(client, "canary-promslow");
    try (DeploymentSimulator a = DeploymentSimulator.start(client, broken.ns);
        DeploymentSimulator b = DeploymentSimulator.start(client, slow.ns)) {
      for (CanaryFixture fx : List.of(broken, slow)) {
        fx.deployment("podinfo", "podinfo:6.0.0", 1);
        fx.ingress("podinfo", "podinfo");
        String path = fx == broken ? "/broken" : "/slow";
        fx.canary(nginxCanary("podinfo", wiremock.baseUrl() + path, ""));
      }
      for (CanaryFixture fx : List.of(broken, slow)) {
        fx.awaitPhase("podinfo", "Initialized", LONG);
        fx.setImage("podinfo", "podinfo:6.0.1");
      }
      Canary failed = broken.awaitPhase("podinfo", "Failed", LONG);
      assertThat(failed.getStatus().analysisHistory)
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.message).contains("could not be read").contains("500"));
      assertThat(image(broken.deploymentNamed("podinfo-primary"))).isEqualTo("podinfo:6.0.0");

      Canary timedOut = slow.awaitPhase("podinfo", "Failed", Duration.ofSeconds(90));
      assertThat(timedOut.getStatus().analysisHistory)
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.message).contains("did not answer within"));
      assertThat(image(slow.deploymentNamed("podinfo-primary"))).isEqualTo("podinfo:6.0.0");
    }
  }

  @Test
  void confirmPromotionGatesThePromotionWithGatewayApiRouting() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "canary-gate");
    GatewayApiCrd.install(client);
    wiremock.stubFor(
        post(urlEqualTo("/gate")).willReturn(aResponse().withStatus(403).withBody("not yet")));
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
              hosts: [web.example.com]
              gatewayRefs: [{name: public, namespace: gateways}]
            analysis:
              interval: 1s
              threshold: 3
              stepWeight: 50
              webhooks:
                - name: approve
                  type: confirm-promotion
                  url: %s/gate
          """
              .formatted(wiremock.baseUrl()));
      fx.awaitPhase("web", "Initialized", LONG);
      assertThat(weights(fx)).isEqualTo(Map.of("web-primary", 100L, "web-canary", 0L));

      fx.setImage("web", "web:2");
      Canary waiting = fx.awaitPhase("web", "WaitingPromotion", LONG);
      assertThat(waiting.getStatus().canaryWeight).isEqualTo(100);
      assertThat(weights(fx)).isEqualTo(Map.of("web-primary", 0L, "web-canary", 100L));
      CanaryFixture.sleep(Duration.ofSeconds(3));
      assertThat(phase(fx.get("web"))).isEqualTo("WaitingPromotion");
      assertThat(image(fx.deploymentNamed("web-primary"))).isEqualTo("web:1");
      assertThat(promoted(fx.get("web")))
          .contains("waiting for promotion approval approve (HTTP 403: not yet)");

      wiremock.stubFor(post(urlEqualTo("/gate")).willReturn(aResponse().withStatus(200)));
      fx.awaitPhase("web", "Succeeded", LONG);
      assertThat(image(fx.deploymentNamed("web-primary"))).isEqualTo("web:2");
      assertThat(weights(fx)).isEqualTo(Map.of("web-primary", 100L, "web-canary", 0L));
      wiremock.verify(
          postRequestedFor(urlEqualTo("/gate"))
              .withRequestBody(matchingJsonPath("$.name", equalTo("web")))
              .withRequestBody(matchingJsonPath("$.namespace", equalTo(fx.ns))));
    }
  }

  @Test
  void aConfirmRolloutGateHoldsTheNewRevisionUntilItOpensThenEveryHookTypeIsCalled()
      throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "canary-rollout-gate");
    GatewayApiCrd.install(client);
    wiremock.stubFor(
        post(urlEqualTo("/start")).willReturn(aResponse().withStatus(403).withBody("freeze")));
    for (String path : List.of("/pre", "/check", "/more", "/ship", "/post")) {
      wiremock.stubFor(post(urlEqualTo(path + "-rg")).willReturn(aResponse().withStatus(200)));
    }
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
            service: {port: 8080}
            analysis:
              interval: 1s
              threshold: 3
              stepWeight: 50
              maxWeight: 50
              webhooks:
                - {name: start, type: confirm-rollout, url: "%1$s/start"}
                - {name: pre, type: pre-rollout, url: "%1$s/pre-rg"}
                - {name: check, type: rollout, url: "%1$s/check-rg"}
                - {name: more, type: confirm-traffic-increase, url: "%1$s/more-rg"}
                - {name: ship, type: confirm-promotion, url: "%1$s/ship-rg"}
                - {name: post, type: post-rollout, url: "%1$s/post-rg"}
          """
              .formatted(wiremock.baseUrl()));
      fx.awaitPhase("web", "Initialized", LONG);

      fx.setImage("web", "web:2");
      Canary waiting = fx.awaitPhase("web", "Waiting", LONG);
      assertThat(promoted(waiting)).contains("freeze");
      CanaryFixture.sleep(Duration.ofSeconds(3));
      assertThat(phase(fx.get("web"))).isEqualTo("Waiting");
      assertThat(replicas(fx.deploymentNamed("web")))
          .as("the canary is not scaled up while the gate is closed")
          .isZero();
      wiremock.verify(0, postRequestedFor(urlEqualTo("/pre-rg")));

      wiremock.stubFor(post(urlEqualTo("/start")).willReturn(aResponse().withStatus(200)));
      fx.awaitPhase("web", "Succeeded", LONG);
      assertThat(image(fx.deploymentNamed("web-primary"))).isEqualTo("web:2");
      for (String path : List.of("/pre-rg", "/check-rg", "/more-rg", "/ship-rg")) {
        wiremock.verify(
            moreThanOrExactly(1),
            postRequestedFor(urlEqualTo(path))
                .withRequestBody(matchingJsonPath("$.name", equalTo("web")))
                .withRequestBody(matchingJsonPath("$.namespace", equalTo(fx.ns))));
      }
      wiremock.verify(
          1,
          postRequestedFor(urlEqualTo("/post-rg"))
              .withRequestBody(matchingJsonPath("$.phase", equalTo("Succeeded"))));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Long> weights(CanaryFixture fx) {
    var route = fx.httpRoute("web");
    Map<String, Object> spec = (Map<String, Object>) route.getAdditionalProperties().get("spec");
    List<Map<String, Object>> rules = (List<Map<String, Object>>) spec.get("rules");
    List<Map<String, Object>> backends =
        (List<Map<String, Object>>) rules.get(0).get("backendRefs");
    Map<String, Long> out = new java.util.TreeMap<>();
    backends.forEach(b -> out.put((String) b.get("name"), ((Number) b.get("weight")).longValue()));
    return out;
  }

  @Test
  void blueGreenWithTheKubernetesProviderCountsIterations() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "canary-bluegreen");
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("api", "api:1", 3);
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
              threshold: 2
              iterations: 3
          """);
      fx.awaitPhase("api", "Initialized", LONG);
      assertThat(fx.service("api").getSpec().getSelector()).containsEntry("app", "api-primary");
      try (var iterations =
          new CanaryFixture.Recorder<>(() -> fx.get("api").getStatus().iterations)) {
        fx.setImage("api", "api:2");
        // the canary runs with the primary's replicas while it is analysed
        org.awaitility.Awaitility.await()
            .atMost(LONG)
            .until(() -> replicas(fx.deploymentNamed("api")) == 3);
        fx.awaitPhase("api", "Succeeded", LONG);
        assertThat(iterations.seen()).containsSubsequence(1, 2, 3);
      }
      assertThat(fx.service("api").getSpec().getSelector()).containsEntry("app", "api-primary");
      assertThat(image(fx.deploymentNamed("api-primary"))).isEqualTo("api:2");
      assertThat(replicas(fx.deploymentNamed("api-primary"))).isEqualTo(3);
      org.awaitility.Awaitility.await()
          .atMost(LONG)
          .until(() -> replicas(fx.deploymentNamed("api")) == 0);

      // a change to a ConfigMap the pods read is a new revision too; the primary's copy follows
      // only on promotion
      String promotedSpec = fx.get("api").getStatus().lastPromotedSpec;
      client
          .configMaps()
          .inNamespace(fx.ns)
          .withName("api-config")
          .edit(
              c -> {
                c.getData().put("color", "green");
                return c;
              });
      fx.await(
          "api",
          LONG,
          c ->
              "Progressing".equals(phase(c))
                  && !promotedSpec.equals(c.getStatus().lastAppliedSpec));
      assertThat(
              client.configMaps().inNamespace(fx.ns).withName("api-config-primary").get().getData())
          .containsEntry("color", "blue");
      fx.awaitPhase("api", "Succeeded", LONG);
      assertThat(
              client.configMaps().inNamespace(fx.ns).withName("api-config-primary").get().getData())
          .containsEntry("color", "green");
    }
  }

  @Test
  void aCanaryThatNeverBecomesReadyIsRolledBackAfterTheDeadline() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "canary-deadline");
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("slow", "slow:1", 1);
      fx.canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata:
            name: slow
          spec:
            targetRef: {apiVersion: apps/v1, kind: Deployment, name: slow}
            progressDeadlineSeconds: 3
            service: {port: 80}
            analysis: {interval: 1s, stepWeight: 50}
          """);
      fx.awaitPhase("slow", "Initialized", LONG);
      pods.holdUnready("slow");
      fx.setImage("slow", "slow:2");
      Canary failed = fx.awaitPhase("slow", "Failed", LONG);
      assertThat(promoted(failed))
          .contains("Progress deadline exceeded: the canary was not ready for more than 3s");
      assertThat(image(fx.deploymentNamed("slow-primary"))).isEqualTo("slow:1");
    }
  }

  @Test
  void anAnalysisResumesFromStatusAlone() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "canary-resume");
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("podinfo", "podinfo:1", 1);
      fx.ingress("podinfo", "podinfo");
      fx.canary(
          nginxCanary("podinfo", prometheus.url(), "")
              .replace("maxWeight: 50", "maxWeight: 100")
              .replace("stepWeight: 25", "stepWeight: 20"));
      fx.awaitPhase("podinfo", "Initialized", LONG);
      fx.setImage("podinfo", "podinfo:2");
      fx.await(
          "podinfo", LONG, c -> "Progressing".equals(phase(c)) && c.getStatus().canaryWeight == 20);
      // the controller stops (suspend), and a status from "before the restart" says weight 60
      suspend(fx, true);
      CanaryFixture.sleep(Duration.ofSeconds(2));
      Canary stopped = fx.get("podinfo");
      stopped.getStatus().canaryWeight = 60;
      client.resource(stopped).updateStatus();
      try (var weights =
          new CanaryFixture.Recorder<>(() -> fx.get("podinfo").getStatus().canaryWeight)) {
        suspend(fx, false);
        fx.awaitPhase("podinfo", "Succeeded", LONG);
        // it went on from 60: never back to the start of the analysis
        assertThat(weights.seen()).containsSubsequence(60, 80, 100).doesNotContain(20, 40);
      }
      assertThat(image(fx.deploymentNamed("podinfo-primary"))).isEqualTo("podinfo:2");
    }
  }

  private void suspend(CanaryFixture fx, boolean suspend) {
    client
        .resources(Canary.class)
        .inNamespace(fx.ns)
        .withName("podinfo")
        .edit(
            c -> {
              c.getSpec().suspend = suspend;
              return c;
            });
  }

  @Test
  void aRollbackWebhookStopsTheAnalysisAndEventHooksHearEveryTransition() throws Exception {
    wiremock.stubFor(post(urlEqualTo("/rollback")).willReturn(aResponse().withStatus(404)));
    wiremock.stubFor(post(urlEqualTo("/events")).willReturn(aResponse().withStatus(200)));
    wiremock.stubFor(post(urlEqualTo("/pre")).willReturn(aResponse().withStatus(200)));
    wiremock.stubFor(post(urlEqualTo("/post")).willReturn(aResponse().withStatus(200)));
    CanaryFixture fx = new CanaryFixture(client, "canary-hooks");
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("shop", "shop:1", 1);
      fx.canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata:
            name: shop
          spec:
            targetRef: {apiVersion: apps/v1, kind: Deployment, name: shop}
            service: {port: 80}
            analysis:
              interval: 1s
              threshold: 5
              stepWeight: 10
              webhooks:
                - {name: pre, type: pre-rollout, url: "%1$s/pre", metadata: {suite: smoke}}
                - {name: stop, type: rollback, url: "%1$s/rollback"}
                - {name: notify, type: event, url: "%1$s/events"}
                - {name: done, type: post-rollout, url: "%1$s/post"}
          """
              .formatted(wiremock.baseUrl()));
      fx.awaitPhase("shop", "Initialized", LONG);
      fx.setImage("shop", "shop:2");
      fx.await(
          "shop",
          LONG,
          c -> c.getStatus().canaryWeight != null && c.getStatus().canaryWeight >= 20);
      wiremock.stubFor(post(urlEqualTo("/rollback")).willReturn(aResponse().withStatus(200)));
      Canary failed = fx.awaitPhase("shop", "Failed", LONG);
      assertThat(promoted(failed))
          .contains("Rollback webhook stop (HTTP 200) asked for a rollback");
      assertThat(image(fx.deploymentNamed("shop-primary"))).isEqualTo("shop:1");
      org.awaitility.Awaitility.await()
          .atMost(LONG)
          .until(() -> replicas(fx.deploymentNamed("shop")) == 0);
      wiremock.verify(
          1,
          postRequestedFor(urlEqualTo("/pre"))
              .withRequestBody(matchingJsonPath("$.metadata.suite", equalTo("smoke")))
              .withRequestBody(matchingJsonPath("$.name", equalTo("shop"))));
      wiremock.verify(
          postRequestedFor(urlEqualTo("/post"))
              .withRequestBody(matchingJsonPath("$.phase", equalTo("Failed"))));
      for (String type : List.of("Initialized", "Progressing", "Rollback")) {
        wiremock.verify(
            postRequestedFor(urlEqualTo("/events"))
                .withRequestBody(matchingJsonPath("$.metadata.eventType"))
                .withRequestBody(
                    matchingJsonPath(
                        "$.metadata.eventMessage",
                        containing(
                            type.equals("Rollback")
                                ? "Canary failed!"
                                : type.equals("Initialized")
                                    ? "Initialization done"
                                    : "New revision"))));
      }
    }
  }

  @Test
  void atRestTheCanaryRepairsItsObjectsAndAdoptsWhatAnotherOwnerLeft() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "canary-repair");
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("cart", "cart:1", 2);
      // left behind by Flagger: a -canary Service whose controller is a flagger.app Canary
      client
          .services()
          .inNamespace(fx.ns)
          .resource(
              new io.fabric8.kubernetes.api.model.ServiceBuilder()
                  .withNewMetadata()
                  .withName("cart-canary")
                  .addNewOwnerReference()
                  .withApiVersion("flagger.app/v1beta1")
                  .withKind("Canary")
                  .withName("cart")
                  .withUid("flagger-uid")
                  .withController(true)
                  .endOwnerReference()
                  .endMetadata()
                  .withNewSpec()
                  .addToSelector("app", "cart")
                  .addNewPort()
                  .withPort(80)
                  .endPort()
                  .endSpec()
                  .build())
          .create();
      Canary created =
          fx.canary(
              """
              apiVersion: mooring.dev/v1alpha1
              kind: Canary
              metadata:
                name: cart
              spec:
                targetRef: {apiVersion: apps/v1, kind: Deployment, name: cart}
                service: {port: 80}
                analysis: {interval: 1s}
              """);
      fx.awaitPhase("cart", "Initialized", LONG);
      org.awaitility.Awaitility.await()
          .atMost(LONG)
          .untilAsserted(
              () ->
                  assertThat(fx.service("cart-canary").getMetadata().getOwnerReferences())
                      .singleElement()
                      .satisfies(
                          ref -> {
                            assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid());
                            assertThat(ref.getKind()).isEqualTo("Canary");
                          }));

      // someone deletes a Service and scales the target up by hand: the next ticks repair both
      client.services().inNamespace(fx.ns).withName("cart-primary").delete();
      client
          .apps()
          .deployments()
          .inNamespace(fx.ns)
          .withName("cart")
          .edit(
              d -> {
                d.getSpec().setReplicas(2);
                return d;
              });
      org.awaitility.Awaitility.await()
          .atMost(LONG)
          .until(
              () ->
                  fx.service("cart-primary") != null && replicas(fx.deploymentNamed("cart")) == 0);
      assertThat(phase(fx.get("cart"))).isEqualTo("Initialized");
    }
  }

  @Test
  void anInvalidCanaryIsReportedAndTouchesNothing() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "canary-invalid");
    fx.deployment("podinfo", "podinfo:1", 1);
    // a malformed MetricTemplate is said on itself, at once
    client
        .resource(
            io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                """
                apiVersion: mooring.dev/v1alpha1
                kind: MetricTemplate
                metadata: {name: latency, namespace: canary-invalid}
                spec:
                  provider: {type: datadog, address: "not a url"}
                  query: avg:trace.http.request.duration{service:podinfo}
                """,
                dev.mooring.model.MetricTemplate.class))
        .create();
    fx.canary(
        """
        apiVersion: mooring.dev/v1alpha1
        kind: Canary
        metadata:
          name: podinfo
        spec:
          provider: linkerd-smi
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
          service: {port: 80}
          analysis: {interval: soon}
        """);
    Canary reported = fx.await("podinfo", LONG, c -> promoted(c).contains("InvalidSpec"));
    assertThat(promoted(reported))
        .contains("unsupported canary provider 'linkerd-smi'")
        .contains("analysis.interval \"soon\" is not a duration");
    assertThat(fx.deploymentNamed("podinfo-primary")).isNull();
    assertThat(replicas(fx.deploymentNamed("podinfo"))).isEqualTo(1);
    assertThat(fx.eventReasons("podinfo")).contains("InvalidSpec");
    org.awaitility.Awaitility.await()
        .atMost(LONG)
        .untilAsserted(
            () ->
                assertThat(
                        client.v1().events().inNamespace(fx.ns).list().getItems().stream()
                            .filter(e -> "MetricTemplate".equals(e.getInvolvedObject().getKind()))
                            .map(e -> e.getReason() + ": " + e.getMessage()))
                    .containsExactly(
                        "InvalidSpec: MetricTemplate canary-invalid/latency uses provider datadog;"
                            + " only prometheus is supported"));

    // the malformed ones stop nothing: a good Canary created after them initializes
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("cart", "cart:1", 1);
      fx.canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata:
            name: cart
          spec:
            targetRef: {apiVersion: apps/v1, kind: Deployment, name: cart}
            service: {port: 80}
            analysis: {interval: 1s}
          """);
      fx.awaitPhase("cart", "Initialized", LONG);
    }
    assertThat(promoted(fx.get("podinfo"))).contains("InvalidSpec");
  }

  @Test
  void aMissingTargetIsReported() {
    CanaryFixture fx = new CanaryFixture(client, "canary-notarget");
    fx.canary(
        """
        apiVersion: mooring.dev/v1alpha1
        kind: Canary
        metadata:
          name: ghost
        spec:
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: ghost}
          service: {port: 80}
          analysis: {interval: 1s}
        """);
    Canary reported = fx.await("ghost", LONG, c -> promoted(c).contains("TargetNotFound"));
    assertThat(promoted(reported))
        .contains("Deployment canary-notarget/ghost (spec.targetRef) not found");
  }
}
