package dev.mooring.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class IgnoreRuleTest {

  private static final ObjectNode DEPLOYMENT =
      Fixture.yaml(
          "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop}}");
  private static final ObjectNode CONFIG_MAP =
      Fixture.yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: web, namespace: shop}}");

  private static IgnoreRule rule(String group, String kind, String name, String namespace) {
    return new IgnoreRule(group, kind, name, namespace, List.of("/spec/replicas"));
  }

  @Test
  void empty_group_name_and_namespace_match_any() {
    assertThat(rule("", "Deployment", null, "").matches(DEPLOYMENT)).isTrue();
    assertThat(rule(null, "ConfigMap", "", null).matches(CONFIG_MAP)).isTrue();
  }

  @Test
  void every_given_field_must_match() {
    assertThat(rule("apps", "Deployment", "web", "shop").matches(DEPLOYMENT)).isTrue();
    assertThat(rule("batch", "Deployment", "web", "shop").matches(DEPLOYMENT)).isFalse();
    assertThat(rule("apps", "StatefulSet", "web", "shop").matches(DEPLOYMENT)).isFalse();
    assertThat(rule("apps", "Deployment", "api", "shop").matches(DEPLOYMENT)).isFalse();
    assertThat(rule("apps", "Deployment", "web", "prod").matches(DEPLOYMENT)).isFalse();
    assertThat(rule("apps", "Deployment", "web", "shop").matches(CONFIG_MAP)).isFalse();
  }

  @Test
  void a_rule_without_kind_matches_nothing() {
    assertThat(rule("apps", "", null, null).matches(DEPLOYMENT)).isFalse();
    assertThat(rule("apps", null, null, null).matches(DEPLOYMENT)).isFalse();
  }

  @Test
  void an_ignored_field_missing_live_is_dropped_from_predicted_with_its_empty_parents() {
    ObjectNode desired =
        Fixture.yaml(
            "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, annotations: {x: '1'}}, data: {a: b}}");
    ObjectNode live =
        Fixture.yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: b}}");
    IgnoreRule rule =
        new IgnoreRule(null, "ConfigMap", null, null, List.of("/metadata/annotations/x"));

    ResourceDiff diff = DiffEngine.diff(desired, live, null, List.of(rule));

    assertThat(diff.inSync()).isTrue();
    assertThat(diff.predicted()).isEqualTo(live);
  }
}
