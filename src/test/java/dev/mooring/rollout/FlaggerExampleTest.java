package dev.mooring.rollout;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.mooring.rollout.CanaryFixture.image;
import static dev.mooring.rollout.CanaryFixture.promoted;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryAnalysis;
import dev.mooring.model.CanaryStatus;
import dev.mooring.testing.DeploymentSimulator;
import dev.mooring.testing.PrometheusServer;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Flagger's NGINX tutorial Canary for podinfo, with only its apiVersion changed, against a real
 * Prometheus configured as the default metrics server (as Flagger's {@code -metrics-server}).
 */
@QuarkusTest
@WithRealKubernetes
@QuarkusTestResource(value = PrometheusResource.class, restrictToAnnotatedClass = true)
class FlaggerExampleTest {
  private static final Duration LONG = Duration.ofSeconds(90);

  @Inject KubernetesClient client;

  @Test
  void theFlaggerPodinfoCanaryIsAcceptedAndAnalysed() throws Exception {
    Assumptions.assumeTrue(
        PrometheusServer.binary().isPresent(), "no Prometheus (apt-get install -y prometheus)");
    Canary canary;
    try (InputStream in = getClass().getResourceAsStream("/canary/podinfo-flagger.yaml")) {
      canary = Serialization.unmarshal(in, Canary.class);
    }
    CanaryFixture fx = new CanaryFixture(client, canary.getMetadata().getNamespace());
    WireMockServer loadtester = new WireMockServer(options().dynamicPort());
    loadtester.start();
    loadtester.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)));
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("podinfo", "ghcr.io/stefanprodan/podinfo:6.0.0", 2);
      fx.ingress("podinfo", "podinfo");
      // the tutorial's HPA (podinfo's kustomize/hpa.yaml), which the Canary's autoscalerRef names
      client
          .resource(
              Serialization.unmarshal(
                  """
                  apiVersion: autoscaling/v2
                  kind: HorizontalPodAutoscaler
                  metadata: {name: podinfo, namespace: test}
                  spec:
                    scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
                    minReplicas: 2
                    maxReplicas: 4
                    metrics:
                      - type: Resource
                        resource: {name: cpu, target: {type: Utilization, averageUtilization: 99}}
                  """,
                  io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class))
          .createOr(h -> h.update());
      client.resource(canary).create();

      fx.awaitPhase("podinfo", "Initialized", LONG);
      assertThat(fx.deploymentNamed("podinfo-primary")).isNotNull();
      assertThat(
              client
                  .autoscaling()
                  .v2()
                  .horizontalPodAutoscalers()
                  .inNamespace(fx.ns)
                  .withName("podinfo-primary")
                  .get()
                  .getSpec()
                  .getScaleTargetRef()
                  .getName())
          .isEqualTo("podinfo-primary");
      assertThat(fx.service("podinfo").getSpec().getPorts().get(0).getTargetPort().getIntVal())
          .isEqualTo(9898);
      assertThat(fx.ingressNamed("podinfo-canary").getMetadata().getAnnotations())
          .containsEntry("nginx.ingress.kubernetes.io/canary", "true")
          .containsEntry("nginx.ingress.kubernetes.io/canary-weight", "0");

      fx.setImage("podinfo", "ghcr.io/stefanprodan/podinfo:6.0.1");
      // the tutorial's load tester does not run here: its pre-rollout hook fails, as in Flagger
      Canary halted =
          fx.await(
              "podinfo",
              LONG,
              c -> c.getStatus().failedChecks != null && c.getStatus().failedChecks >= 1);
      assertThat(promoted(halted))
          .contains("pre-rollout check acceptance-test")
          .contains("flagger-loadtester.test");
      assertThat(fx.eventReasons("podinfo")).contains("AnalysisFailed");

      // point the hooks at a load tester that answers (as `kubectl edit` would): analysis goes on
      client
          .resources(Canary.class)
          .inNamespace(fx.ns)
          .withName("podinfo")
          .edit(
              c -> {
                for (CanaryAnalysis.Webhook hook : c.getSpec().analysis.webhooks) {
                  hook.url = loadtester.baseUrl() + "/";
                }
                return c;
              });
      Canary analysed =
          fx.await(
              "podinfo",
              LONG,
              c -> c.getStatus().canaryWeight != null && c.getStatus().canaryWeight >= 10);
      List<CanaryStatus.AnalysisRecord> history = analysed.getStatus().analysisHistory;
      assertThat(history)
          .extracting(r -> r.metric)
          .contains("request-success-rate", "request-duration");
      assertThat(history)
          .filteredOn(r -> r.metric.equals("request-success-rate"))
          .allSatisfy(
              r -> assertThat(r.value).isCloseTo(100.0, org.assertj.core.data.Offset.offset(1e-6)));
      assertThat(history)
          .filteredOn(r -> r.metric.equals("request-duration"))
          .allSatisfy(
              r -> {
                assertThat(r.value).isCloseTo(50.0, org.assertj.core.data.Offset.offset(1e-6));
                assertThat(r.passed).isTrue();
                assertThat(r.thresholdMax).isEqualTo(500.0);
              });
      assertThat(fx.ingressNamed("podinfo-canary").getMetadata().getAnnotations())
          .containsEntry(
              "nginx.ingress.kubernetes.io/canary-weight",
              String.valueOf(analysed.getStatus().canaryWeight));
      assertThat(image(fx.deploymentNamed("podinfo-primary"))).endsWith(":6.0.0");
      // Flagger's payload: name, namespace, phase, checksum and the hook's metadata
      loadtester.verify(
          postRequestedFor(urlEqualTo("/"))
              .withRequestBody(matchingJsonPath("$.name", equalTo("podinfo")))
              .withRequestBody(matchingJsonPath("$.namespace", equalTo("test")))
              .withRequestBody(matchingJsonPath("$.phase", equalTo("Progressing")))
              .withRequestBody(matchingJsonPath("$.checksum"))
              .withRequestBody(matchingJsonPath("$.metadata.cmd")));
      // and the gauges
      String metrics = given().get("/q/metrics").asString();
      assertThat(metrics)
          .contains(
              "mooring_canary_phase{name=\"podinfo\",namespace=\"test\",phase=\"Progressing\"} 1.0")
          .contains(
              "mooring_canary_metric_value{metric=\"request-success-rate\",name=\"podinfo\",namespace=\"test\"} 100.0")
          .contains(
              "mooring_canary_weight{name=\"podinfo\",namespace=\"test\",workload=\"canary\"}");
    } finally {
      loadtester.stop();
    }
  }
}
