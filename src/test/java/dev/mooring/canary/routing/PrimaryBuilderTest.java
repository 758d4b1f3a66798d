package dev.mooring.canary.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrimaryBuilderTest {
  private final ObjectNode target = Fixtures.deployment();
  private final Map<String, ObjectNode> configs = Fixtures.configsByKindName();

  @Test
  void primaryDeploymentIsNamedAfterTheTargetAndSelectsPrimaryPods() {
    ObjectNode primary = PrimaryBuilder.primaryDeployment(target, Fixtures.flaggerCanary());

    assertThat(primary.at("/metadata/name").asText()).isEqualTo("podinfo-primary");
    assertThat(primary.at("/metadata/namespace").asText()).isEqualTo("test");
    assertThat(primary.at("/metadata/labels/app").asText()).isEqualTo("podinfo-primary");
    assertThat(primary.at("/spec/selector/matchLabels").toString())
        .isEqualTo("{\"app\":\"podinfo-primary\"}");
    assertThat(primary.at("/spec/template/metadata/labels/app").asText())
        .isEqualTo("podinfo-primary");
    assertThat(primary.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(primary.at("/spec/minReadySeconds").asInt()).isEqualTo(3);
    assertThat(primary.at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("ghcr.io/stefanprodan/podinfo:6.0.0");
  }

  @Test
  void primaryDeploymentReadsThePrimaryCopiesOfEveryConfigMapAndSecret() {
    ObjectNode primary = PrimaryBuilder.primaryDeployment(target, Fixtures.flaggerCanary());

    assertThat(PrimaryBuilder.referencedConfigs((ObjectNode) primary.at("/spec/template")))
        .containsExactly(
            "ConfigMap/podinfo-ca-primary",
            "ConfigMap/podinfo-env-primary",
            "Secret/podinfo-tls-primary",
            "Secret/podinfo-token-primary");
    assertThat(target.at("/spec/template/spec/volumes/0/secret/secretName").asText())
        .as("the target is not modified")
        .isEqualTo("podinfo-tls");
  }

  @Test
  void primaryDeploymentIsOwnedByTheCanaryAndNotByTheGitOpsCore() {
    ObjectNode primary = PrimaryBuilder.primaryDeployment(target, Fixtures.flaggerCanary());

    assertThat(primary.at("/metadata/labels/app.kubernetes.io~1managed-by").asText())
        .isEqualTo("mooring-canary");
    assertThat(primary.at("/metadata/labels").has("mooring.dev/app")).isFalse();
    assertThat(primary.at("/metadata/annotations").has("mooring.dev/tracking-id")).isFalse();
    assertThat(primary.at("/metadata/annotations/team").asText()).isEqualTo("web");
    ObjectNode owner = (ObjectNode) primary.at("/metadata/ownerReferences/0");
    assertThat(owner.path("apiVersion").asText()).isEqualTo("mooring.dev/v1alpha1");
    assertThat(owner.path("kind").asText()).isEqualTo("Canary");
    assertThat(owner.path("name").asText()).isEqualTo("podinfo");
    assertThat(owner.path("uid").asText()).isEqualTo(Fixtures.CANARY_UID);
    assertThat(owner.path("controller").asBoolean()).isTrue();
  }

  @Test
  void referencedConfigsCoverEnvValueFromEnvFromVolumesAndProjectedSources() {
    assertThat(PrimaryBuilder.referencedConfigs((ObjectNode) target.at("/spec/template")))
        .containsExactly(
            "ConfigMap/podinfo-ca",
            "ConfigMap/podinfo-env",
            "Secret/podinfo-tls",
            "Secret/podinfo-token");
  }

  @Test
  void configCopiesArePrimarySuffixedAndSkipUnreferencedOrMissingOnes() {
    List<ObjectNode> copies =
        PrimaryBuilder.primaryConfigs(target, configs, Fixtures.flaggerCanary());

    assertThat(copies)
        .extracting(c -> c.path("kind").asText() + "/" + c.at("/metadata/name").asText())
        .containsExactly("ConfigMap/podinfo-env-primary", "Secret/podinfo-tls-primary");
    ObjectNode env = copies.get(0);
    assertThat(env.at("/data/PODINFO_UI_COLOR").asText()).isEqualTo("#34577c");
    assertThat(env.at("/metadata/labels/app.kubernetes.io~1managed-by").asText())
        .isEqualTo("mooring-canary");
    assertThat(env.at("/metadata/annotations").has("mooring.dev/tracking-id")).isFalse();
    assertThat(env.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo(Fixtures.CANARY_UID);
    ObjectNode tls = copies.get(1);
    assertThat(tls.path("type").asText()).isEqualTo("kubernetes.io/tls");
    assertThat(tls.at("/data/tls.key").asText()).isEqualTo("a2V5");
  }

  @Test
  void targetWithoutAnAppOrNameSelectorLabelIsRejected() {
    ObjectNode odd = target.deepCopy();
    ((ObjectNode) odd.at("/spec/selector")).putObject("matchLabels").put("tier", "web");

    assertThatThrownBy(() -> PrimaryBuilder.primaryDeployment(odd, "podinfo"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("app");
  }
}
