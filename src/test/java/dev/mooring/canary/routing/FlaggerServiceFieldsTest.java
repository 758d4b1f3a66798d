package dev.mooring.canary.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Flagger's newer {@code spec.service} fields on the objects Mooring generates: trafficDistribution
 * and headless on the Services, backendTimeout on the HTTPRoute, unmanagedMetadata on all of them.
 */
class FlaggerServiceFieldsTest {
  private final ObjectNode target = Fixtures.deployment();
  private final ObjectNode ingress = Fixtures.object("canary/routing/podinfo-ingress.yaml");

  @Test
  void trafficDistributionIsCopiedToTheThreeServices() {
    Canary canary = Fixtures.flaggerCanary();
    canary.getSpec().service.trafficDistribution = "PreferClose";

    assertThat(ServiceBuilder.services(canary, target))
        .extracting(s -> s.at("/spec/trafficDistribution").asText())
        .containsExactly("PreferClose", "PreferClose", "PreferClose");
    assertThat(
            new KubernetesRouter()
                .desired(canary, target, 100, 0)
                .get(0)
                .at("/spec/trafficDistribution")
                .asText())
        .isEqualTo("PreferClose");
  }

  @Test
  void withoutTrafficDistributionTheServicesHaveNone() {
    assertThat(ServiceBuilder.services(Fixtures.flaggerCanary(), target))
        .allSatisfy(s -> assertThat(s.path("spec").has("trafficDistribution")).isFalse());
  }

  @Test
  void headlessServicesHaveNoClusterIp() {
    Canary canary = Fixtures.flaggerCanary();
    canary.getSpec().service.headless = true;

    assertThat(ServiceBuilder.services(canary, target))
        .allSatisfy(
            s -> {
              assertThat(s.at("/spec/type").asText()).isEqualTo("ClusterIP");
              assertThat(s.at("/spec/clusterIP").asText()).isEqualTo("None");
            });
  }

  @Test
  void servicesAreNotHeadlessByDefaultNorWhenHeadlessIsFalse() {
    Canary canary = Fixtures.flaggerCanary();
    assertThat(ServiceBuilder.services(canary, target))
        .allSatisfy(s -> assertThat(s.path("spec").has("clusterIP")).isFalse());
    canary.getSpec().service.headless = false;
    assertThat(ServiceBuilder.services(canary, target))
        .allSatisfy(s -> assertThat(s.path("spec").has("clusterIP")).isFalse());
  }

  @Test
  void httpRouteCarriesTheRequestAndTheBackendRequestTimeouts() {
    Canary canary = Fixtures.canary("canary/routing/podinfo-gatewayapi.yaml");
    canary.getSpec().service.timeout = "30s";
    canary.getSpec().service.backendTimeout = "5s";

    ObjectNode rule = new GatewayApiRouter().desired(canary, null, 90, 10).get(0);

    assertThat(rule.at("/spec/rules/0/timeouts").toString())
        .isEqualTo("{\"request\":\"30s\",\"backendRequest\":\"5s\"}");
  }

  @Test
  void aBackendTimeoutAloneIsTheOnlyTimeoutOfTheRule() {
    Canary canary = Fixtures.canary("canary/routing/podinfo-gatewayapi.yaml");
    canary.getSpec().service.timeout = null;
    canary.getSpec().service.backendTimeout = "2s";

    ObjectNode route = new GatewayApiRouter().desired(canary, null, 100, 0).get(0);

    assertThat(route.at("/spec/rules/0/timeouts").toString())
        .isEqualTo("{\"backendRequest\":\"2s\"}");
  }

  @Test
  void withoutTimeoutsTheRuleHasNone() {
    Canary canary = Fixtures.canary("canary/routing/podinfo-gatewayapi.yaml");
    canary.getSpec().service.timeout = null;
    canary.getSpec().service.backendTimeout = null;

    ObjectNode route = new GatewayApiRouter().desired(canary, null, 100, 0).get(0);

    assertThat(route.at("/spec/rules/0").has("timeouts")).isFalse();
  }

