package dev.mooring.canary.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.model.Canary;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoutersTest {
  private final ObjectNode ingress = Fixtures.object("canary/routing/podinfo-ingress.yaml");
  private final Canary gatewayCanary = Fixtures.canary("canary/routing/podinfo-gatewayapi.yaml");

  @Test
  void providersMapToTheirRouters() {
    assertThat(Routers.forProvider(null)).isInstanceOf(KubernetesRouter.class);
    assertThat(Routers.forProvider("kubernetes")).isInstanceOf(KubernetesRouter.class);
    assertThat(Routers.forProvider("nginx")).isInstanceOf(NginxRouter.class);
    assertThat(Routers.forProvider("gatewayapi")).isInstanceOf(GatewayApiRouter.class);
    assertThat(Routers.forProvider("gatewayapi:v1")).isInstanceOf(GatewayApiRouter.class);
    assertThat(Routers.forProvider("istio")).isInstanceOf(IstioRouter.class);
  }

  @Test
  void unknownProviderIsAnErrorNamingTheSupportedOnes() {
    assertThatThrownBy(() -> Routers.forProvider("linkerd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("linkerd")
        .hasMessageContaining("istio")
        .hasMessageContaining("kubernetes")
        .hasMessageContaining("nginx")
        .hasMessageContaining("gatewayapi");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 5, 50, 100})
  void nginxCanaryIngressCarriesTheCanaryWeight(int weight) {
    ObjectNode canaryIngress =
        new NginxRouter().desired(Fixtures.flaggerCanary(), ingress, 100 - weight, weight).get(0);

    assertThat(canaryIngress.at("/metadata/name").asText()).isEqualTo("podinfo-canary");
    ObjectNode annotations = (ObjectNode) canaryIngress.at("/metadata/annotations");
    assertThat(annotations.path("nginx.ingress.kubernetes.io/canary").asText()).isEqualTo("true");
    assertThat(annotations.path("nginx.ingress.kubernetes.io/canary-weight").asText())
        .isEqualTo(String.valueOf(weight));
  }

  @Test
  void nginxCanaryIngressSendsTheApexBackendToTheCanaryServiceOnly() {
    ObjectNode canaryIngress =
        new NginxRouter().desired(Fixtures.flaggerCanary(), ingress, 90, 10).get(0);

    assertThat(canaryIngress.at("/spec/rules/0/http/paths/0/backend/service/name").asText())
        .isEqualTo("podinfo-canary");
    assertThat(canaryIngress.at("/spec/rules/0/http/paths/1/backend/service/name").asText())
        .isEqualTo("other");
    assertThat(canaryIngress.at("/spec/rules/0/host").asText()).isEqualTo("app.example.com");
    assertThat(ingress.at("/spec/rules/0/http/paths/0/backend/service/name").asText())
        .as("the user's Ingress is not modified")
        .isEqualTo("podinfo");
  }

  @Test
  void nginxCanaryIngressDropsOtherCanaryRulesAndGitOpsMarks() {
    ObjectNode canaryIngress =
        new NginxRouter().desired(Fixtures.flaggerCanary(), ingress, 90, 10).get(0);

    ObjectNode annotations = (ObjectNode) canaryIngress.at("/metadata/annotations");
    assertThat(annotations.has("nginx.ingress.kubernetes.io/canary-by-header")).isFalse();
    assertThat(annotations.has("mooring.dev/tracking-id")).isFalse();
    assertThat(annotations.path("kubernetes.io/ingress.class").asText()).isEqualTo("nginx");
    assertThat(canaryIngress.at("/metadata/labels").has("mooring.dev/app")).isFalse();
    assertThat(canaryIngress.at("/metadata/labels/app.kubernetes.io~1managed-by").asText())
        .isEqualTo("mooring-canary");
    assertThat(canaryIngress.at("/metadata/ownerReferences/0/kind").asText()).isEqualTo("Canary");
  }

  @Test
  void nginxRejectsWeightsOutsideZeroToHundredAndAMissingIngress() {
    NginxRouter router = new NginxRouter();
    Canary canary = Fixtures.flaggerCanary();

    assertThatThrownBy(() -> router.desired(canary, ingress, -1, 101))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> router.desired(canary, ingress, 50, 40))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> router.desired(canary, null, 100, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ingressRef");
  }

  @Test
  void nginxRejectsAnIngressWithoutABackendOnTheApexService() {
    Canary canary = Fixtures.flaggerCanary();
    canary.getSpec().service.name = "elsewhere";

    assertThatThrownBy(() -> new NginxRouter().desired(canary, ingress, 100, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("elsewhere");
  }

  @Test
  void httpRouteIsNamedAfterTheApexAndSplitsBetweenPrimaryAndCanary() {
    List<ObjectNode> objects =
        Routers.forProvider("gatewayapi:v1").desired(gatewayCanary, null, 70, 30);

    ObjectNode route = objects.get(0);
    assertThat(route.path("apiVersion").asText()).isEqualTo("gateway.networking.k8s.io/v1");
    assertThat(route.path("kind").asText()).isEqualTo("HTTPRoute");
    assertThat(route.at("/metadata/name").asText()).isEqualTo("web");
    assertThat(route.at("/spec/rules/0/backendRefs"))
        .extracting(
            b ->
                b.path("name").asText()
                    + ":"
                    + b.path("port").asInt()
                    + "@"
                    + b.path("weight").asInt())
        .containsExactly("web-primary:9898@70", "web-canary:9898@30");
    assertThat(route.at("/spec/rules/0/timeouts/request").asText()).isEqualTo("30s");
    assertThat(route.at("/metadata/ownerReferences/0/name").asText()).isEqualTo("podinfo");
  }

  @Test
  void httpRouteAttachesToTheGatewayRefsAndServesTheHosts() {
    ObjectNode route = new GatewayApiRouter().desired(gatewayCanary, null, 100, 0).get(0);

    assertThat(route.at("/spec/parentRefs").toString())
        .isEqualTo(
            "[{\"namespace\":\"istio-ingress\",\"name\":\"public\",\"sectionName\":\"https\"}]");
    assertThat(route.at("/spec/hostnames/0").asText()).isEqualTo("www.example.com");
  }

  @Test
  void kubernetesApexSelectsThePrimaryUntilAllTrafficGoesToTheCanary() {
    Router router = Routers.forProvider("kubernetes");
    Canary canary = Fixtures.flaggerCanary();
    ObjectNode target = Fixtures.deployment();

    ObjectNode onPrimary = router.desired(canary, target, 100, 0).get(0);
    ObjectNode onCanary = router.desired(canary, target, 0, 100).get(0);

    assertThat(onPrimary.at("/metadata/name").asText()).isEqualTo("podinfo");
    assertThat(onPrimary.at("/spec/selector/app").asText()).isEqualTo("podinfo-primary");
    assertThat(onCanary.at("/spec/selector/app").asText()).isEqualTo("podinfo");
    assertThat(router.desired(canary, null, 100, 0).get(0).at("/spec/selector/app").asText())
        .as("without the target, Flagger's app: <targetRef.name> convention")
        .isEqualTo("podinfo-primary");
  }
}
