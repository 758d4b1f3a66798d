package dev.mooring.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the committed CRD (copied from target/kubernetes after a build) against the contract. */
class CanaryCrdTest {
  private static JsonNode version;

  @BeforeAll
  static void readCrd() throws IOException {
    JsonNode crd =
        new ObjectMapper(new YAMLFactory())
            .readTree(Path.of("config/crd/canaries.mooring.dev-v1.yml").toFile());
    assertThat(crd.at("/spec/names/kind").asText()).isEqualTo("Canary");
    assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
    version = crd.at("/spec/versions/0");
    assertThat(version.get("name").asText()).isEqualTo("v1alpha1");
  }

  @Test
  void printsStatusWeightFailedChecksAndAgeInThatOrder() {
    List<String> names = new ArrayList<>();
    version.get("additionalPrinterColumns").forEach(c -> names.add(c.get("name").asText()));

    assertThat(names).containsExactly("Status", "Weight", "Failed-Checks", "Age");
    JsonNode columns = version.get("additionalPrinterColumns");
    assertThat(columns.get(0).get("jsonPath").asText()).isEqualTo(".status.phase");
    assertThat(columns.get(1).get("type").asText()).isEqualTo("integer");
    assertThat(columns.get(2).get("jsonPath").asText()).isEqualTo(".status.failedChecks");
    assertThat(columns.get(3).get("type").asText()).isEqualTo("date");
  }

  @Test
  void analysisMetricsAcceptAThresholdRange() {
    JsonNode metric =
        version.at(
            "/schema/openAPIV3Schema/properties/spec/properties/analysis/properties/metrics/items/properties");
    assertThat(metric.at("/thresholdRange/properties/min/type").asText()).isEqualTo("number");
    assertThat(metric.at("/thresholdRange/properties/max/type").asText()).isEqualTo("number");
  }

  @Test
  void keepsTheStatusAsASubresourceSoTheControllerCanWriteIt() {
    assertThat(version.at("/subresources/status").isObject()).isTrue();
  }

  @Test
  void targetPortTakesANumberOrAName() {
    JsonNode targetPort =
        version.at(
            "/schema/openAPIV3Schema/properties/spec/properties/service/properties/targetPort");
    assertThat(targetPort.get("x-kubernetes-int-or-string").asBoolean()).isTrue();
  }
}
