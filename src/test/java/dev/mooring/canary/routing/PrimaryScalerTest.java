package dev.mooring.canary.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.model.Canary;
import dev.mooring.model.CanarySpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrimaryScalerTest {
  private static Canary canary(String autoscalerRef) {
    return Serialization.unmarshal(
        """
        apiVersion: mooring.dev/v1alpha1
        kind: Canary
        metadata: {name: podinfo, namespace: test, uid: 1234}
        spec:
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
          autoscalerRef: %s
          service: {port: 9898}
        """
            .formatted(autoscalerRef),
        Canary.class);
  }

  private static ObjectNode object(String yaml) {
    return Serialization.unmarshal(yaml, ObjectNode.class);
  }

  @Test
  void anHpaCopyScalesThePrimaryWithTheTargetsBoundsMetricsAndBehavior() {
    ObjectNode hpa =
        object(
            """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata:
              name: podinfo
              namespace: test
              labels: {app: podinfo, mooring.dev/tracking-id: "x"}
              resourceVersion: "7"
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
              minReplicas: 2
              maxReplicas: 4
              metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 99}}}]
              behavior: {scaleDown: {stabilizationWindowSeconds: 60}}
            status: {currentReplicas: 2}
            """);
    ObjectNode copy =
        PrimaryScaler.primary(hpa, canary("{kind: HorizontalPodAutoscaler, name: podinfo}"));

    assertThat(copy.at("/metadata/name").asText()).isEqualTo("podinfo-primary");
    assertThat(copy.at("/metadata/labels/app").asText()).isEqualTo("podinfo");
    assertThat(copy.at("/metadata/labels").has("mooring.dev/tracking-id"))
        .as("never mistaken for an object applied from Git")
        .isFalse();
    assertThat(copy.at("/metadata/ownerReferences/0/kind").asText()).isEqualTo("Canary");
    assertThat(copy.at("/metadata").has("resourceVersion")).isFalse();
    assertThat(copy.at("/spec/scaleTargetRef").toString())
        .isEqualTo(
            "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\"podinfo-primary\"}");
    assertThat(copy.at("/spec/minReplicas").asInt()).isEqualTo(2);
    assertThat(copy.at("/spec/maxReplicas").asInt()).isEqualTo(4);
    assertThat(copy.at("/spec/metrics")).isEqualTo(hpa.at("/spec/metrics"));
    assertThat(copy.at("/spec/behavior")).isEqualTo(hpa.at("/spec/behavior"));
    assertThat(copy.has("status")).isFalse();
    assertThat(PrimaryScaler.startReplicas(hpa)).isEqualTo(2);
  }

  @Test
  void primaryScalerReplicasOverrideTheCopysBounds() {
    ObjectNode hpa =
        object(
            """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: podinfo}
            spec: {scaleTargetRef: {kind: Deployment, name: podinfo}, minReplicas: 1, maxReplicas: 3}
            """);
    ObjectNode copy =
        PrimaryScaler.primary(
            hpa,
            canary("{name: podinfo, primaryScalerReplicas: {minReplicas: 5, maxReplicas: 9}}"));
    assertThat(copy.at("/spec/minReplicas").asInt()).isEqualTo(5);
    assertThat(copy.at("/spec/maxReplicas").asInt()).isEqualTo(9);
    assertThat(PrimaryScaler.startReplicas(hpa)).isEqualTo(1);
  }

  @Test
  void aScaledObjectCopyGetsThePrimarysQueriesAndNoPause() {
    ObjectNode so =
        object(
            """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata:
              name: podinfo
              annotations: {autoscaling.keda.sh/paused-replicas: "0", team: shop}
            spec:
              scaleTargetRef: {name: podinfo, envSourceContainerName: app}
              pollingInterval: 10
              minReplicaCount: 0
              maxReplicaCount: 5
              triggers:
                - {type: prometheus, name: a, metadata: {query: 'rate(x{pod=~"podinfo-canary-.*|podinfo-[0-9a-z]+"}[1m])'}}
                - {type: prometheus, name: b, metadata: {query: 'up{job="podinfo"}'}}
                - {type: cpu, metadata: {value: "50"}}
            """);
    ObjectNode copy =
        PrimaryScaler.primary(
            so,
            canary(
                "{apiVersion: keda.sh/v1alpha1, kind: ScaledObject, name: podinfo,"
                    + " primaryScalerQueries: {b: 'up{job=\"main\"}'}}"));
    assertThat(copy.at("/spec/scaleTargetRef/name").asText()).isEqualTo("podinfo-primary");
    assertThat(copy.at("/spec/scaleTargetRef/envSourceContainerName").asText()).isEqualTo("app");
    assertThat(copy.at("/spec/triggers/0/metadata/query").asText())
        .isEqualTo("rate(x{pod=~\"podinfo-primary-.*|podinfo-primary-[0-9a-z]+\"}[1m])");
    assertThat(copy.at("/spec/triggers/1/metadata/query").asText()).isEqualTo("up{job=\"main\"}");
    assertThat(copy.at("/spec/triggers/2/metadata/value").asText()).isEqualTo("50");
    assertThat(copy.at("/metadata/annotations").toString()).isEqualTo("{\"team\":\"shop\"}");
    assertThat(PrimaryScaler.startReplicas(so)).isEqualTo(1);
  }

  @Test
  void queriesAlreadyNamingThePrimaryAreLeftAsTheyAre() {
    assertThat(
            PrimaryScaler.primaryQuery(
                "x{a=\"web-primary\",b=\"web\",c=\"web-canary\"}", "t", "web", Map.of()))
        .isEqualTo("x{a=\"web-primary\",b=\"web-primary\",c=\"web-primary\"}");
  }

  @Test
  void unusableAutoscalerRefsAreNamed() {
    CanarySpec.AutoscalerRef ref = new CanarySpec.AutoscalerRef();
    assertThat(PrimaryScaler.problem(ref)).isEqualTo("spec.autoscalerRef.name is required");
    ref.name = "web";
    assertThat(PrimaryScaler.problem(ref)).isNull();
    ref.apiVersion = "autoscaling/v2beta2";
    assertThat(PrimaryScaler.problem(ref)).contains("use autoscaling/v2");
    ref.apiVersion = null;
    ref.kind = "VerticalPodAutoscaler";
    assertThat(PrimaryScaler.problem(ref)).contains("VerticalPodAutoscaler is not supported");
    ref.kind = "ScaledObject";
    ref.primaryScalerReplicas = new CanarySpec.PrimaryScalerReplicas();
    ref.primaryScalerReplicas.minReplicas = 4;
    ref.primaryScalerReplicas.maxReplicas = 2;
    assertThat(PrimaryScaler.problem(ref)).contains("minReplicas is above maxReplicas");
  }
}
