package dev.mooring.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {

  @Test
  void every_secret_value_is_masked_and_keys_are_kept() {
    ObjectNode secret =
        Fixture.yaml(
            "{apiVersion: v1, kind: Secret, metadata: {name: s, annotations:"
                + " {kubectl.kubernetes.io/last-applied-configuration: '{\"data\":{\"a\":\"c2VjcmV0\"}}'}},"
                + " data: {a: c2VjcmV0, b: c2VjcmV0}, stringData: {c: plain}}");

    ObjectNode masked = SecretMasker.mask(secret);

    assertThat(masked.toString()).doesNotContain("c2VjcmV0", "plain");
    assertThat(masked.at("/data/a").asText()).isEqualTo("++++++++");
    assertThat(masked.at("/data/b").asText()).isEqualTo("++++++++");
    assertThat(masked.at("/stringData/c").asText()).isEqualTo("++++++++");
    assertThat(secret.at("/data/a").asText()).as("input untouched").isEqualTo("c2VjcmV0");
  }

  @Test
  void a_key_whose_value_differs_between_two_sides_gets_masks_of_different_length() {
    ObjectNode live = Fixture.yaml("{apiVersion: v1, kind: Secret, data: {a: b2xk, b: c2FtZQ==}}");
    ObjectNode desired =
        Fixture.yaml("{apiVersion: v1, kind: Secret, data: {a: bmV3, b: c2FtZQ==, c: YWRk}}");

    SecretMasker.MaskedPair pair = SecretMasker.maskPair(live, desired);

    assertThat(pair.left().at("/data/a").asText()).isEqualTo("++++++++");
    assertThat(pair.right().at("/data/a").asText()).isEqualTo("+++++++++");
    assertThat(pair.left().at("/data/b")).isEqualTo(pair.right().at("/data/b"));
    assertThat(pair.right().at("/data/c").asText()).isEqualTo("++++++++");
  }

  @Test
  void objects_other_than_secrets_are_left_alone() {
    ObjectNode configMap = Fixture.yaml("{apiVersion: v1, kind: ConfigMap, data: {a: visible}}");

    assertThat(SecretMasker.mask(configMap)).isEqualTo(configMap);
    assertThat(SecretMasker.mask(null)).isNull();
  }
}
