package dev.mooring.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.mooring.rollout.CanaryFeatures;
import dev.mooring.rollout.CanarySettings;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One malformed object never keeps the others of its kind from being read. fabric8's CRUD mock (the
 * sandbox) stores whatever it is sent, so an unknown field or a wrong type reaches the informer's
 * list; the client's ObjectMapper is a plain {@code new ObjectMapper()} (Quarkus' {@code
 * KubernetesClientObjectMapperProducer}, not the REST one), which fails on unknown properties by
 * Jackson's default, and one failing item used to fail the whole list.
 */
class MalformedResourcesTest {
  private static final String NS = "shop";

  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    // CRUD mode, as the sandbox runs it: whatever is sent is stored
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(List.of()),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    // as Quarkus builds it: a fresh ObjectMapper of its own
    client =
        new KubernetesClientBuilder()
            .withConfig(server.createClient().getConfiguration())
            .withKubernetesSerialization(new KubernetesSerialization(new ObjectMapper(), false))
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  @Test
  void jacksonsDefaultMapperRefusesAnUnknownFieldOfAPlainClass() {
    // the cause: without the tolerant reader, this is what happened to the whole list
    assertThatThrownBy(
            () ->
                new ObjectMapper()
                    .readValue("{\"port\": 80, \"futureField\": 1}", CanaryService.class))
        .isInstanceOf(UnrecognizedPropertyException.class);
  }

  @Test
  void theCanaryInformerReadsEveryCanaryNextToAnUnknownFieldAndAWrongType() throws Exception {
    create(
        "canaries",
        "Canary",
        "good",
        Map.of("targetRef", Map.of("name", "good"), "service", Map.of("port", 80)));
    create(
        "canaries",
        "Canary",
        "unknown-field",
        Map.of(
            "targetRef",
            Map.of("name", "web"),
            "service",
            Map.of("port", 80, "futureFlaggerField", "x")));
    create(
        "canaries",
        "Canary",
        "wrong-type",
        Map.of(
            "targetRef",
            Map.of("name", "api"),
            "service",
            Map.of("port", 80),
            "analysis",
            Map.of("interval", Map.of("a", 1))));

    SharedIndexInformer<Canary> informer =
        client.resources(Canary.class).inNamespace(NS).runnableInformer(0);
    try {
      informer.start().toCompletableFuture().get(20, TimeUnit.SECONDS);
      Map<String, Canary> read = byName(informer.getStore().list());

      assertThat(read).containsOnlyKeys("good", "unknown-field", "wrong-type");
      Canary good = read.get("good");
      assertThat(good.getSpec().targetRef.name).isEqualTo("good");
      assertThat(good.unreadable()).isNull();
      assertThat(good.getSpec().ignoredFields).isNull();

      Canary unknown = read.get("unknown-field");
      assertThat(unknown.getSpec().service.port).isEqualTo(80);
      assertThat(unknown.getSpec().ignoredFields)
          .containsExactly("spec.service.futureFlaggerField");
      assertThat(CanaryFeatures.unsupported(unknown.getSpec(), "kubernetes"))
          .containsExactly(
              "spec.service.futureFlaggerField is not a Canary field Mooring knows; it was"
                  + " ignored");

      Canary wrong = read.get("wrong-type");
      assertThat(wrong.getSpec()).as("never acted on in part").isNull();
      assertThat(wrong.unreadable())
          .isEqualTo(
              "spec cannot be read: spec.analysis.interval: a string was expected, not an object");
      assertThatThrownBy(() -> CanarySettings.of(wrong))
          .as("the reconciler's InvalidSpec status")
          .isInstanceOf(CanarySettings.InvalidCanaryException.class)
          .hasMessage(
              "spec cannot be read: spec.analysis.interval: a string was expected, not an object");
    } finally {
      informer.close();
    }
  }

