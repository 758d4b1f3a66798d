package dev.mooring.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class NormalizerTest {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static boolean same(JsonNode a, JsonNode b) {
    return Normalizer.sameScalar(a, b) && Normalizer.sameScalar(b, a);
  }

  private static boolean sameQuantity(JsonNode a, JsonNode b) {
    return Normalizer.sameQuantity(a, b) && Normalizer.sameQuantity(b, a);
  }

  @Test
  void equal_numbers_are_the_same_whatever_their_json_type() {
    assertThat(same(F.numberNode(80), F.numberNode(80L))).isTrue();
    assertThat(same(F.numberNode(1.0), F.numberNode(1))).isTrue();
  }

  @Test
  void text_is_compared_as_text() {
    assertThat(same(F.textNode("80"), F.numberNode(80))).isFalse();
    assertThat(same(F.booleanNode(true), F.textNode("true"))).isFalse();
    assertThat(same(F.textNode("1.10"), F.textNode("1.1"))).isFalse();
    assertThat(same(F.textNode("1000m"), F.textNode("1"))).isFalse();
  }

  @Test
  void quantities_spelled_differently_are_the_same_quantity() {
    assertThat(sameQuantity(F.textNode("1000m"), F.textNode("1"))).isTrue();
    assertThat(sameQuantity(F.textNode("1Gi"), F.textNode("1073741824"))).isTrue();
    assertThat(sameQuantity(F.numberNode(0.5), F.textNode("500m"))).isTrue();
    assertThat(sameQuantity(F.textNode("2"), F.numberNode(2))).isTrue();
    assertThat(sameQuantity(F.textNode("1G"), F.textNode("1Gi"))).isFalse();
  }

  @Test
  void only_fields_the_schema_types_as_quantities_are_quantities() {
    assertThat(
            QuantityFields.isQuantity(
                "Deployment",
                java.util.List.of(
                    "spec", "template", "spec", "containers", "resources", "limits", "cpu")))
        .isTrue();
    assertThat(
            QuantityFields.isQuantity(
                "PersistentVolumeClaim",
                java.util.List.of("spec", "resources", "requests", "storage")))
        .isTrue();
    assertThat(
            QuantityFields.isQuantity("ResourceQuota", java.util.List.of("spec", "hard", "pods")))
        .isTrue();
    assertThat(QuantityFields.isQuantity("ConfigMap", java.util.List.of("data", "cpu"))).isFalse();
    assertThat(
            QuantityFields.isQuantity(
                "Deployment", java.util.List.of("metadata", "labels", "limits")))
        .isFalse();
  }

  @Test
  void different_values_are_not_the_same() {
    assertThat(same(F.textNode("nginx:1.27"), F.textNode("nginx:1.28"))).isFalse();
    assertThat(same(F.textNode("1G"), F.textNode("1Gi"))).isFalse();
    assertThat(same(F.numberNode(80), F.textNode("80m"))).isFalse();
    assertThat(same(F.numberNode(80), F.textNode("http"))).isFalse();
    assertThat(same(F.booleanNode(true), F.textNode("yes"))).isFalse();
    assertThat(same(F.booleanNode(false), F.numberNode(0))).isFalse();
    assertThat(same(F.textNode("a"), F.objectNode())).isFalse();
    assertThat(same(F.textNode("a"), null)).isFalse();
  }

  @Test
  void secret_string_data_is_folded_into_base64_data() {
    ObjectNode secret =
        Fixture.yaml("{apiVersion: v1, kind: Secret, data: {a: YQ==}, stringData: {b: bee, a: x}}");

    ObjectNode folded = Normalizer.foldStringData(secret);

    assertThat(folded.has("stringData")).isFalse();
    assertThat(folded.get("data")).isEqualTo(Fixture.yaml("{a: eA==, b: YmVl}"));
    assertThat(secret.has("stringData")).as("input untouched").isTrue();
  }
}
