package dev.mooring.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed AlertProvider CRD has Flagger's fields, and the chart and RBAC know the kind. */
class AlertProviderCrdTest {
  static final Path CRD = Path.of("config/crd/alertproviders.mooring.dev-v1.yml");

  @Test
  void hasFlaggersSpecFieldsWithARequiredKnownType() throws Exception {
    JsonNode crd = new YAMLMapper().readTree(CRD.toFile());
    assertThat(crd.at("/spec/names/kind").asText()).isEqualTo("AlertProvider");
    assertThat(crd.at("/spec/group").asText()).isEqualTo("mooring.dev");
    assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
    JsonNode version = crd.at("/spec/versions/0");
    assertThat(version.get("name").asText()).isEqualTo("v1alpha1");
    JsonNode spec = version.at("/schema/openAPIV3Schema/properties/spec");
    List<String> fields = new ArrayList<>();
    spec.get("properties").fieldNames().forEachRemaining(fields::add);

    assertThat(fields)
        .containsExactlyInAnyOrder("type", "channel", "username", "address", "proxy", "secretRef");
    assertThat(spec.at("/properties/secretRef/properties/name/type").asText()).isEqualTo("string");
    assertThat(spec.get("required")).extracting(JsonNode::asText).containsExactly("type");
    assertThat(spec.at("/properties/type/pattern").asText())
        .isEqualTo("^(slack|msteams|discord|rocket|gchat|generic)$");
    assertThat(version.get("additionalPrinterColumns"))
        .extracting(c -> c.get("name").asText())
        .containsExactly("Type", "Age");
  }

  @Test
  void isInTheChartAndItsControllerMayReadIt() throws Exception {
    assertThat(Path.of("charts/mooring/crds/alertproviders.mooring.dev-v1.yml"))
        .hasSameTextualContentAs(CRD);
    for (Path rbac :
        List.of(
            Path.of("config/rbac/mooring-rbac.yaml"),
            Path.of("charts/mooring/templates/clusterrole.yaml"))) {
      assertThat(Files.readString(rbac))
          .as(rbac.toString())
          .contains(
              """
                - apiGroups: [mooring.dev]
                  resources: [alertproviders]
                  verbs: [get, list, watch]
              """);
    }
  }
}
