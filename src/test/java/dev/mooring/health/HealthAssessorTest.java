package dev.mooring.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthAssessorTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final HealthAssessor assessor = new HealthAssessor();

  @Test
  void aNullObjectIsMissing() {
    assertThat(assessor.assess(null).status()).isEqualTo(HealthStatus.Missing);
  }

  @Test
  void aKindWithoutACheckIsHealthy() throws Exception {
    Health health = assessor.assess(yaml("{apiVersion: v1, kind: ConfigMap, data: {a: b}}"));

    assertThat(health).isEqualTo(Health.healthy());
  }

  @Test
  void aMooringKindWithoutACheckUsesItsReportedHealth() throws Exception {
    Health health =
        assessor.assess(
            yaml(
                "{apiVersion: mooring.dev/v1alpha1, kind: MetricTemplate,"
                    + " status: {health: {status: Degraded, message: query failed}}}"));

    assertThat(health).isEqualTo(Health.degraded("query failed"));
  }

  @Test
  void aMalformedObjectIsUnknownRatherThanAnError() throws Exception {
    JsonNode hpa =
        yaml(
            "{apiVersion: autoscaling/v1, kind: HorizontalPodAutoscaler, metadata: {annotations:"
                + " {autoscaling.alpha.kubernetes.io/conditions: 'not json'}}}");

    Health health = assessor.assess(hpa);

    assertThat(health.status()).isEqualTo(HealthStatus.Unknown);
    assertThat(health.message()).contains("HorizontalPodAutoscaler", "not valid JSON");
  }

  @Test
  void aV1AutoscalerReadsItsConditionsFromTheAnnotation() throws Exception {
    JsonNode hpa =
        yaml(
            "{apiVersion: autoscaling/v1, kind: HorizontalPodAutoscaler, metadata: {annotations:"
                + " {autoscaling.alpha.kubernetes.io/conditions: '[{\"type\":\"AbleToScale\","
                + "\"status\":\"True\",\"reason\":\"SucceededRescale\"}]'}}}");

    assertThat(assessor.assess(hpa).status()).isEqualTo(HealthStatus.Healthy);
  }

  @Test
  void aggregatePicksTheWorstStatusAndNamesTheObject() {
    Map<String, Health> byName = new LinkedHashMap<>();
    byName.put("Service guestbook/web", Health.healthy());
    byName.put(
        "Deployment guestbook/web",
        Health.progressing("Waiting for rollout to finish: 1 of 2 updated replicas are available"));
    byName.put("Job guestbook/migrate", Health.degraded("Job failed: BackoffLimitExceeded"));
    byName.put("Deployment guestbook/api", Health.progressing("Waiting"));

    Health health = HealthAssessor.aggregate(byName);

    assertThat(health.status()).isEqualTo(HealthStatus.Degraded);
    assertThat(health.message())
        .isEqualTo(
            "Job guestbook/migrate: Job failed: BackoffLimitExceeded (and 2 more not healthy)");
  }

  @Test
  void aggregateOfOneUnhealthyObjectNamesItWithoutACount() {
    Health health =
        HealthAssessor.aggregate(
            Map.of(
                "Deployment guestbook/web",
                Health.progressing(
                    "Waiting for rollout to finish: 1 of 2 updated replicas are available")));

    assertThat(health)
        .isEqualTo(
            Health.progressing(
                "Deployment guestbook/web: Waiting for rollout to finish: 1 of 2 updated replicas"
                    + " are available"));
  }

  @Test
  void aggregateOfHealthyObjectsIsHealthyWithoutAMessage() {
    assertThat(HealthAssessor.aggregate(Map.of("Service guestbook/web", Health.healthy("ok"))))
        .isEqualTo(Health.healthy());
    assertThat(HealthAssessor.aggregate(List.of())).isEqualTo(Health.healthy());
  }

  @Test
  void aggregateKeepsTheFirstMessageOfTheWorstStatus() {
    Health health =
        HealthAssessor.aggregate(
            List.of(
                Health.suspended("paused"),
                Health.missing("first missing"),
                Health.missing("second missing"),
                Health.progressing("rolling")));

    assertThat(health).isEqualTo(Health.missing("first missing"));
  }

  @Test
  void aggregateCountsANullPartAsMissing() {
    Map<String, Health> byName = new LinkedHashMap<>();
    byName.put("Service guestbook/web", Health.progressing("Waiting for the load balancer"));
    byName.put("ConfigMap guestbook/settings", null);

    Health health = HealthAssessor.aggregate(byName);

    assertThat(health.status()).isEqualTo(HealthStatus.Missing);
    assertThat(health.message()).startsWith("ConfigMap guestbook/settings: ");
  }

  @Test
  void aDeploymentRolloutMessageFeedsTheApplicationMessage() throws Exception {
    JsonNode deployment =
        yaml(
            "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, generation: 1},"
                + " spec: {replicas: 2}, status: {observedGeneration: 1, replicas: 2,"
                + " updatedReplicas: 2, availableReplicas: 1}}");

    Health health =
        HealthAssessor.aggregate(Map.of("Deployment guestbook/web", assessor.assess(deployment)));

    assertThat(health.message())
        .startsWith(
            "Deployment guestbook/web: Waiting for rollout to finish: 1 of 2 updated replicas are"
                + " available");
  }

  private static JsonNode yaml(String text) throws Exception {
    return YAML.readTree(text);
  }
}
