package dev.mooring.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

/** Flagger's readiness of the primary and the canary Deployment. */
class ReadinessTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void a_missing_deployment_is_not_ready() {
    assertThat(Readiness.of(null, 100)).isEqualTo(new Readiness(false, "does not exist"));
  }

  @Test
  void a_deployment_scaled_to_zero_is_not_ready() {
    ObjectNode deployment =
        deployment(
            """
            metadata: {name: podinfo, generation: 2}
            spec: {replicas: 0}
            status: {observedGeneration: 2}
            """);

    assertThat(Readiness.of(deployment, 100)).isEqualTo(new Readiness(false, "is scaled to zero"));
  }

  @Test
  void a_generation_not_yet_observed_is_not_ready() {
    ObjectNode deployment =
        deployment(
            """
            metadata: {name: podinfo, generation: 3}
            spec: {replicas: 2}
            status: {observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2}
            """);

    assertThat(Readiness.of(deployment, 100))
        .isEqualTo(new Readiness(false, "waiting for the rollout to be observed"));
  }

  @Test
  void a_generation_without_any_status_is_not_ready() {
    ObjectNode deployment =
        deployment(
            """
            metadata: {name: podinfo, generation: 1}
            spec: {replicas: 1}
            """);

    assertThat(Readiness.of(deployment, 100))
        .isEqualTo(new Readiness(false, "waiting for the rollout to be observed"));
  }

  @Test
  void an_exceeded_progress_deadline_is_not_ready() {
    ObjectNode deployment =
        deployment(
            """
            metadata: {name: podinfo, generation: 4}
            spec: {replicas: 2}
            status:
              observedGeneration: 4
              replicas: 3
              updatedReplicas: 1
              availableReplicas: 2
              conditions:
                - {type: Available, status: "True", reason: MinimumReplicasAvailable}
                - {type: Progressing, status: "False", reason: ProgressDeadlineExceeded}
            """);

    assertThat(Readiness.of(deployment, 100))
        .isEqualTo(new Readiness(false, "exceeded its progress deadline"));
  }

  @Test
  void only_a_progressing_condition_with_an_exceeded_deadline_blocks() {
    ObjectNode deployment =
        deployment(
            """
            metadata: {name: podinfo, generation: 4}
            spec: {replicas: 2}
            status:
              observedGeneration: 4
              replicas: 2
              updatedReplicas: 2
              availableReplicas: 2
              conditions:
                - {type: Available, status: "False", reason: ProgressDeadlineExceeded}
                - {type: Progressing, status: "True", reason: NewReplicaSetAvailable}
            """);

    assertThat(Readiness.of(deployment, 100))
        .isEqualTo(new Readiness(true, "2 of 2 replicas available"));
  }

  @Test
  void a_rollout_in_progress_is_not_ready() {
    ObjectNode deployment =
        deployment(
            """
            metadata: {name: podinfo, generation: 5}
            spec: {replicas: 3}
            status: {observedGeneration: 5, replicas: 3, updatedReplicas: 1, availableReplicas: 3}
            """);

    assertThat(Readiness.of(deployment, 100))
        .isEqualTo(new Readiness(false, "rollout in progress: 1 of 3 replicas updated"));
  }

  @Test
  void a_new_deployment_without_status_counts_is_in_progress() {
    ObjectNode deployment =
        deployment(
            """
            metadata: {name: podinfo, generation: 1}
            spec: {replicas: 2}
            status: {observedGeneration: 1}
            """);

    assertThat(Readiness.of(deployment, 100))
        .isEqualTo(new Readiness(false, "rollout in progress: 0 of 2 replicas updated"));
  }

  @Test
  void old_replicas_pending_termination_are_not_ready() {
    ObjectNode deployment =
        deployment(
            """
            metadata: {name: podinfo, generation: 5}
            spec: {replicas: 3}
            status: {observedGeneration: 5, replicas: 5, updatedReplicas: 3, availableReplicas: 3}
            """);

    assertThat(Readiness.of(deployment, 100))
        .isEqualTo(new Readiness(false, "2 old replicas are pending termination"));
  }

  @Test
  void availability_is_judged_against_the_threshold_percent() {
    ObjectNode deployment =
        deployment(
            """
            metadata: {name: podinfo, generation: 7}
            spec: {replicas: 4}
            status: {observedGeneration: 7, replicas: 4, updatedReplicas: 4, availableReplicas: 2}
            """);

    assertThat(Readiness.of(deployment, 100))
        .isEqualTo(new Readiness(false, "2 of 4 updated replicas are available"));
    assertThat(Readiness.of(deployment, 75))
        .isEqualTo(new Readiness(false, "2 of 4 updated replicas are available"));
    assertThat(Readiness.of(deployment, 51).ready()).isFalse();
    assertThat(Readiness.of(deployment, 50))
        .isEqualTo(new Readiness(true, "2 of 4 replicas available"));
    assertThat(Readiness.of(deployment, 1).ready()).isTrue();
  }

  @Test
  void the_threshold_rounds_up_to_whole_pods() {
    ObjectNode oneOfThree =
        deployment(
            """
            metadata: {name: podinfo, generation: 1}
            spec: {replicas: 3}
            status: {observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 1}
            """);
    ObjectNode twoOfThree =
        deployment(
            """
            metadata: {name: podinfo, generation: 1}
            spec: {replicas: 3}
            status: {observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 2}
            """);

    // 50% of 3 pods is 1.5: at least two must be available
    assertThat(Readiness.of(oneOfThree, 50).ready()).isFalse();
    assertThat(Readiness.of(twoOfThree, 50).ready()).isTrue();
    assertThat(Readiness.of(twoOfThree, 100).ready()).isFalse();
  }

  @Test
  void none_available_is_not_ready_even_at_a_low_threshold() {
    ObjectNode deployment =
        deployment(
            """
            metadata: {name: podinfo, generation: 1}
            spec: {replicas: 2}
            status: {observedGeneration: 1, replicas: 2, updatedReplicas: 2}
            """);

    assertThat(Readiness.of(deployment, 1))
        .isEqualTo(new Readiness(false, "0 of 2 updated replicas are available"));
  }

  @Test
  void a_fully_rolled_out_deployment_is_ready() {
    assertThat(Readiness.of(ready(3), 100))
        .isEqualTo(new Readiness(true, "3 of 3 replicas available"));
  }

  @Test
  void replicas_default_to_one_when_the_spec_does_not_say() {
    ObjectNode deployment =
        deployment(
            """
            metadata: {name: podinfo, generation: 1}
            spec: {}
            status: {observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1}
            """);
    ObjectNode notYet =
        deployment(
            """
            metadata: {name: podinfo, generation: 1}
            spec: {}
            status: {observedGeneration: 1}
            """);

    assertThat(Readiness.of(deployment, 100))
        .isEqualTo(new Readiness(true, "1 of 1 replicas available"));
    assertThat(Readiness.of(notYet, 100))
        .isEqualTo(new Readiness(false, "rollout in progress: 0 of 1 replicas updated"));
  }

  @Test
  void a_deployment_without_a_generation_is_judged_by_its_counts() {
    ObjectNode deployment =
        deployment(
            """
            metadata: {name: podinfo}
            spec: {replicas: 2}
            status: {replicas: 2, updatedReplicas: 2, availableReplicas: 2}
            """);

    assertThat(Readiness.of(deployment, 100).ready()).isTrue();
  }

  private static ObjectNode ready(int replicas) {
    return deployment(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: podinfo, namespace: test, generation: 9}
        spec: {replicas: %d}
        status:
          observedGeneration: 9
          replicas: %d
          updatedReplicas: %d
          readyReplicas: %d
          availableReplicas: %d
          conditions:
            - {type: Available, status: "True", reason: MinimumReplicasAvailable}
            - {type: Progressing, status: "True", reason: NewReplicaSetAvailable}
        """
            .formatted(replicas, replicas, replicas, replicas, replicas));
  }

  private static ObjectNode deployment(String yaml) {
    try {
      return (ObjectNode) YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