  @Test
  void unmanagedKeysAreNeverWrittenOnTheServices() {
    Canary canary = Fixtures.flaggerCanary();
    CanaryService svc = canary.getSpec().service;
    svc.apex = metadata(Map.of("team", "web"), Map.of("external-dns/hostname", "a.example.com"));
    svc.canary = metadata(Map.of("team", "web"), Map.of("owned-by-mesh", "x", "keep", "y"));
    svc.unmanagedMetadata = unmanaged(List.of("team"), List.of("owned-by-mesh"));

    List<ObjectNode> services = ServiceBuilder.services(canary, target);

    assertThat(services)
        .allSatisfy(s -> assertThat(s.at("/metadata/labels").has("team")).isFalse());
    assertThat(services.get(0).at("/metadata/annotations/external-dns~1hostname").asText())
        .isEqualTo("a.example.com");
    assertThat(services.get(2).at("/metadata/annotations").has("owned-by-mesh")).isFalse();
    assertThat(services.get(2).at("/metadata/annotations/keep").asText()).isEqualTo("y");
  }

  @Test
  void mooringsOwnMarkStaysEvenWhenNamedUnmanaged() {
    Canary canary = Fixtures.flaggerCanary();
    canary.getSpec().service.unmanagedMetadata =
        unmanaged(List.of(Ownership.MANAGED_BY, "app"), null);

    ObjectNode apex = ServiceBuilder.services(canary, target).get(0);

    assertThat(apex.at("/metadata/labels/app.kubernetes.io~1managed-by").asText())
        .isEqualTo(Ownership.MANAGED_BY_VALUE);
    assertThat(apex.at("/metadata/labels").has("app")).isFalse();
    assertThat(apex.at("/spec/selector/app").asText())
        .as("only metadata is left to others, never the selector")
        .isEqualTo("podinfo-primary");
  }

  @Test
  void unmanagedKeysAreNeverWrittenOnTheHttpRouteNorTheCanaryIngress() {
    Canary gateway = Fixtures.canary("canary/routing/podinfo-gatewayapi.yaml");
    gateway.getSpec().service.apex = metadata(null, Map.of("sync-to", "east", "dns", "x"));
    gateway.getSpec().service.unmanagedMetadata = unmanaged(null, List.of("sync-to"));
    ObjectNode route = new GatewayApiRouter().desired(gateway, null, 100, 0).get(0);
    assertThat(route.at("/metadata/annotations").has("sync-to")).isFalse();
    assertThat(route.at("/metadata/annotations/dns").asText()).isEqualTo("x");

    Canary nginx = Fixtures.flaggerCanary();
    nginx.getSpec().service.unmanagedMetadata =
        unmanaged(null, List.of("kubernetes.io/ingress.class"));
    ObjectNode canaryIngress = new NginxRouter().desired(nginx, ingress, 90, 10).get(0);
    assertThat(canaryIngress.at("/metadata/annotations").has("kubernetes.io/ingress.class"))
        .isFalse();
    assertThat(
            canaryIngress
                .at("/metadata/annotations/nginx.ingress.kubernetes.io~1canary-weight")
                .asText())
        .isEqualTo("10");
  }

  private static CanaryService.CustomMetadata metadata(
      Map<String, String> labels, Map<String, String> annotations) {
    CanaryService.CustomMetadata m = new CanaryService.CustomMetadata();
    m.labels = labels;
    m.annotations = annotations;
    return m;
  }

  private static CanaryService.UnmanagedMetadata unmanaged(
      List<String> labels, List<String> annotations) {
    CanaryService.UnmanagedMetadata m = new CanaryService.UnmanagedMetadata();
    m.labels = labels;
    m.annotations = annotations;
    return m;
  }
}
