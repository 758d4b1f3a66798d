package dev.mooring.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.model.Canary;
import dev.mooring.model.CanarySpec;
import dev.mooring.model.CanaryStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a Canary asks for that Mooring does not do is named, per router; never ignored. */
class CanaryFeaturesTest {
  static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  private static CanarySpec spec(String yaml) {
    return Serialization.unmarshal(yaml, CanarySpec.class);
  }

  @Test
  void fieldsWithoutEffectAreNamedWithTheRouter() {
    CanarySpec spec =
        spec(
            """
            targetRef: {kind: Deployment, name: podinfo}
            autoscalerRef: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, name: podinfo}
            revertOnDeletion: true
            service:
              port: 9898
              hosts: [app.example.com]
              retries: {attempts: 3}
              corsPolicy: {allowOrigins: [{exact: "https://example.com"}]}
              headers: {request: {add: {x-some-header: "value"}}}
            analysis:
              interval: 1m
              mirror: true
              match: [{headers: {x-canary: {exact: insider}}}]
              sessionAffinity: {cookieName: flagger-cookie}
              alerts: [{name: on-call, severity: error, providerRef: {name: slack}}]
            """);
    assertThat(CanaryFeatures.unsupported(spec, "nginx"))
        .containsExactly(
            "analysis.match is used only with analysis.iterations (A/B testing); this Canary"
                + " shifts weights, so the match is not used",
            "analysis.mirror is not supported by provider nginx",
            "analysis.sessionAffinity is not supported by provider nginx",
            "service.retries is not used by provider nginx",
            "service.headers is not used by provider nginx",
            "service.corsPolicy is not used by provider nginx",
            "service.hosts is not used by provider nginx");
    // the Gateway API router uses hosts
    assertThat(CanaryFeatures.unsupported(spec, "gatewayapi:v1"))
        .doesNotContain("service.hosts is not used by provider gatewayapi:v1")
        .contains("analysis.mirror is not supported by provider gatewayapi:v1");
  }

  @Test
  void abTestingNamesWhatEachRouterCannotMatchOn() {
    CanarySpec spec =
        spec(
            """
            targetRef: {kind: Deployment, name: podinfo}
            service: {port: 9898}
            analysis:
              interval: 1m
              iterations: 10
              match:
                - headers: {x-canary: {exact: insider}}
                - headers: {cookie: {exact: canary}}
                - headers: {x-user: {prefix: beta}}
                  queryParams: {variant: {exact: b}}
                  method: {exact: GET}
                  uri: {prefix: /api}
            """);
    assertThat(CanaryFeatures.unsupported(spec, "nginx"))
        .containsExactly(
            "analysis.match header x-user uses prefix, which provider nginx cannot express (a"
                + " header takes exact or regex, the cookie an exact name)",
            "analysis.match queryParams are not supported by provider nginx",
            "analysis.match method is not supported by provider nginx",
            "analysis.match uri is not supported by provider nginx");
    assertThat(CanaryFeatures.unsupported(spec, "gatewayapi:v1"))
        .containsExactly(
            "analysis.match header x-user uses prefix, which provider gatewayapi:v1 cannot express"
                + " (exact or regex)",
            "analysis.match uri is not supported by provider gatewayapi:v1");
    assertThat(CanaryFeatures.unsupported(spec, "kubernetes"))
        .containsExactly("analysis.match (A/B testing) is not supported by provider kubernetes");
    CanarySpec twoHeaders =
        spec(
            """
            targetRef: {kind: Deployment, name: podinfo}
            service: {port: 9898}
            analysis:
              iterations: 10
              match:
                - headers: {x-canary: {regex: "^(insider|beta)$"}}
                - headers: {x-other: {exact: "1"}}
            """);
    assertThat(CanaryFeatures.unsupported(twoHeaders, "nginx"))
        .containsExactly(
            "analysis.match header x-other is not used: provider nginx routes by one header and one"
                + " cookie");
    assertThat(CanaryFeatures.unsupported(twoHeaders, "gatewayapi")).isEmpty();
  }

