package dev.mooring.rollout;

import static dev.mooring.rollout.CanaryFixture.image;
import static dev.mooring.rollout.CanaryFixture.replicas;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.model.Canary;
import dev.mooring.testing.DeploymentSimulator;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Flagger's targets and scaling on the real API server (workloads made ready through {@code
 * /status}; the garbage collector runs): {@code autoscalerRef} to an HPA and to a KEDA ScaledObject
 * gets a primary copy scaling the primary, the canary starts at the autoscaler's minimum and the
 * primary's replicas stay the autoscaler's; DaemonSet targets are scaled by a node selector; {@code
 * revertOnDeletion} holds a finalizer that gives the target its replicas and the apex Service back
 * before the Canary goes; switching {@code service.headless} recreates the Services (their
 * clusterIP is immutable).
 */
@QuarkusTest
@WithRealKubernetes
class CanaryScalingTest {
  private static final Duration LONG = Duration.ofSeconds(90);

  @Inject KubernetesClient client;

  @Test
  void anHpaIsCopiedToThePrimaryAndOwnsItsReplicas() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "targets-hpa");
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("web", "web:1", 1);
      create(
          fx,
          """
          apiVersion: autoscaling/v2
          kind: HorizontalPodAutoscaler
          metadata: {name: web, labels: {team: shop}}
          spec:
            scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
            minReplicas: 2
            maxReplicas: 4
            metrics:
              - type: Resource
                resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
          """);
      fx.canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata: {name: web}
          spec:
            targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
            autoscalerRef: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, name: web}
            service: {port: 8080}
            analysis: {interval: 1s, threshold: 2, iterations: 1}
          """);
      fx.awaitPhase("web", "Initialized", LONG);

      HorizontalPodAutoscaler primaryHpa = hpa(fx, "web-primary");
      assertThat(primaryHpa.getSpec().getScaleTargetRef().getName()).isEqualTo("web-primary");
      assertThat(primaryHpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
      assertThat(primaryHpa.getSpec().getMinReplicas()).isEqualTo(2);
      assertThat(primaryHpa.getSpec().getMaxReplicas()).isEqualTo(4);
      assertThat(primaryHpa.getSpec().getMetrics().get(0).getResource().getName()).isEqualTo("cpu");
      assertThat(primaryHpa.getMetadata().getLabels()).containsEntry("team", "shop");
      assertThat(primaryHpa.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(ref -> assertThat(ref.getKind()).isEqualTo("Canary"));
      assertThat(replicas(fx.deploymentNamed("web"))).isZero();

      // the primary's HPA scales the primary (as the HPA controller would), and the user raises
      // the target HPA's maximum in Git
      client
          .apps()
          .deployments()
          .inNamespace(fx.ns)
          .withName("web-primary")
          .edit(
              d -> {
                d.getSpec().setReplicas(3);
                return d;
              });
      client
          .autoscaling()
          .v2()
          .horizontalPodAutoscalers()
          .inNamespace(fx.ns)
          .withName("web")
          .edit(
              h -> {
                h.getSpec().setMaxReplicas(6);
                return h;
              });

      try (var seen = new CanaryFixture.Recorder<>(() -> replicas(fx.deploymentNamed("web")))) {
        fx.setImage("web", "web:2");
        fx.awaitPhase("web", "Succeeded", LONG);
        // scaled from zero to the HPA's minimum (Flagger's ScaleFromZero), then back to zero
        assertThat(seen.seen()).containsSubsequence(0, 2, 0);
      }
      assertThat(image(fx.deploymentNamed("web-primary"))).isEqualTo("web:2");
      assertThat(replicas(fx.deploymentNamed("web-primary")))
          .as("the promotion leaves the primary's replicas to its HPA")
          .isEqualTo(3);
      assertThat(hpa(fx, "web-primary").getSpec().getMaxReplicas())
          .as("the promotion copies the target HPA's spec again")
          .isEqualTo(6);
    }
  }

  @Test
  void aScaledObjectIsCopiedWithItsQueriesAndPausedWhileTheTargetRestsAtZero() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "targets-keda");
    installScaledObjectCrd();
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("api", "api:1", 1);
      create(
          fx,
          """
          apiVersion: keda.sh/v1alpha1
          kind: ScaledObject
          metadata: {name: api}
          spec:
            scaleTargetRef: {name: api}
            minReplicaCount: 3
            maxReplicaCount: 10
            triggers:
              - type: prometheus
                name: rps
                metadata:
                  serverAddress: http://prometheus:9090
                  query: sum(rate(http_requests_total{deployment="api"}[1m]))
                  threshold: "100"
              - type: prometheus
                name: latency
                metadata:
                  serverAddress: http://prometheus:9090
                  query: histogram_quantile(0.99, latency{app="api-canary"})
                  threshold: "1"
          """);
      fx.canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata: {name: api}
          spec:
            targetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
            autoscalerRef:
              apiVersion: keda.sh/v1alpha1
              kind: ScaledObject
              name: api
              primaryScalerQueries: {latency: 'histogram_quantile(0.99, latency{app="primary"})'}
            service: {port: 8080}
            analysis: {interval: 1s, threshold: 2, iterations: 1}
          """);
      fx.awaitPhase("api", "Initialized", LONG);

      GenericKubernetesResource primary = scaledObject(fx, "api-primary");
      Map<String, Object> spec = primary.get("spec");
      assertThat(primary.<String>get("spec", "scaleTargetRef", "name")).isEqualTo("api-primary");
      assertThat(spec).containsEntry("minReplicaCount", 3).containsEntry("maxReplicaCount", 10);
      assertThat(primary.<String>get("spec", "triggers", 0, "metadata", "query"))
          .isEqualTo("sum(rate(http_requests_total{deployment=\"api-primary\"}[1m]))");
      assertThat(primary.<String>get("spec", "triggers", 1, "metadata", "query"))
          .isEqualTo("histogram_quantile(0.99, latency{app=\"primary\"})");
      assertThat(paused(scaledObject(fx, "api"))).isEqualTo("0");
      assertThat(paused(primary)).isNull();

      try (var seen =
          new CanaryFixture.Recorder<>(() -> String.valueOf(paused(scaledObject(fx, "api"))))) {
        fx.setImage("api", "api:2");
        fx.awaitPhase("api", "Succeeded", LONG);
        assertThat(seen.seen())
            .as("resumed for the analysis")
            .containsSubsequence("0", "null", "0");
      }
      assertThat(paused(scaledObject(fx, "api"))).isEqualTo("0");
    }
  }

  @Test
  void aDaemonSetTargetIsScaledByNodeSelectorAnalysedAndPromoted() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "targets-daemonset");
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      create(
          fx,
          """
          apiVersion: apps/v1
          kind: DaemonSet
          metadata: {name: agent, labels: {team: infra}}
          spec:
            selector: {matchLabels: {app: agent}}
            updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}
            template:
              metadata: {labels: {app: agent}}
              spec:
                containers:
                  - name: agent
                    image: agent:1
                    ports: [{name: http, containerPort: 8080}]
          """);
      fx.canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata: {name: agent}
          spec:
            targetRef: {apiVersion: apps/v1, kind: DaemonSet, name: agent}
            service: {port: 8080}
            analysis: {interval: 1s, threshold: 2, iterations: 2}
          """);
      fx.awaitPhase("agent", "Initialized", LONG);
      DaemonSet primary = daemonSet(fx, "agent-primary");
      assertThat(primary.getSpec().getSelector().getMatchLabels())
          .containsExactlyEntriesOf(Map.of("app", "agent-primary"));
      assertThat(
              primary
                  .getSpec()
                  .getUpdateStrategy()
                  .getRollingUpdate()
                  .getMaxUnavailable()
                  .getIntVal())
          .isEqualTo(1);
      assertThat(primary.getSpec().getTemplate().getSpec().getNodeSelector()).isNullOrEmpty();
      assertThat(primary.getMetadata().getLabels()).containsEntry("team", "infra");
      assertThat(nodeSelector(daemonSet(fx, "agent")))
          .as("the target is scaled to zero by a node selector no node has")
          .containsEntry("mooring.dev/scale-to-zero", "true");
      assertThat(fx.service("agent").getSpec().getSelector()).containsEntry("app", "agent-primary");

      try (var seen =
          new CanaryFixture.Recorder<>(() -> nodeSelector(daemonSet(fx, "agent")).toString())) {
        client
            .apps()
            .daemonSets()
            .inNamespace(fx.ns)
            .withName("agent")
            .edit(
                d -> {
                  d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("agent:2");
                  return d;
                });
        fx.awaitPhase("agent", "Succeeded", LONG);
        assertThat(seen.seen())
            .as("scaled up for the analysis, down again after the promotion")
            .containsSubsequence(
                "{mooring.dev/scale-to-zero=true}", "{}", "{mooring.dev/scale-to-zero=true}");
      }
      assertThat(
              daemonSet(fx, "agent-primary")
                  .getSpec()
                  .getTemplate()
                  .getSpec()
                  .getContainers()
                  .get(0)
                  .getImage())
          .isEqualTo("agent:2");
      assertThat(daemonSet(fx, "agent-primary").getSpec().getTemplate().getSpec().getNodeSelector())
          .as("the scale-to-zero selector is never copied to the primary")
          .isNullOrEmpty();
    }
  }

  @Test
  void revertOnDeletionGivesTheTargetItsReplicasAndTheApexServiceBack() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "targets-revert");
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("shop", "shop:1", 2);
      fx.canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata: {name: shop}
          spec:
            targetRef: {apiVersion: apps/v1, kind: Deployment, name: shop}
            revertOnDeletion: true
            service: {port: 8080}
            analysis: {interval: 1s, threshold: 2, iterations: 1}
          """);
      fx.awaitPhase("shop", "Initialized", LONG);
      fx.await("shop", LONG, c -> c.hasFinalizer(CanaryReconciler.FINALIZER));
      assertThat(replicas(fx.deploymentNamed("shop"))).isZero();
      assertThat(fx.service("shop").getSpec().getSelector()).containsEntry("app", "shop-primary");

      client.resources(Canary.class).inNamespace(fx.ns).withName("shop").delete();
      Awaitility.await()
          .atMost(LONG)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> fx.get("shop") == null);
      assertThat(replicas(fx.deploymentNamed("shop"))).isEqualTo(2);
      Service apex = fx.service("shop");
      assertThat(apex).as("the apex Service stays, on the target's pods").isNotNull();
      assertThat(apex.getSpec().getSelector()).containsExactlyEntriesOf(Map.of("app", "shop"));
      assertThat(apex.getMetadata().getOwnerReferences()).isEmpty();
      // the garbage collector takes what the Canary owned
      Awaitility.await()
          .atMost(LONG)
          .pollInterval(Duration.ofMillis(200))
          .until(() -> fx.deploymentNamed("shop-primary") == null);
      assertThat(fx.eventReasons("shop")).contains("Reverted");
    }
  }

  @Test
  void switchingServiceHeadlessRecreatesTheServices() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "targets-headless");
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("db", "db:1", 1);
      fx.canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata: {name: db}
          spec:
            provider: gatewayapi
            targetRef: {apiVersion: apps/v1, kind: Deployment, name: db}
            service: {port: 5432}
            analysis: {interval: 1s, threshold: 2, iterations: 1}
          """);
      GatewayApiCrd.install(client);
      fx.awaitPhase("db", "Initialized", LONG);
      assertThat(fx.service("db-primary").getSpec().getClusterIP()).isNotEqualTo("None");

      client
          .resources(Canary.class)
          .inNamespace(fx.ns)
          .withName("db")
          .edit(
              c -> {
                c.getSpec().service.headless = true;
                return c;
              });
      for (String name : new String[] {"db", "db-primary", "db-canary"}) {
        Awaitility.await()
            .atMost(LONG)
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> fx.service(name),
                s -> s != null && "None".equals(s.getSpec().getClusterIP()));
      }
      fx.await("db", LONG, c -> !CanaryFixture.promoted(c).contains("ActionFailed"));
    }
  }

  @Test
  void withoutRevertOnDeletionNoFinalizerIsHeld() throws Exception {
    CanaryFixture fx = new CanaryFixture(client, "targets-nofinalizer");
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, fx.ns)) {
      fx.deployment("cart", "cart:1", 1);
      fx.canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata: {name: cart, finalizers: [mooring.dev/revert-on-deletion]}
          spec:
            targetRef: {apiVersion: apps/v1, kind: Deployment, name: cart}
            service: {port: 8080}
            analysis: {interval: 1s, threshold: 2, iterations: 1}
          """);
      // a finalizer left from an earlier revertOnDeletion: true is taken off
      fx.await("cart", LONG, c -> !c.hasFinalizer(CanaryReconciler.FINALIZER));
      fx.awaitPhase("cart", "Initialized", LONG);
    }
  }

  private DaemonSet daemonSet(CanaryFixture fx, String name) {
    return client.apps().daemonSets().inNamespace(fx.ns).withName(name).get();
  }

  private static Map<String, String> nodeSelector(DaemonSet d) {
    Map<String, String> selector = d.getSpec().getTemplate().getSpec().getNodeSelector();
    return selector == null ? Map.of() : new java.util.TreeMap<>(selector);
  }

  private void create(CanaryFixture fx, String yaml) {
    HasMetadata object = Serialization.unmarshal(yaml);
    object.getMetadata().setNamespace(fx.ns);
    client.resource(object).create();
  }

  private HorizontalPodAutoscaler hpa(CanaryFixture fx, String name) {
    return client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(fx.ns)
        .withName(name)
        .get();
  }

  private GenericKubernetesResource scaledObject(CanaryFixture fx, String name) {
    return client
        .genericKubernetesResources("keda.sh/v1alpha1", "ScaledObject")
        .inNamespace(fx.ns)
        .withName(name)
        .get();
  }

  private static String paused(GenericKubernetesResource so) {
    Map<String, String> annotations = so.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get("autoscaling.keda.sh/paused-replicas");
  }

  /**
   * KEDA's ScaledObject kind, without KEDA (nothing acts on it; the test reads what is written).
   */
  private void installScaledObjectCrd() {
    CustomResourceDefinition crd =
        Serialization.unmarshal(
            """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: scaledobjects.keda.sh}
            spec:
              group: keda.sh
              scope: Namespaced
              names: {kind: ScaledObject, plural: scaledobjects, singular: scaledobject, listKind: ScaledObjectList}
              versions:
                - name: v1alpha1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """,
            CustomResourceDefinition.class);
    client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(c -> c.update());
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(crd.getMetadata().getName())
        .waitUntilCondition(
            c ->
                c.getStatus() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
            30,
            java.util.concurrent.TimeUnit.SECONDS);
  }
}
