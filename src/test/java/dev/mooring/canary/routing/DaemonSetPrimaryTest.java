package dev.mooring.canary.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.rollout.Readiness;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

class DaemonSetPrimaryTest {
  private static ObjectNode daemonSet(String nodeSelector) {
    return Serialization.unmarshal(
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: infra, generation: 3}
        spec:
          selector: {matchLabels: {app: agent}}
          minReadySeconds: 5
          updateStrategy: {type: RollingUpdate}
          template:
            metadata: {labels: {app: agent}}
            spec:
              %s
              containers: [{name: agent, image: "agent:1"}]
        status: {observedGeneration: 3, desiredNumberScheduled: 4, updatedNumberScheduled: 4, numberAvailable: 3}
        """
            .formatted(nodeSelector),
        ObjectNode.class);
  }

  @Test
  void thePrimaryIsADaemonSetWithoutReplicasOrTheScaleToZeroSelector() {
    ObjectNode primary =
        PrimaryBuilder.primaryDeployment(
            daemonSet("nodeSelector: {mooring.dev/scale-to-zero: 'true', disk: ssd}"), "agent");
    assertThat(primary.path("kind").asText()).isEqualTo("DaemonSet");
    assertThat(primary.at("/metadata/name").asText()).isEqualTo("agent-primary");
    assertThat(primary.at("/spec").has("replicas")).isFalse();
    assertThat(primary.at("/spec/minReadySeconds").asInt()).isEqualTo(5);
    assertThat(primary.at("/spec/updateStrategy/type").asText()).isEqualTo("RollingUpdate");
    assertThat(primary.at("/spec/selector/matchLabels/app").asText()).isEqualTo("agent-primary");
    assertThat(primary.at("/spec/template/spec/nodeSelector").toString())
        .isEqualTo("{\"disk\":\"ssd\"}");
  }

  @Test
  void scalingToZeroIsNotANewRevision() {
    String plain = PrimaryBuilder.podTemplateHash(daemonSet(""), List.of());
    assertThat(
            PrimaryBuilder.podTemplateHash(
                daemonSet("nodeSelector: {mooring.dev/scale-to-zero: 'true'}"), List.of()))
        .isEqualTo(plain);
    assertThat(
            PrimaryBuilder.podTemplateHash(
                daemonSet("nodeSelector: {flagger.app/scale-to-zero: 'true'}"), List.of()))
        .as("a DaemonSet Flagger scaled down is taken over as it is")
        .isEqualTo(plain);
    assertThat(PrimaryBuilder.podTemplateHash(daemonSet("nodeSelector: {disk: ssd}"), List.of()))
        .isNotEqualTo(plain);
  }

  @Test
  void readinessCountsScheduledPods() {
    assertThat(Readiness.of(daemonSet(""), 100).ready()).isFalse();
    assertThat(Readiness.of(daemonSet(""), 100).message())
        .isEqualTo("3 of 4 scheduled pods are available");
    assertThat(Readiness.of(daemonSet(""), 75).ready()).isTrue();
    assertThat(
            Readiness.of(daemonSet("nodeSelector: {mooring.dev/scale-to-zero: 'true'}"), 0)
                .message())
        .isEqualTo("is scaled to zero");
    ObjectNode stale = daemonSet("");
    stale.with("metadata").put("generation", 4);
    assertThat(Readiness.of(stale, 0).message())
        .isEqualTo("waiting for the rollout to be observed");
  }
}
