package dev.mooring.canary.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryAnalysis;
import org.junit.jupiter.api.Test;

/**
 * A/B testing routes (iterations with {@code analysis.match}), compared field by field with what
 * Flagger's routers write for the same Canary: ingress-nginx's canary-by-header/cookie annotations
 * instead of a weight, and an HTTPRoute whose first rule sends the matched requests to the canary.
 */
class AbTestingRoutesTest {
  private final ObjectNode ingress = Fixtures.object("canary/routing/podinfo-ingress.yaml");

  private static Canary withMatch(Canary canary, String match, int iterations) {
    try {
      if (canary.getSpec().analysis == null) {
        canary.getSpec().analysis = new CanaryAnalysis();
      }
      canary.getSpec().analysis.iterations = iterations;
      canary.getSpec().analysis.match = Fixtures.YAML.readTree(match);
      return canary;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode yaml(String text) throws Exception {
    return Fixtures.YAML.readTree(text);
  }

  @Test
  void nginxRoutesTheMatchedHeaderAndCookieToTheCanaryInsteadOfAWeight() throws Exception {
    Canary canary =
        withMatch(
            Fixtures.flaggerCanary(),
            """
            - headers: {x-canary: {exact: insider}}
            - headers: {cookie: {exact: canary}}
            """,
            10);
    ObjectNode during = new NginxRouter().desired(canary, ingress, 0, 100).get(0);
    assertThat(during.at("/metadata/annotations"))
        .isEqualTo(
            yaml(
                """
                kubernetes.io/ingress.class: nginx
                nginx.ingress.kubernetes.io/canary: "true"
                nginx.ingress.kubernetes.io/canary-by-header: x-canary
                nginx.ingress.kubernetes.io/canary-by-header-value: insider
                nginx.ingress.kubernetes.io/canary-by-cookie: canary
                """));
    // at rest (and after a rollback) no request reaches the canary
    ObjectNode atRest = new NginxRouter().desired(canary, ingress, 100, 0).get(0);
    assertThat(atRest.at("/metadata/annotations"))
        .isEqualTo(
            yaml(
                """
                kubernetes.io/ingress.class: nginx
                nginx.ingress.kubernetes.io/canary: "true"
                nginx.ingress.kubernetes.io/canary-weight: "0"
                """));
  }

  @Test
  void nginxTakesARegexAsTheHeaderPattern() throws Exception {
    Canary canary =
        withMatch(Fixtures.flaggerCanary(), "- headers: {x-user: {regex: \"^(alice|bob)$\"}}", 5);
    ObjectNode during = new NginxRouter().desired(canary, ingress, 0, 100).get(0);
    assertThat(
            during
                .at("/metadata/annotations/nginx.ingress.kubernetes.io~1canary-by-header-pattern")
                .asText())
        .isEqualTo("^(alice|bob)$");
    assertThat(during.at("/metadata/annotations").has(NginxRouter.WEIGHT_ANNOTATION)).isFalse();
    assertThat(during.at("/metadata/annotations").has(NginxRouter.HEADER_VALUE_ANNOTATION))
        .isFalse();
  }

  @Test
  void aWeightedCanaryWithAMatchKeepsShiftingWeights() {
    Canary canary = withMatch(Fixtures.flaggerCanary(), "- headers: {x-canary: {exact: a}}", 0);
    ObjectNode route = new NginxRouter().desired(canary, ingress, 80, 20).get(0);
    assertThat(
            route.at("/metadata/annotations/nginx.ingress.kubernetes.io~1canary-weight").asText())
        .isEqualTo("20");
    assertThat(route.at("/metadata/annotations").has(NginxRouter.HEADER_ANNOTATION)).isFalse();
  }

  @Test
  void httpRouteSendsTheMatchedRequestsToTheCanaryAndKeepsTheRestOnThePrimary() throws Exception {
    Canary canary =
        withMatch(
            Fixtures.canary("canary/routing/podinfo-gatewayapi.yaml"),
            """
            - headers: {x-canary: {exact: insider}}
            - headers: {cookie: {regex: "^(.*?;)?(canary=always)(;.*)?$"}}
              queryParams: {variant: {exact: b}}
              method: {exact: get}
            """,
            10);
    ObjectNode route = new GatewayApiRouter().desired(canary, null, 0, 100).get(0);
    assertThat(route.at("/spec/rules"))
        .isEqualTo(
            yaml(
                """
                - matches:
                    - path: {type: PathPrefix, value: /}
                      headers: [{type: Exact, name: x-canary, value: insider}]
                    - path: {type: PathPrefix, value: /}
                      headers: [{type: RegularExpression, name: cookie, value: "^(.*?;)?(canary=always)(;.*)?$"}]
                      queryParams: [{type: Exact, name: variant, value: b}]
                      method: GET
                  timeouts: {request: 30s}
                  backendRefs:
                    - {group: "", kind: Service, name: web-primary, port: 9898, weight: 0}
                    - {group: "", kind: Service, name: web-canary, port: 9898, weight: 100}
                - matches:
                    - path: {type: PathPrefix, value: /}
                  timeouts: {request: 30s}
                  backendRefs:
                    - {group: "", kind: Service, name: web-primary, port: 9898, weight: 100}
                """));
    ObjectNode atRest = new GatewayApiRouter().desired(canary, null, 100, 0).get(0);
    assertThat(atRest.at("/spec/rules/0/backendRefs/1/weight").asInt()).isZero();
    assertThat(atRest.at("/spec/rules/0/backendRefs/0/weight").asInt()).isEqualTo(100);
  }
}
