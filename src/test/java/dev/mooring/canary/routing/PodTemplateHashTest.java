package dev.mooring.canary.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import org.junit.jupiter.api.Test;

class PodTemplateHashTest {
  private final ObjectNode target = Fixtures.deployment();
  private final Collection<ObjectNode> configs = Fixtures.configsByKindName().values();
  private final String before = PrimaryBuilder.podTemplateHash(target, configs);

  @Test
  void sameInputsGiveTheSameHash() {
    assertThat(PrimaryBuilder.podTemplateHash(Fixtures.deployment(), configs)).isEqualTo(before);
    assertThat(before).hasSize(16).matches("[0-9a-f]+");
  }

  @Test
  void newImageChangesTheHash() {
    ((ObjectNode) target.at("/spec/template/spec/containers/0"))
        .put("image", "ghcr.io/stefanprodan/podinfo:6.0.1");

    assertThat(PrimaryBuilder.podTemplateHash(target, configs)).isNotEqualTo(before);
  }

  @Test
  void changedDataOfAReferencedConfigMapChangesTheHash() {
    var changed = Fixtures.configsByKindName();
    ((ObjectNode) changed.get("ConfigMap/podinfo-env").path("data"))
        .put("PODINFO_UI_COLOR", "#ff0000");

    assertThat(PrimaryBuilder.podTemplateHash(target, changed.values())).isNotEqualTo(before);
  }

  @Test
  void changedDataOfAnUnreferencedConfigMapDoesNotChangeTheHash() {
    var changed = Fixtures.configsByKindName();
    ((ObjectNode) changed.get("ConfigMap/unrelated").path("data")).put("x", "2");

    assertThat(PrimaryBuilder.podTemplateHash(target, changed.values())).isEqualTo(before);
  }

  @Test
  void replicasAndDeploymentAnnotationsDoNotChangeTheHash() {
    ((ObjectNode) target.path("spec")).put("replicas", 7);
    ((ObjectNode) target.at("/metadata/annotations")).put("note", "scaled by hand");
    ((ObjectNode) target.at("/metadata/labels")).put("extra", "label");

    assertThat(PrimaryBuilder.podTemplateHash(target, configs)).isEqualTo(before);
  }

  @Test
  void anAnnotationOnThePodTemplateChangesTheHashAsFlaggersRetryTrickExpects() {
    ((ObjectNode) target.at("/spec/template/metadata"))
        .putObject("annotations")
        .put("timestamp", "2020-03-10T14:24:48+0000");

    assertThat(PrimaryBuilder.podTemplateHash(target, configs)).isNotEqualTo(before);
  }

  @Test
  void fieldOrderDoesNotChangeTheHash() {
    ObjectNode container = (ObjectNode) target.at("/spec/template/spec/containers/0");
    ObjectNode reordered = container.objectNode();
    var names = new java.util.ArrayList<String>();
    container.fieldNames().forEachRemaining(names::add);
    java.util.Collections.reverse(names);
    names.forEach(n -> reordered.set(n, container.get(n)));
    ((com.fasterxml.jackson.databind.node.ArrayNode) target.at("/spec/template/spec/containers"))
        .set(0, reordered);

    assertThat(PrimaryBuilder.podTemplateHash(target, configs)).isEqualTo(before);
  }
}
