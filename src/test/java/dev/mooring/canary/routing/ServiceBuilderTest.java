package dev.mooring.canary.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.model.Canary;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceBuilderTest {
  private final ObjectNode target = Fixtures.deployment();

  @Test
  void apexAndPrimarySelectPrimaryPodsAndCanarySelectsTargetPods() {
    List<ObjectNode> services = ServiceBuilder.services(Fixtures.flaggerCanary(), target);

    assertThat(services)
        .extracting(s -> s.at("/metadata/name").asText())
        .containsExactly("podinfo", "podinfo-primary", "podinfo-canary");
    assertThat(services)
        .extracting(s -> s.at("/spec/selector").toString())
        .containsExactly(
            "{\"app\":\"podinfo-primary\"}",
            "{\"app\":\"podinfo-primary\"}",
            "{\"app\":\"podinfo\"}");
  }

  @Test
  void portsTakeThePortTheTargetPortAndTheDefaultNameHttp() {
    ObjectNode port =
        (ObjectNode)
            ServiceBuilder.services(Fixtures.flaggerCanary(), target).get(0).at("/spec/ports/0");

    assertThat(port.path("name").asText()).isEqualTo("http");
    assertThat(port.path("port").asInt()).isEqualTo(80);
    assertThat(port.path("targetPort").asInt()).isEqualTo(9898);
    assertThat(port.path("protocol").asText()).isEqualTo("TCP");
  }

  @Test
  void namedTargetPortPortNameAndServiceNameAreHonoured() {
    Canary canary = Fixtures.flaggerCanary();
    canary.getSpec().service.name = "web";
    canary.getSpec().service.portName = "http-web";
    canary.getSpec().service.targetPort = new IntOrString("http");

    List<ObjectNode> services = ServiceBuilder.services(canary, target);

    assertThat(services)
        .extracting(s -> s.at("/metadata/name").asText())
        .containsExactly("web", "web-primary", "web-canary");
    assertThat(services.get(2).at("/spec/ports/0/name").asText()).isEqualTo("http-web");
    assertThat(services.get(2).at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
  }

  @Test
  void targetPortDefaultsToThePort() {
    Canary canary = Fixtures.flaggerCanary();
    canary.getSpec().service.targetPort = null;

    assertThat(
            ServiceBuilder.services(canary, target).get(1).at("/spec/ports/0/targetPort").asInt())
        .isEqualTo(80);
  }

  @Test
  void portDiscoveryAddsTheOtherContainerPorts() {
    Canary canary = Fixtures.flaggerCanary();
    canary.getSpec().service.portDiscovery = true;

    ObjectNode service = ServiceBuilder.services(canary, target).get(0);

    assertThat(service.at("/spec/ports").size()).isEqualTo(2);
    assertThat(service.at("/spec/ports/1/name").asText()).isEqualTo("grpc");
    assertThat(service.at("/spec/ports/1/port").asInt()).isEqualTo(9999);
  }

  @Test
  void everyServiceIsOwnedByTheCanary() {
    for (ObjectNode service : ServiceBuilder.services(Fixtures.flaggerCanary(), target)) {
      assertThat(service.at("/metadata/labels/app.kubernetes.io~1managed-by").asText())
          .isEqualTo("mooring-canary");
      assertThat(service.at("/metadata/ownerReferences/0/uid").asText())
          .isEqualTo(Fixtures.CANARY_UID);
      assertThat(service.at("/metadata/namespace").asText()).isEqualTo("test");
    }
  }

  @Test
  void canaryWithoutServicePortIsRejected() {
    Canary canary = Fixtures.flaggerCanary();
    canary.getSpec().service.port = null;

    assertThatThrownBy(() -> ServiceBuilder.services(canary, target))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spec.service.port");
  }
}
