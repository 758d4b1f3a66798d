package dev.mooring.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Canary;
import dev.mooring.model.CanaryStatus;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /api/v1/canaries: a Flagger Canary (apiVersion changed) with its analysis history. */
@QuarkusTest
@WithRealKubernetes
class CanariesApiTest {
  @Inject KubernetesClient client;

  @Test
  void canariesAreListedWithEveryCheckValueAndThreshold() throws Exception {
    Canary canary;
    try (InputStream in = getClass().getResourceAsStream("/canary/podinfo-flagger.yaml")) {
      canary = Serialization.unmarshal(in, Canary.class);
    }
    String ns =
        canary.getMetadata().getNamespace() == null ? "test" : canary.getMetadata().getNamespace();
    canary.getMetadata().setNamespace(ns);
    canary.getSpec().suspend = true; // the controller leaves the status written here alone
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .createOr(n -> n.update());
    Canary created = client.resource(canary).create();
    CanaryStatus status = new CanaryStatus();
    status.phase = "Progressing";
    status.canaryWeight = 10;
    status.failedChecks = 1;
    status.analysisHistory =
        List.of(
            new CanaryStatus.AnalysisRecord(
                "2026-11-22T01:00:00Z",
                "request-success-rate",
                97.5,
                99.0,
                null,
                false,
                "97.5 is below the minimum 99"),
            new CanaryStatus.AnalysisRecord(
                "2026-11-22T01:01:00Z",
                "request-duration",
                null,
                null,
                500.0,
                false,
                "no traffic: the query returned no data"));
    created.setStatus(status);
    client.resource(created).updateStatus();
    String name = canary.getMetadata().getName();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                given().get("/api/v1/canaries/" + ns + "/" + name).statusCode() == 200
                    && "Progressing"
                        .equals(
                            given()
                                .get("/api/v1/canaries/" + ns + "/" + name)
                                .jsonPath()
                                .getString("status.phase")));
    Response one = given().get("/api/v1/canaries/" + ns + "/" + name);
    assertThat(one.jsonPath().getInt("status.canaryWeight")).isEqualTo(10);
    assertThat(one.jsonPath().getList("status.analysisHistory.metric"))
        .containsExactly("request-success-rate", "request-duration");
    assertThat(one.jsonPath().getString("status.analysisHistory[1].message"))
        .contains("no traffic");
    assertThat(one.jsonPath().getDouble("status.analysisHistory[0].thresholdMin")).isEqualTo(99.0);
    assertThat(given().get("/api/v1/canaries").jsonPath().getList("metadata.name")).contains(name);
    assertThat(given().get("/api/v1/canaries/" + ns + "/missing").statusCode()).isEqualTo(404);
  }
}