  @Test
  void applicationsMetricTemplatesAndPipelinesAreListedNextToMalformedOnes() {
    Map<String, Object> source = Map.of("repoURL", "https://git.example.com/shop.git");
    create("applications", "Application", "good", Map.of("source", source));
    create(
        "applications",
        "Application",
        "bad",
        Map.of("source", source, "revisionHistoryLimit", Map.of("a", 1), "typo", true));
    create("metrictemplates", "MetricTemplate", "good", Map.of("query", "up"));
    create("metrictemplates", "MetricTemplate", "bad", Map.of("query", List.of(1)));
    create("pipelines", "Pipeline", "good", Map.of("source", source));
    create("pipelines", "Pipeline", "bad", Map.of("source", source, "stages", "dev"));

    Map<String, Application> apps = list(Application.class);
    assertThat(apps).containsOnlyKeys("good", "bad");
    assertThat(apps.get("good").getSpec().source.repoURL).endsWith("shop.git");
    assertThat(apps.get("bad").getSpec()).isNull();
    assertThat(apps.get("bad").unreadable())
        .isEqualTo(
            "spec cannot be read: spec.revisionHistoryLimit: a number was expected, not an"
                + " object");

    Map<String, MetricTemplate> templates = list(MetricTemplate.class);
    assertThat(templates).containsOnlyKeys("good", "bad");
    assertThat(templates.get("good").getSpec().query).isEqualTo("up");
    assertThat(templates.get("bad").unreadable())
        .isEqualTo("spec cannot be read: spec.query: a string was expected, not a list");

    Map<String, Pipeline> pipelines = list(Pipeline.class);
    assertThat(pipelines).containsOnlyKeys("good", "bad");
    assertThat(pipelines.get("good").unreadable()).isNull();
    assertThat(pipelines.get("bad").unreadable())
        .isEqualTo("spec cannot be read: spec.stages: a list was expected, not a string (\"dev\")");
  }

  @Test
  void aBadApplicationOperationIsLeftUnreadAndTheSpecStillRuns() {
    Application app =
        Serialization.unmarshal(
            """
            apiVersion: mooring.dev/v1alpha1
            kind: Application
            metadata: {name: shop, namespace: shop}
            spec: {source: {repoURL: "https://git.example.com/shop.git"}}
            operation: {sync: {revision: [main]}}
            """,
            Application.class);

    assertThat(app.getSpec().source.repoURL).endsWith("shop.git");
    assertThat(app.getOperation()).as("a half-read sync could sync the wrong revision").isNull();
    assertThat(app.unreadable())
        .isEqualTo(
            "operation cannot be read: operation.sync.revision: a string was expected, not a"
                + " list");
  }

  @Test
  void aWrongValueInStatusIsDroppedAndTheRestOfTheStatusKept() {
    Canary canary =
        Serialization.unmarshal(
            """
            apiVersion: mooring.dev/v1alpha1
            kind: Canary
            metadata: {name: podinfo, namespace: shop}
            spec: {targetRef: {name: podinfo}, service: {port: 80}}
            status: {phase: Succeeded, canaryWeight: lots}
            """,
            Canary.class);

    assertThat(canary.getSpec()).isNotNull();
    assertThat(canary.unreadable()).isNull();
    assertThat(canary.getStatus().phase).isEqualTo("Succeeded");
    assertThat(canary.getStatus().canaryWeight).isNull();
  }

  @Test
  void aWellFormedCanaryRoundTripsUnchanged() {
    String yaml =
        """
        apiVersion: mooring.dev/v1alpha1
        kind: Canary
        metadata: {name: podinfo, namespace: shop}
        spec:
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
          service: {port: 80, headless: true, trafficDistribution: PreferClose}
          analysis: {interval: 1m, webhooks: [{name: a, url: "https://a", disableTLS: true}]}
        """;
    Canary canary = Serialization.unmarshal(yaml, Canary.class);

    assertThat(Serialization.asJson(Serialization.clone(canary)))
        .isEqualTo(Serialization.asJson(canary));
    assertThat(canary.getSpec().analysis.webhooks.get(0).disableTLS).isTrue();
    assertThat(Serialization.asJson(canary)).contains("\"disableTLS\":true");
  }

  private void create(String plural, String kind, String name, Map<String, Object> spec) {
    GenericKubernetesResource resource = new GenericKubernetesResource();
    resource.setApiVersion("mooring.dev/v1alpha1");
    resource.setKind(kind);
    resource.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(name)
            .withNamespace(NS)
            .build());
    resource.setAdditionalProperty("spec", spec);
    client
        .genericKubernetesResources(
            new ResourceDefinitionContext.Builder()
                .withGroup("mooring.dev")
                .withVersion("v1alpha1")
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build())
        .inNamespace(NS)
        .resource(resource)
        .create();
  }

  private <R extends CustomResource<?, ?>> Map<String, R> list(Class<R> type) {
    return byName(client.resources(type).inNamespace(NS).list().getItems());
  }

  private static <R extends CustomResource<?, ?>> Map<String, R> byName(List<R> items) {
    return items.stream()
        .collect(Collectors.toMap(r -> r.getMetadata().getName(), Function.identity()));
  }
}
