package dev.mooring.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.model.CanarySpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/**
 * With provider istio, the mesh fields are used and only what Flagger's router ignores is named.
 */
class IstioFeaturesTest {
  private static CanarySpec spec(String yaml) {
    return Serialization.unmarshal(yaml, CanarySpec.class);
  }

  @Test
  void theMeshFieldsOfTheServiceAndTheAnalysisAreUsed() {
    CanarySpec spec =
        spec(
            """
            targetRef: {kind: Deployment, name: podinfo}
            service:
              port: 9898
              gateways: [public-gateway]
              hosts: [app.example.com]
              timeout: 30s
              trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
              match: [{uri: {prefix: /}}]
              rewrite: {uri: /}
              retries: {attempts: 3}
              corsPolicy: {allowOrigins: [{exact: "https://example.com"}]}
              headers: {request: {add: {x-some-header: "value"}}}
            analysis:
              interval: 1m
              iterations: 10
              mirror: true
              mirrorWeight: 20
              sessionAffinity: {cookieName: flagger-cookie, maxAge: 300}
            """);
    assertThat(CanaryFeatures.unsupported(spec, "istio")).isEmpty();
    CanarySpec delegate =
        spec(
            """
            targetRef: {kind: Deployment, name: podinfo}
            service: {port: 9898, delegation: true}
            analysis: {stepWeight: 10, maxWeight: 50, match: [{headers: {x-canary: {exact: "1"}}}]}
            """);
    assertThat(CanaryFeatures.unsupported(delegate, "istio"))
        .as("as Flagger's router, a weighted canary splits only the matched requests")
        .isEmpty();
  }

  @Test
  void whatFlaggersIstioRouterLeavesUnusedIsNamed() {
    CanarySpec spec =
        spec(
            """
            targetRef: {kind: Deployment, name: podinfo}
            revertOnDeletion: true
            service:
              port: 9898
              match: [{uri: {prefix: /api}}]
              rewrite: {uri: /, type: ReplacePrefixMatch}
              backendTimeout: 5s
              gatewayRefs: [{name: public}]
              meshName: global
            analysis:
              iterations: 10
              mirror: true
              match:
                - headers: {x-canary: {exact: insider}}
                  queryParams: {beta: {exact: "1"}}
              sessionAffinity: {cookieName: canary, primaryCookieName: primary}
            """);
    assertThat(CanaryFeatures.unsupported(spec, "istio"))
        .containsExactly(
            "analysis.match queryParams is replaced by service.match with provider istio (only"
                + " headers and sourceLabels are merged into each service.match condition)",
            "analysis.mirror is not used with analysis.match (A/B testing) by provider istio",
            "analysis.sessionAffinity is not used with analysis.match (A/B testing) by provider"
                + " istio",
            "analysis.sessionAffinity.primaryCookieName is not supported yet: the primary's cookie"
                + " would need a primarySessionAffinityCookie in the status, which Mooring does"
                + " not keep",
            "service.meshName is not used by provider istio",
            "service.gatewayRefs is not used by provider istio",
            "service.backendTimeout is not used by provider istio",
            "service.rewrite.type is not used by provider istio");
  }

  @Test
  void aTcpServiceUsesNoneOfTheHttpFields() {
    CanarySpec spec =
        spec(
            """
            targetRef: {kind: Deployment, name: redis}
            service:
              port: 6379
              appProtocol: tcp
              timeout: 5s
              retries: {attempts: 3}
              match: [{port: 6379, uri: {prefix: /}}]
            analysis:
              stepWeight: 10
              sessionAffinity: {cookieName: c}
            """);
    assertThat(CanaryFeatures.unsupported(spec, "istio"))
        .containsExactly(
            "analysis.sessionAffinity is not used by provider istio for a TCP service"
                + " (service.appProtocol tcp)",
            "service.timeout is not used by provider istio for a TCP service",
            "service.retries is not used by provider istio for a TCP service",
            "service.match uri is not used by provider istio");
  }
}
