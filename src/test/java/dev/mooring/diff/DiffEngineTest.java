package dev.mooring.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiffEngineTest {

  private static final IgnoreRule IGNORE_REPLICAS =
      new IgnoreRule("apps", "Deployment", "web", "", List.of("/spec/replicas"));

  @Test
  void server_defaults_status_and_metadata_noise_do_not_count_as_a_difference() {
    ResourceDiff diff = Fixture.load("server-defaults").diff();

    assertThat(diff.inSync()).isTrue();
    assertThat(diff.unifiedDiff()).isEmpty();
    assertThat(diff.changedPaths()).isEmpty();
  }

  @Test
  void merging_an_unchanged_object_gives_live_back_so_nothing_is_written() {
    Fixture f = Fixture.load("server-defaults");

    assertThat(DiffEngine.merge(f.desired(), f.live(), f.lastApplied())).isEqualTo(f.live());
  }

  @Test
  void a_changed_image_is_out_of_sync_at_the_image_path_and_shows_in_the_diff() {
    ResourceDiff diff = Fixture.load("image-changed").diff();

    assertThat(diff.inSync()).isFalse();
    assertThat(diff.changedPaths()).containsExactly("/spec/template/spec/containers/0/image");
    assertThat(diff.unifiedDiff())
        .startsWith("--- live\n+++ desired\n@@ -")
        .contains("\n-        image: nginx:1.27\n+        image: nginx:1.28\n")
        .doesNotContain("status", "managedFields", "resourceVersion");
    assertThat(diff.predicted().at("/spec/template/spec/containers/0/imagePullPolicy").asText())
        .isEqualTo("IfNotPresent");
  }

  @Test
  void fields_removed_from_git_since_the_last_apply_are_removed_live() {
    ResourceDiff diff = Fixture.load("field-removed").diff();

    assertThat(diff.inSync()).isFalse();
    assertThat(diff.changedPaths())
        .containsExactlyInAnyOrder(
            "/metadata/labels/tier", "/spec/template/spec/containers/0/args");
    assertThat(diff.predicted().at("/metadata/labels").has("tier")).isFalse();
    assertThat(diff.predicted().at("/spec/template/spec/containers/0").has("args")).isFalse();
    assertThat(diff.unifiedDiff()).contains("-    tier: frontend\n");
  }

  @Test
  void fields_added_by_other_controllers_are_kept_and_do_not_count() {
    Fixture f = Fixture.load("added-by-controller");
    ResourceDiff diff = f.diff();

    assertThat(diff.inSync()).isTrue();
    assertThat(diff.predicted().at("/metadata/labels/team").asText()).isEqualTo("payments");
    assertThat(diff.predicted().at("/spec/template/metadata/annotations").size()).isEqualTo(1);
  }

  @Test
  void an_injected_sidecar_is_in_sync_wherever_the_injector_put_it() {
    ResourceDiff diff = Fixture.load("sidecar-injected").diff();

    assertThat(diff.inSync()).isTrue();
  }

  @Test
  void containers_reordered_in_git_are_reordered_live_and_the_sidecar_keeps_its_place() {
    Fixture f = Fixture.load("sidecar-injected");
    var containers =
        (com.fasterxml.jackson.databind.node.ArrayNode) f.desired().at("/spec/containers");
    containers.insert(0, containers.remove(1)); // Git now says [worker, api]

    ResourceDiff diff = f.diff();

    assertThat(diff.inSync()).isFalse();
    assertThat(diff.predicted().at("/spec/containers/0/name").asText()).isEqualTo("istio-proxy");
    assertThat(diff.predicted().at("/spec/containers/1/name").asText()).isEqualTo("worker");
    assertThat(diff.predicted().at("/spec/containers/2/name").asText()).isEqualTo("api");
    assertThat(diff.predicted().at("/spec/containers/2/volumeMounts").size())
        .as("api keeps what the server added to it")
        .isEqualTo(2);
  }

  @Test
  void env_variables_reordered_in_git_are_a_difference() {
    Fixture f = Fixture.load("env-by-name");
    var env =
        (com.fasterxml.jackson.databind.node.ArrayNode) f.desired().at("/spec/containers/0/env");
    env.insert(0, env.remove(1)); // DB_HOST first

    ResourceDiff diff = f.diff();

    assertThat(diff.inSync()).isFalse();
    assertThat(diff.predicted().at("/spec/containers/0/env").findValuesAsText("name"))
        .containsExactly("DB_HOST", "INJECTED_BY_WEBHOOK", "LOG_LEVEL", "POD_IP");
  }

  @Test
  void a_changed_container_is_found_by_name_not_by_position() {
    Fixture f = Fixture.load("sidecar-injected");
    ((ObjectNode) f.desired().at("/spec/containers/0")).put("image", "shop/api:2.2.0");

    ResourceDiff diff = f.diff();

    // live order is [istio-proxy, api, worker]: the change lands on api, the second.
    assertThat(diff.changedPaths()).containsExactly("/spec/containers/1/image");
  }

  @Test
  void env_entries_are_merged_by_name() {
    Fixture f = Fixture.load("env-by-name");
    assertThat(f.diff().inSync()).isTrue();

    ((ObjectNode) f.desired().at("/spec/containers/0/env/0")).put("value", "debug");
    assertThat(f.diff().changedPaths()).containsExactly("/spec/containers/0/env/0/value");
  }

  @Test
  void container_ports_are_merged_by_port_and_protocol_with_tcp_by_default() {
    assertThat(Fixture.load("ports-by-key").diff().inSync()).isTrue();
  }

  @Test
  void service_ports_with_server_added_protocol_and_target_port_are_in_sync() {
    assertThat(Fixture.load("service-ports").diff().inSync()).isTrue();
  }

  @Test
  void quantities_spelled_differently_are_in_sync() {
    assertThat(Fixture.load("quantities").diff().inSync()).isTrue();
  }

  @Test
  void numbers_and_booleans_written_as_strings_differ_locally_and_the_server_decides() {
    // the API server refuses a string for an integer field, and an int-or-string field holds
    // either: only its dry run can say what "80" means, so the local diff does not guess
    ResourceDiff diff = Fixture.load("numeric-strings").diff();

    assertThat(diff.inSync()).isFalse();
    assertThat(diff.changedPaths())
        .contains(
            "/spec/replicas",
            "/spec/template/spec/containers/0/ports/0/containerPort",
            "/spec/template/spec/containers/0/securityContext/runAsNonRoot");
  }

  @Test
  void text_that_looks_like_a_number_or_quantity_is_compared_as_text_outside_quantity_fields() {
    ObjectNode desired =
        Fixture.yaml(
            "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {version: '1.10', n: '010', cpu: '1000m'}}");
    ObjectNode live =
        Fixture.yaml(
            "{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {version: '1.1', n: '10', cpu: '1'}}");

    ResourceDiff diff = DiffEngine.diff(desired, live, null, List.of());

    assertThat(diff.inSync()).isFalse();
    assertThat(diff.changedPaths())
        .containsExactlyInAnyOrder("/data/version", "/data/n", "/data/cpu");
  }

  @Test
  void args_env_and_labels_that_look_like_quantities_are_text() {
    ObjectNode desired =
        Fixture.yaml(
            """
            {apiVersion: v1, kind: Pod, metadata: {name: p, labels: {v: '1.10'}},
             spec: {containers: [{name: a, image: x, args: ['--cpu=1', '1Gi'],
                                  env: [{name: LIMIT, value: '1Gi'}],
                                  resources: {limits: {memory: 1Gi}}}]}}""");
    ObjectNode live =
        Fixture.yaml(
            """
            {apiVersion: v1, kind: Pod, metadata: {name: p, labels: {v: '1.1'}},
             spec: {containers: [{name: a, image: x, args: ['--cpu=1', '1073741824'],
                                  env: [{name: LIMIT, value: '1073741824'}],
                                  resources: {limits: {memory: '1073741824'}}}]}}""");

    ResourceDiff diff = DiffEngine.diff(desired, live, null, List.of());

    assertThat(diff.changedPaths())
        .containsExactlyInAnyOrder(
            "/metadata/labels/v", "/spec/containers/0/args/1", "/spec/containers/0/env/0/value");
  }

  @Test
  void an_ignored_pointer_does_not_count_and_keeps_the_live_value() {
    ResourceDiff diff = Fixture.load("ignore-replicas").diff(List.of(IGNORE_REPLICAS));

    assertThat(diff.inSync()).isTrue();
    assertThat(diff.predicted().at("/spec/replicas").asInt()).isEqualTo(7);
  }

  @Test
  void an_ignore_rule_for_another_object_does_not_ignore() {
    IgnoreRule other =
        new IgnoreRule("apps", "Deployment", "other", null, List.of("/spec/replicas"));

    ResourceDiff diff = Fixture.load("ignore-replicas").diff(List.of(other));

    assertThat(diff.inSync()).isFalse();
    assertThat(diff.changedPaths()).containsExactly("/spec/replicas");
  }

  @Test
  void secret_values_never_appear_in_the_diff_but_changed_keys_do() {
    ResourceDiff diff = Fixture.load("secret-masked").diff();

    assertThat(diff.inSync()).isFalse();
    assertThat(diff.changedPaths()).containsExactly("/data/password");
    assertThat(diff.unifiedDiff())
        .contains("-  password: ++++++++\n+  password: +++++++++\n")
        .contains("  token: ++++++++\n", "  username: ++++++++\n")
        .doesNotContain("bmV3LXMzY3JldC1wdw==", "b2xkLXMzY3JldC1wdw==", "YWRtaW4=")
        .doesNotContain("dG9rLTlmOGU3ZA==", "tok-9f8e7d", "new-s3cret", "old-s3cret");
  }

  @Test
  void a_missing_live_object_is_out_of_sync_and_predicted_is_desired_without_status() {
    Fixture f = Fixture.load("live-missing");
    ResourceDiff diff = f.diff();

    ObjectNode expected = f.desired().deepCopy();
    expected.remove("status");
    assertThat(diff.inSync()).isFalse();
    assertThat(diff.predicted()).isEqualTo(expected);
    assertThat(diff.unifiedDiff()).contains("+  LOG_LEVEL: info\n").doesNotContain("status");
  }

  @Test
  void empty_maps_and_lists_in_git_equal_absent_fields_live() {
    assertThat(Fixture.load("empty-map").diff().inSync()).isTrue();
  }
}
