package dev.mooring.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class MergeTest {

  private static ObjectNode pod(String spec) {
    return Fixture.yaml("{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: " + spec + "}");
  }

  @Test
  void a_container_new_in_git_is_inserted_after_its_predecessor_in_git() {
    ObjectNode desired = pod("{containers: [{name: a, image: x}, {name: b, image: y}]}");
    ObjectNode live =
        pod("{containers: [{name: sidecar, image: s}, {name: a, image: x}, {name: z, image: z}]}");

    ObjectNode merged = DiffEngine.merge(desired, live, null);

    assertThat(merged.at("/spec/containers").findValuesAsText("name"))
        .containsExactly("sidecar", "a", "b", "z");
  }

  @Test
  void a_container_removed_from_git_is_removed_but_an_injected_one_stays() {
    ObjectNode last = pod("{containers: [{name: a, image: x}, {name: old, image: o}]}");
    ObjectNode desired = pod("{containers: [{name: a, image: x}]}");
    ObjectNode live =
        pod(
            "{containers: [{name: a, image: x}, {name: old, image: o}, {name: sidecar, image: s}]}");

    ObjectNode merged = DiffEngine.merge(desired, live, last);

    assertThat(merged.at("/spec/containers").findValuesAsText("name"))
        .containsExactly("a", "sidecar");
  }

  @Test
  void an_empty_dir_in_git_replacing_another_volume_source_is_a_difference() {
    ObjectNode desired = pod("{volumes: [{name: data, emptyDir: {}}]}");
    ObjectNode live = pod("{volumes: [{name: data, configMap: {name: c}}]}");

    ResourceDiff diff = DiffEngine.diff(desired, live, null, List.of());

    assertThat(diff.inSync()).isFalse();
    assertThat(diff.changedPaths()).containsExactly("/spec/volumes/0/emptyDir");
  }

  @Test
  void an_atomic_list_is_replaced_when_it_differs_and_kept_when_live_only_adds_defaults() {
    ObjectNode desired = pod("{tolerations: [{key: k, operator: Exists}]}");
    ObjectNode same = pod("{tolerations: [{key: k, operator: Exists, effect: ''}]}");
    ObjectNode other =
        pod("{tolerations: [{key: k, operator: Exists}, {key: node.kubernetes.io/not-ready}]}");

    assertThat(DiffEngine.diff(desired, same, null, List.of()).inSync()).isTrue();
    assertThat(DiffEngine.merge(desired, other, null).at("/spec/tolerations"))
        .isEqualTo(desired.at("/spec/tolerations"));
  }

  @Test
  void a_field_dropped_from_an_atomic_list_item_since_the_last_apply_is_a_difference() {
    ObjectNode last = pod("{tolerations: [{key: k, operator: Equal, value: v}]}");
    ObjectNode desired = pod("{tolerations: [{key: k, operator: Equal}]}");

    ResourceDiff diff = DiffEngine.diff(desired, last.deepCopy(), last, List.of());

    assertThat(diff.inSync()).isFalse();
    assertThat(diff.predicted().at("/spec/tolerations/0").has("value")).isFalse();
  }

  @Test
  void a_null_in_git_means_not_set() {
    ObjectNode desired = pod("{containers: [{name: a, image: x, resources: null}]}");
    ObjectNode live = pod("{containers: [{name: a, image: x}]}");

    assertThat(DiffEngine.diff(desired, live, null, List.of()).inSync()).isTrue();
  }

  @Test
  void a_changed_last_applied_annotation_alone_is_not_a_difference() {
    ObjectNode desired =
        Fixture.yaml(
            "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, annotations: {kubectl.kubernetes.io/last-applied-configuration: new}}}");
    ObjectNode live =
        Fixture.yaml(
            "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, annotations: {kubectl.kubernetes.io/last-applied-configuration: old}}}");

    assertThat(DiffEngine.diff(desired, live, null, List.of()).inSync()).isTrue();
    assertThat(
            DiffEngine.merge(desired, live, null)
                .at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration")
                .asText())
        .as("the write still records the new one")
        .isEqualTo("new");
  }

  @Test
  void with_server_side_apply_a_last_applied_annotation_left_from_client_side_applies_goes() {
    ObjectNode desired = Fixture.yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}");
    ObjectNode live =
        Fixture.yaml(
            "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, annotations: {kubectl.kubernetes.io/last-applied-configuration: old}}}");
    ObjectNode owned =
        Fixture.yaml(
            "{metadata: {annotations: {kubectl.kubernetes.io/last-applied-configuration: x}}}");

    ResourceDiff diff = DiffEngine.diff(desired, live, owned, List.of(), true);

    assertThat(diff.inSync()).isFalse();
    assertThat(diff.predicted().path("metadata").path("annotations").size()).isZero();
    assertThat(String.join(",", diff.changedPaths())).contains("/metadata/annotations");
  }

  @Test
  void the_annotation_of_earlier_mooring_versions_is_removed_by_the_next_write() {
    ObjectNode desired = Fixture.yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}");
    ObjectNode live =
        Fixture.yaml(
            "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, annotations: {a: b, mooring.dev/last-applied: old}}}");

    assertThat(
            DiffEngine.merge(desired, live, null)
                .at("/metadata/annotations")
                .has("mooring.dev/last-applied"))
        .isFalse();
    assertThat(DiffEngine.diff(desired, live, null, List.of()).inSync()).isFalse();
  }

  @Test
  void only_labels_annotations_name_and_namespace_of_git_metadata_count() {
    ObjectNode desired =
        Fixture.yaml(
            "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, resourceVersion: '1', uid: u}}");
    ObjectNode live =
        Fixture.yaml(
            "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, resourceVersion: '9', uid: w}}");

    assertThat(DiffEngine.diff(desired, live, null, List.of()).inSync()).isTrue();
  }

  @Test
  void a_secret_with_string_data_equal_to_live_data_is_in_sync() {
    ObjectNode desired =
        Fixture.yaml("{apiVersion: v1, kind: Secret, metadata: {name: s}, stringData: {a: x}}");
    ObjectNode live =
        Fixture.yaml(
            "{apiVersion: v1, kind: Secret, metadata: {name: s}, data: {a: eA==}, type: Opaque}");

    assertThat(DiffEngine.diff(desired, live, null, List.of()).inSync()).isTrue();
  }
}
