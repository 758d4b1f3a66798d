package dev.mooring.canary.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Istio router compared field by field with what Flagger's Istio router ({@code
 * pkg/router/istio.go}) writes for the same Canary: two DestinationRules and a VirtualService, with
 * A/B testing, mirroring and session affinity as its SetRoutes builds them.
 */
class IstioRouterTest {
  private final IstioRouter router = new IstioRouter();

  private static Canary canary(String spec) throws Exception {
    Canary canary =
        Fixtures.YAML.readValue(
            """
            apiVersion: mooring.dev/v1alpha1
            kind: Canary
            metadata: {name: podinfo, namespace: test, uid: u-1}
            spec:
              provider: istio
              targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
            """
                + spec.indent(2),
            Canary.class);
    return canary;
  }

  private static JsonNode yaml(String text) throws Exception {
    return Fixtures.YAML.readTree(text);
  }

  private static ObjectNode virtualService(List<ObjectNode> objects) {
    assertThat(objects).hasSize(3);
    return objects.get(2);
  }

  private static JsonNode http(List<ObjectNode> objects) {
    return virtualService(objects).at("/spec/http");
  }

  @Test
  void weightedRoutingIsWhatFlaggerWritesFieldByField() {
    Canary canary = Fixtures.canary("canary/routing/podinfo-istio.yaml");

    List<ObjectNode> objects = router.desired(canary, null, 90, 10);

    assertThat(objects)
        .containsExactlyElementsOf(Fixtures.objects("canary/routing/podinfo-istio-routing.yaml"));
  }

  @ParameterizedTest
  @CsvSource({"100, 0", "90, 10", "50, 50", "0, 100"})
  void theHttpRouteSplitsByTheWeights(int primary, int canaryWeight) throws Exception {
    List<ObjectNode> objects =
        router.desired(canary("service: {port: 9898}"), null, primary, canaryWeight);

    assertThat(http(objects))
        .isEqualTo(
            yaml(
                """
                - route:
                    - destination: {host: podinfo-primary}
                      weight: %d
                    - destination: {host: podinfo-canary}
                      weight: %d
                """
                    .formatted(primary, canaryWeight)));
  }

