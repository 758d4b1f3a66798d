package dev.mooring.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Canary;
import dev.mooring.testing.DeploymentSimulator;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code mooring.canary.default-provider}, like Flagger's global mesh provider: a Canary naming no
 * {@code spec.provider} gets that router (here nginx: the canary Ingress), and the router in use is
 * in its status and its first Event, with where it came from; a Canary naming one keeps its own. On
 * the real API server.
 */
@QuarkusTest
@WithRealKubernetes
@TestProfile(DefaultProviderTest.NginxByDefault.class)
class DefaultProviderTest {
  static final Duration LONG = Duration.ofSeconds(60);

  /** nginx for Canaries without a provider. */
  public static class NginxByDefault implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("mooring.canary.default-provider", "nginx");
    }
  }

  @Inject KubernetesClient client;

  private List<Event> routerEvents(String ns, String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .filter(e -> "Router".equals(e.getReason()))
        .toList();
  }

  @Test
  void aCanaryWithoutProviderUsesTheDefaultRouterAndSaysSo() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "default-router");
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("podinfo", "podinfo:6.0.0", 1);
      fx.ingress("podinfo", "podinfo");
      fx.canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata: {name: podinfo}
          spec:
            targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
            ingressRef: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: podinfo}
            service: {port: 80}
            analysis: {interval: 2s, threshold: 1, maxWeight: 50, stepWeight: 10, mirror: true}
          """);
      fx.deployment("other", "podinfo:6.0.0", 1);
      fx.canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata: {name: other}
          spec:
            provider: kubernetes
            targetRef: {apiVersion: apps/v1, kind: Deployment, name: other}
            service: {port: 80}
            analysis: {interval: 2s, iterations: 2, threshold: 1}
          """);

      Canary initialized = fx.awaitPhase("podinfo", "Initialized", LONG);
      assertThat(initialized.getStatus().provider).isEqualTo("nginx");
      assertThat(initialized.getSpec().provider)
          .as("the spec in the cluster stays as written")
          .isNull();
      // the nginx router's canary Ingress, pointing at the canary Service
      assertThat(fx.ingressNamed("podinfo-canary").getMetadata().getAnnotations())
          .containsEntry("nginx.ingress.kubernetes.io/canary", "true");
      await()
          .atMost(LONG)
          .untilAsserted(
              () ->
                  assertThat(routerEvents(fx.ns, "podinfo"))
                      .singleElement()
                      .satisfies(
                          e ->
                              assertThat(e.getMessage())
                                  .isEqualTo(
                                      "routing with provider nginx (mooring.canary.default-provider:"
                                          + " the Canary names none)")));

      // what it asks for and does not get is said, on the object and as a Warning Event
      assertThat(initialized.getStatus().conditions)
          .anySatisfy(
              c -> {
                assertThat(c.type).isEqualTo("Unsupported");
                assertThat(c.message)
                    .isEqualTo("analysis.mirror is not supported by provider nginx");
              });
      await()
          .atMost(LONG)
          .untilAsserted(
              () -> assertThat(fx.eventReasons("podinfo")).containsOnlyOnce("Unsupported"));

      Canary other = fx.awaitPhase("other", "Initialized", LONG);
      assertThat(other.getStatus().conditions).noneMatch(c -> "Unsupported".equals(c.type));
      assertThat(other.getStatus().provider).isEqualTo("kubernetes");
      assertThat(
              client.network().v1().ingresses().inNamespace(fx.ns).withName("other-canary").get())
          .isNull();
      await()
          .atMost(LONG)
          .untilAsserted(
              () ->
                  assertThat(routerEvents(fx.ns, "other"))
                      .singleElement()
                      .satisfies(
                          e ->
                              assertThat(e.getMessage())
                                  .isEqualTo("routing with provider kubernetes (spec.provider)")));
    }
  }

  @Test
  void aBlueGreenCanaryTakesOverTheUsersServiceWithItsOwnPorts() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "blue-green-service");
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      client
          .resource(
              io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                  """
                  apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: podinfo, namespace: blue-green-service}
                  spec:
                    replicas: 1
                    selector: {matchLabels: {app: podinfo}}
                    template:
                      metadata: {labels: {app: podinfo}}
                      spec:
                        containers:
                        - name: podinfo
                          image: podinfo:6.0.0
                          ports:
                          - {name: http, containerPort: 9898}
                          - {name: http-metrics, containerPort: 9797}
                  """,
                  io.fabric8.kubernetes.api.model.apps.Deployment.class))
          .create();
      // the tutorial's own Service, there before the Canary: other ports, one named http too
      client
          .resource(
              io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                  """
                  apiVersion: v1
                  kind: Service
                  metadata: {name: podinfo, namespace: blue-green-service}
                  spec:
                    selector: {app: podinfo}
                    ports:
                    - {name: http, port: 80, targetPort: http}
                    - {name: grpc, port: 9999, targetPort: 9999}
                  """,
                  io.fabric8.kubernetes.api.model.Service.class))
          .create();
      fx.canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata: {name: podinfo}
          spec:
            provider: kubernetes
            targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
            service: {port: 9898, portDiscovery: true}
            analysis: {interval: 2s, iterations: 2, threshold: 1}
          """);
      Canary initialized = fx.awaitPhase("podinfo", "Initialized", LONG);
      assertThat(initialized.getStatus().provider).isEqualTo("kubernetes");
      var apex = fx.service("podinfo");
      assertThat(apex.getSpec().getSelector()).containsEntry("app", "podinfo-primary");
      assertThat(apex.getSpec().getPorts())
          .extracting(p -> p.getName() + ":" + p.getPort())
          .containsExactly("http:9898", "http-metrics:9797");
    }
  }
}