  @Test
  void aCanaryUsingOnlyWhatIsDoneHasNoCondition() {
    CanarySpec spec =
        spec(
            """
            targetRef: {kind: Deployment, name: podinfo}
            service: {port: 9898, portDiscovery: true}
            analysis: {interval: 1m, threshold: 5, maxWeight: 50, stepWeight: 10, match: []}
            """);
    assertThat(CanaryFeatures.unsupported(spec, "kubernetes")).isEmpty();
    CanaryStatus status = new CanaryStatus();
    assertThat(CanaryStatuses.unsupported(null, status, List.of(), T0)).isNull();
    assertThat(status.conditions).isEmpty();
  }

  @Test
  void flaggersNewerServiceAndWebhookFieldsAreDoneByEveryRouter() {
    CanarySpec spec =
        spec(
            """
            targetRef: {kind: Deployment, name: podinfo}
            service:
              port: 9898
              trafficDistribution: PreferClose
              headless: true
              unmanagedMetadata: {labels: [team], annotations: [sync-to]}
            analysis:
              interval: 1m
              webhooks: [{name: gate, type: confirm-rollout, url: "https://gate", disableTLS: true}]
            """);
    for (String provider : List.of("kubernetes", "nginx", "gatewayapi:v1")) {
      assertThat(CanaryFeatures.unsupported(spec, provider)).as(provider).isEmpty();
    }
  }

  @Test
  void aBackendTimeoutIsUsedByTheGatewayApiOnly() {
    CanarySpec spec =
        spec(
            """
            targetRef: {kind: Deployment, name: podinfo}
            service: {port: 9898, backendTimeout: 5s}
            """);
    assertThat(CanaryFeatures.unsupported(spec, "nginx"))
        .containsExactly("service.backendTimeout is not used by provider nginx");
    assertThat(CanaryFeatures.unsupported(spec, "kubernetes"))
        .containsExactly("service.backendTimeout is not used by provider kubernetes");
    assertThat(CanaryFeatures.unsupported(spec, "gatewayapi:v1")).isEmpty();
  }

  @Test
  void fieldsMooringDoesNotKnowAreNamedAsIgnored() {
    Canary canary =
        Serialization.unmarshal(
            """
            apiVersion: mooring.dev/v1alpha1
            kind: Canary
            metadata: {name: podinfo, namespace: test}
            spec:
              targetRef: {kind: Deployment, name: podinfo}
              service: {port: 9898, futureFlaggerField: true}
              analysis: {interval: 1m, webhooks: [{name: a, url: "http://a", colour: red}]}
            """,
            Canary.class);
    assertThat(CanaryFeatures.unsupported(canary.getSpec(), "kubernetes"))
        .containsExactly(
            "spec.service.futureFlaggerField is not a Canary field Mooring knows; it was ignored",
            "spec.analysis.webhooks[0].colour is not a Canary field Mooring knows; it was ignored");
  }

  @Test
  void theConditionIsToldOnceAndGoesWhenTheFieldGoes() {
    CanaryStatus first = new CanaryStatus();
    assertThat(CanaryStatuses.unsupported(null, first, List.of("a", "b"), T0)).isEqualTo("a; b");
    assertThat(first.conditions)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.type).isEqualTo("Unsupported");
              assertThat(c.status).isEqualTo("True");
              assertThat(c.message).isEqualTo("a; b");
            });
    CanaryStatus again = new CanaryStatus();
    assertThat(CanaryStatuses.unsupported(first, again, List.of("a", "b"), T0.plusSeconds(60)))
        .as("unchanged: no second Event")
        .isNull();
    assertThat(again.conditions.get(0).lastUpdateTime).isEqualTo(T0.toString());
    CanaryStatus fixed = new CanaryStatus();
    fixed.conditions.add(again.conditions.get(0));
    assertThat(CanaryStatuses.unsupported(again, fixed, List.of(), T0.plusSeconds(120))).isNull();
    assertThat(fixed.conditions).isEmpty();
  }
}