  @Test
  void withoutHostsAndGatewaysTheApexIsServedInsideTheMesh() throws Exception {
    List<ObjectNode> objects =
        router.desired(canary("service: {name: web, port: 80}"), null, 100, 0);

    assertThat(objects.get(0).at("/spec")).isEqualTo(yaml("host: web-canary"));
    assertThat(objects.get(1).at("/spec")).isEqualTo(yaml("host: web-primary"));
    ObjectNode vs = virtualService(objects);
    assertThat(vs.at("/metadata/name").asText()).isEqualTo("web");
    assertThat(vs.at("/spec/hosts")).isEqualTo(yaml("[web]"));
    assertThat(vs.at("/spec/gateways")).isEqualTo(yaml("[mesh]"));
    assertThat(objects)
        .allSatisfy(
            o -> {
              assertThat(o.at("/apiVersion").asText()).isEqualTo("networking.istio.io/v1beta1");
              assertThat(o.at("/metadata/ownerReferences/0/kind").asText()).isEqualTo("Canary");
              assertThat(o.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo("u-1");
              assertThat(o.at("/metadata/labels/app.kubernetes.io~1managed-by").asText())
                  .isEqualTo("mooring-canary");
            });
  }

  @Test
  void aWildcardHostOrTheApexAmongTheHostsIsNotAddedTwice() throws Exception {
    assertThat(
            virtualService(
                    router.desired(
                        canary("service: {port: 80, hosts: ['*'], gateways: [mesh, public]}"),
                        null,
                        100,
                        0))
                .at("/spec"))
        .isEqualTo(
            yaml(
                "{hosts: ['*'], gateways: [mesh, public], http: [{route: [{destination: {host: podinfo-primary}, weight: 100}, {destination: {host: podinfo-canary}, weight: 0}]}]}"));
    assertThat(
            virtualService(
                    router.desired(canary("service: {port: 80, hosts: [podinfo]}"), null, 100, 0))
                .at("/spec/hosts"))
        .isEqualTo(yaml("[podinfo]"));
  }

  @Test
  void aDelegateVirtualServiceHasNoHostsNorGatewaysAndNamesThePort() throws Exception {
    ObjectNode vs =
        virtualService(
            router.desired(
                canary("service: {port: 9898, portDiscovery: true, delegation: true}"),
                null,
                80,
                20));

    assertThat(vs.at("/spec/hosts")).isEqualTo(yaml("[]"));
    assertThat(vs.at("/spec").has("gateways")).isFalse();
    assertThat(vs.at("/spec/http/0/route"))
        .isEqualTo(
            yaml(
                """
                - destination: {host: podinfo-primary, port: {number: 9898}}
                  weight: 80
                - destination: {host: podinfo-canary, port: {number: 9898}}
                  weight: 20
                """));
  }

  @Test
  void delegationWithHostsOrGatewaysIsRejected() throws Exception {
    assertThatThrownBy(
            () ->
                router.desired(
                    canary("service: {port: 80, delegation: true, hosts: [app.example.com]}"),
                    null,
                    100,
                    0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delegate VirtualService");
  }

  @Test
  void badInputIsRejected() throws Exception {
    assertThatThrownBy(() -> router.desired(canary("service: {name: web}"), null, 100, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spec.service.port");
    assertThatThrownBy(() -> router.desired(canary("service: {port: 80}"), null, 60, 60))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sum to 100");
    assertThatThrownBy(() -> router.desired(canary("service: {port: 80}"), null, -1, 101))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void abTestingMergesTheCanaryMatchIntoEachServiceMatchAndKeepsTheRestOnThePrimary()
      throws Exception {
    Canary canary =
        canary(
            """
            service:
              port: 9898
              timeout: 10s
              match:
                - uri: {prefix: /api}
                  headers: {x-tenant: {exact: a}}
                - uri: {prefix: /web}
            analysis:
              iterations: 10
              match:
                - headers: {x-canary: {exact: insider}}
                - headers: {cookie: {regex: "^(.*?;)?(canary=always)(;.*)?$"}}
                  sourceLabels: {app: frontend}
            """);

    assertThat(http(router.desired(canary, null, 0, 100)))
        .isEqualTo(
            yaml(
                """
                - match:
                    - uri: {prefix: /api}
                      headers: {x-canary: {exact: insider}}
                    - uri: {prefix: /web}
                      headers: {x-canary: {exact: insider}}
                    - uri: {prefix: /api}
                      headers: {cookie: {regex: "^(.*?;)?(canary=always)(;.*)?$"}}
                      sourceLabels: {app: frontend}
                    - uri: {prefix: /web}
                      headers: {cookie: {regex: "^(.*?;)?(canary=always)(;.*)?$"}}
                      sourceLabels: {app: frontend}
                  route:
                    - destination: {host: podinfo-primary}
                      weight: 0
                    - destination: {host: podinfo-canary}
                      weight: 100
                  timeout: 10s
                - match:
                    - uri: {prefix: /api}
                      headers: {x-tenant: {exact: a}}
                    - uri: {prefix: /web}
                  route:
                    - destination: {host: podinfo-primary}
                      weight: 100
                  timeout: 10s
                """));
  }

  @Test
  void abTestingWithoutAServiceMatchRoutesTheCanaryMatchAsWritten() throws Exception {
    Canary canary =
        canary(
            """
            service: {port: 9898}
            analysis:
              iterations: 10
              match:
                - headers: {x-canary: {exact: insider}}
                  queryParams: {beta: {exact: "1"}}
            """);

    JsonNode http = http(router.desired(canary, null, 100, 0));

    assertThat(http.at("/0/match"))
        .isEqualTo(
            yaml("[{headers: {x-canary: {exact: insider}}, queryParams: {beta: {exact: '1'}}}]"));
    assertThat(http.at("/0/route/1/weight").asInt()).isZero();
    assertThat(http.at("/1").has("match")).isFalse();
    assertThat(http.at("/1/route"))
        .isEqualTo(yaml("[{destination: {host: podinfo-primary}, weight: 100}]"));
  }

  @ParameterizedTest
  @CsvSource({"0, -1", "10, 10", "50, 50"})
  void mirroringCopiesTheRequestsToTheCanaryWithTheMirrorWeight(int mirrorWeight, int percentage)
      throws Exception {
    Canary canary =
        canary(
            """
            service: {port: 9898}
            analysis: {iterations: 5, mirror: true, mirrorWeight: %d}
            """
                .formatted(mirrorWeight));

    JsonNode route = http(router.desired(canary, null, 100, 0, true)).get(0);

    assertThat(route.at("/mirror")).isEqualTo(yaml("{host: podinfo-canary}"));
    assertThat(route.at("/route/0/weight").asInt()).isEqualTo(100);
    if (percentage < 0) {
      assertThat(route.has("mirrorPercentage")).isFalse();
    } else {
      assertThat(route.at("/mirrorPercentage"))
          .isEqualTo(yaml("{value: %d}".formatted(percentage)));
    }
    assertThat(http(router.desired(canary, null, 100, 0, false)).get(0).has("mirror"))
        .as("without the mirror flag (the switch to the canary stops it)")
        .isFalse();
  }

  private static Canary sticky(String current, String previous) throws Exception {
    Canary canary =
        canary(
            """
            service:
              port: 9898
              headers: {response: {add: {x-served-by: mesh}}}
            analysis:
              interval: 1m
              maxWeight: 50
              stepWeight: 10
              sessionAffinity:
                cookieName: flagger-cookie
                maxAge: 300
                domain: flagger.app
                httpOnly: true
                partitioned: true
                path: /app
                sameSite: Strict
                secure: true
            """);
    canary.setStatus(new CanaryStatus());
    canary.getStatus().sessionAffinityCookie = current;
    canary.getStatus().previousSessionAffinityCookie = previous;
    return canary;
  }

  @ParameterizedTest
  @CsvSource({"90, 10", "50, 50", "0, 100"})
  void whileTheCanaryGetsTrafficItsResponsesSetTheCookieThatKeepsUsersOnIt(int p, int c)
      throws Exception {
    Canary canary = sticky("flagger-cookie=abc123", "flagger-cookie=old");

    assertThat(http(router.desired(canary, null, p, c)))
        .isEqualTo(
            yaml(
                """
                - name: sticky-route
                  match:
                    - headers: {Cookie: {regex: ".*flagger-cookie.*abc123.*"}}
                  route:
                    - destination: {host: podinfo-primary}
                      weight: 0
                    - destination: {host: podinfo-canary}
                      weight: 100
                  headers: {response: {add: {x-served-by: mesh}}}
                - route:
                    - destination: {host: podinfo-primary}
                      weight: %d
                    - destination: {host: podinfo-canary}
                      weight: %d
                      headers:
                        response:
                          add:
                            Set-Cookie: "flagger-cookie=abc123; Max-Age=300; Domain=flagger.app; HttpOnly; Partitioned; Path=/app; SameSite=Strict; Secure"
                  headers: {response: {add: {x-served-by: mesh}}}
                """
                    .formatted(p, c)));
  }

  @Test
  void atWeightZeroThePreviousCookieIsExpiredAndNoCookieIsSet() throws Exception {
    Canary canary = sticky(null, "flagger-cookie=abc123");

    assertThat(http(router.desired(canary, null, 100, 0)))
        .isEqualTo(
            yaml(
                """
                - name: sticky-route
                  match:
                    - headers: {Cookie: {regex: ".*flagger-cookie.*abc123.*"}}
                  route:
                    - destination: {host: podinfo-primary}
                      weight: 100
                    - destination: {host: podinfo-canary}
                      weight: 0
                  headers:
                    response:
                      add: {x-served-by: mesh, Set-Cookie: "flagger-cookie=abc123; Max-Age=-1"}
                - route:
                    - destination: {host: podinfo-primary}
                      weight: 100
                    - destination: {host: podinfo-canary}
                      weight: 0
                  headers: {response: {add: {x-served-by: mesh}}}
                """));
    assertThat(canary.getStatus().previousSessionAffinityCookie)
        .as("pure: the status is the controller's to change")
        .isEqualTo("flagger-cookie=abc123");
  }

  @Test
  void beforeAnyRunTheStickyRouteIsThePlainWeightedOne() throws Exception {
    Canary canary = sticky(null, null);
    canary.setStatus(null);

    JsonNode http = http(router.desired(canary, null, 100, 0));

    assertThat(http).hasSize(2);
    assertThat(http.at("/0/name").asText()).isEqualTo("sticky-route");
    ObjectNode first = ((ObjectNode) http.get(0)).deepCopy();
    first.remove("name");
    assertThat(first).isEqualTo(http.get(1));
  }

  @Test
  void theCookieMatchTakesThePlaceOfTheServiceMatchHeaders() throws Exception {
    Canary canary = sticky("flagger-cookie=abc123", null);
    canary.getSpec().service.match =
        yaml("[{uri: {prefix: /app}, headers: {x-tenant: {exact: a}}}]");

    JsonNode http = http(router.desired(canary, null, 90, 10));

    assertThat(http.at("/0/match"))
        .isEqualTo(
            yaml(
                "[{uri: {prefix: /app}, headers: {Cookie: {regex: '.*flagger-cookie.*abc123.*'}}}]"));
    assertThat(http.at("/1/match")).isEqualTo(canary.getSpec().service.match);
  }

  @Test
  void mirroringWithSessionAffinityGoesOnTheFirstRouteAsInFlagger() throws Exception {
    Canary canary = sticky(null, null);
    canary.getSpec().analysis.mirror = true;

    JsonNode http = http(router.desired(canary, null, 100, 0, true));

    assertThat(http.at("/0/mirror/host").asText()).isEqualTo("podinfo-canary");
    assertThat(http.at("/1").has("mirror")).isFalse();
  }

  @Test
  void aTcpServiceGetsATcpRouteMatchedByPort() throws Exception {
    Canary canary =
        canary(
            """
            service:
              port: 6379
              appProtocol: TCP
              match: [{port: 6379}, {port: 6380}]
              timeout: 5s
            """);

    ObjectNode vs = virtualService(router.desired(canary, null, 70, 30));

    assertThat(vs.at("/spec"))
        .isEqualTo(
            yaml(
                """
                hosts: [podinfo]
                gateways: [mesh]
                tcp:
                  - match: [{port: 6379}, {port: 6380}]
                    route:
                      - destination: {host: podinfo-primary}
                        weight: 70
                      - destination: {host: podinfo-canary}
                        weight: 30
                """));
  }

  @Test
  void theSetCookieHeaderDefaultsToADay() throws Exception {
    assertThat(IstioRouter.cookie("c=v", yaml("{cookieName: c}"))).isEqualTo("c=v; Max-Age=86400");
  }
}
