package dev.mooring.rollout;

import static dev.mooring.rollout.CanaryFixture.image;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.testing.DeploymentSimulator;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Canaries with provider istio on the real API server (Istio's CRDs installed by {@link IstioCrds},
 * workloads made ready by {@link DeploymentSimulator}): the VirtualService weights and the
 * DestinationRules through a weighted analysis, and A/B testing by header, as Flagger's Istio e2e
 * tests ({@code test/istio/}) watch them.
 */
@QuarkusTest
@WithRealKubernetes
class IstioFlowsTest {
  private static final Duration LONG = Duration.ofSeconds(90);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Inject KubernetesClient client;

  @Test
  void weightedAnalysisShiftsTheVirtualServiceWeightsThenPromotes() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "istio-flow-weighted");
    IstioCrds.install(client);
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("web", "web:1", 1);
      fx.canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata:
            name: web
          spec:
            provider: istio
            targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
            service:
              port: 8080
              hosts: [web.example.com]
              gateways: [istio-system/public-gateway]
              trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
            analysis:
              interval: 1s
              threshold: 2
              stepWeight: 50
              maxWeight: 50
          """);
      fx.awaitPhase("web", "Initialized", LONG);
      assertThat(weights(fx, "web", 0)).isEqualTo(Map.of("web-primary", 100L, "web-canary", 0L));
      JsonNode vs = istio(fx, "VirtualService", "web");
      assertThat(vs.at("/spec/hosts")).isEqualTo(MAPPER.readTree("[\"web.example.com\",\"web\"]"));
      assertThat(vs.at("/spec/gateways"))
          .isEqualTo(MAPPER.readTree("[\"istio-system/public-gateway\"]"));
      for (String host : new String[] {"web-primary", "web-canary"}) {
        JsonNode rule = istio(fx, "DestinationRule", host);
        assertThat(rule.at("/spec/host").asText()).isEqualTo(host);
        assertThat(rule.at("/spec/trafficPolicy/tls/mode").asText()).isEqualTo("ISTIO_MUTUAL");
        assertThat(rule.at("/metadata/ownerReferences/0/kind").asText()).isEqualTo("Canary");
        assertThat(rule.at("/metadata/ownerReferences/0/name").asText()).isEqualTo("web");
      }

      try (var seen = new CanaryFixture.Recorder<>(() -> weights(fx, "web", 0).get("web-canary"))) {
        fx.setImage("web", "web:2");
        fx.awaitPhase("web", "Succeeded", LONG);
        assertThat(seen.seen()).containsSubsequence(0L, 50L, 0L);
      }
      assertThat(image(fx.deploymentNamed("web-primary"))).isEqualTo("web:2");
      assertThat(weights(fx, "web", 0)).isEqualTo(Map.of("web-primary", 100L, "web-canary", 0L));
    }
  }

  @Test
  void abTestingSendsTheMatchedRequestsToTheCanaryAndTheRestToThePrimary() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "istio-flow-ab");
    IstioCrds.install(client);
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("api", "api:1", 1);
      fx.canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata:
            name: api
          spec:
            provider: istio
            targetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
            service:
              port: 80
              match: [{uri: {prefix: /}}]
            analysis:
              interval: 1s
              threshold: 2
              iterations: 2
              match:
                - headers: {x-canary: {exact: insider}}
          """);
      fx.awaitPhase("api", "Initialized", LONG);
      JsonNode http = istio(fx, "VirtualService", "api").at("/spec/http");
      assertThat(http.at("/0/match"))
          .isEqualTo(
              MAPPER.readTree(
                  "[{\"uri\":{\"prefix\":\"/\"},\"headers\":{\"x-canary\":{\"exact\":\"insider\"}}}]"));
      assertThat(http.at("/1/match")).isEqualTo(MAPPER.readTree("[{\"uri\":{\"prefix\":\"/\"}}]"));
      assertThat(http.at("/1/route"))
          .isEqualTo(
              MAPPER.readTree("[{\"destination\":{\"host\":\"api-primary\"},\"weight\":100}]"));

      try (var seen = new CanaryFixture.Recorder<>(() -> weights(fx, "api", 0).get("api-canary"))) {
        fx.setImage("api", "api:2");
        fx.awaitPhase("api", "Succeeded", LONG);
        assertThat(seen.seen()).containsSubsequence(0L, 100L, 0L);
      }
      assertThat(image(fx.deploymentNamed("api-primary"))).isEqualTo("api:2");
      assertThat(weights(fx, "api", 1)).isEqualTo(Map.of("api-primary", 100L));
    }
  }

  @Test
  void sessionAffinityKeepsTheCookieUsersOnTheCanaryThenExpiresTheCookie() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "istio-flow-sticky");
    IstioCrds.install(client);
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("shop", "shop:1", 1);
      fx.canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata:
            name: shop
          spec:
            provider: istio
            targetRef: {apiVersion: apps/v1, kind: Deployment, name: shop}
            service: {port: 80}
            analysis:
              interval: 1s
              threshold: 2
              stepWeight: 50
              maxWeight: 50
              sessionAffinity: {cookieName: flagger-cookie, maxAge: 60}
          """);
      fx.awaitPhase("shop", "Initialized", LONG);
      assertThat(istio(fx, "VirtualService", "shop").at("/spec/http/0/name").asText())
          .isEqualTo("sticky-route");

      try (var seen =
          new CanaryFixture.Recorder<>(
              () ->
                  istio(fx, "VirtualService", "shop").at("/spec/http/0/match/0/headers/Cookie"))) {
        fx.setImage("shop", "shop:2");
        fx.awaitPhase("shop", "Succeeded", LONG);
        String cookie = fx.get("shop").getStatus().previousSessionAffinityCookie;
        assertThat(cookie).startsWith("flagger-cookie=");
        String[] nameValue = cookie.split("=", 2);
        assertThat(seen.seen())
            .as("the sticky route matched the cookie of the run")
            .contains(
                MAPPER.readTree("{\"regex\":\".*" + nameValue[0] + ".*" + nameValue[1] + ".*\"}"));
        JsonNode http = istio(fx, "VirtualService", "shop").at("/spec/http");
        assertThat(http.at("/0/headers/response/add/Set-Cookie").asText())
            .as("after the promotion the cookie is expired for the users still carrying it")
            .isEqualTo(cookie + "; Max-Age=-1");
        assertThat(http.at("/1/route/1/headers").isMissingNode()).isTrue();
      }
      assertThat(fx.get("shop").getStatus().sessionAffinityCookie).isNull();
    }
  }

  private JsonNode istio(CanaryFixture fx, String kind, String name) {
    return MAPPER.valueToTree(
        client
            .genericKubernetesResources("networking.istio.io/v1beta1", kind)
            .inNamespace(fx.ns)
            .withName(name)
            .get());
  }

  /** The destinations of HTTP route {@code index} of the VirtualService, by host. */
  private Map<String, Long> weights(CanaryFixture fx, String name, int index) {
    Map<String, Long> out = new TreeMap<>();
    for (JsonNode dest : istio(fx, "VirtualService", name).at("/spec/http/" + index + "/route")) {
      out.put(dest.at("/destination/host").asText(), dest.path("weight").asLong());
    }
    return out;
  }
}
