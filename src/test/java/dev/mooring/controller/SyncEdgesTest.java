package dev.mooring.controller;

import static dev.mooring.controller.ClusterFixture.configMap;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Edges of the sync: unreachable Git, new kinds, huge objects, namespaces, metrics. */
@QuarkusTest
@WithRealKubernetes
class SyncEdgesTest {
  @Inject KubernetesClient client;
  ClusterFixture fx;
  Path tmp;

  @BeforeEach
  void setUp() throws Exception {
    fx = new ClusterFixture(client);
    tmp = Files.createTempDirectory("mooring-edges");
  }

  @Test
  void anUnreachableRepositoryKeepsTheLastGoodStateAndSaysWhy() throws Exception {
    Path origin = tmp.resolve("origin");
    GitRepo repo = GitRepo.init(origin);
    repo.write("cm.yaml", configMap("kept", "v", "1")).commit("one");
    fx.create(fx.app("unreachable", "web", repo.url(), "", true, true));
    fx.awaitApp("unreachable", "web", a -> ClusterFixture.synced(a, null));

    Files.move(origin, tmp.resolve("gone")); // the repository disappears

    Application app =
        fx.awaitApp(
            "unreachable", "web", a -> "SourceUnreachable".equals(ClusterFixture.readyReason(a)));
    assertThat(ClusterFixture.readyMessage(app)).contains("showing the last fetched revision");
    assertThat(app.getStatus().sync.status).isEqualTo("Synced");
    assertThat(fx.configMap("unreachable", "kept")).isNotNull();
  }

  @Test
  void credentialsInTheRepoUrlAreRefusedAndNeverShown() {
    fx.create(
        fx.app("userinfo", "web", "https://bob:hunter2-pw@127.0.0.1:1/org/x.git", "", true, true));
    Application app =
        fx.awaitApp("userinfo", "web", a -> "InvalidSpec".equals(ClusterFixture.readyReason(a)));
    assertThat(ClusterFixture.readyMessage(app)).contains("secretRef").doesNotContain("hunter2-pw");
  }

  @Test
  void aCustomResourceIsAppliedInTheSameSyncAsItsCrd() {
    GitRepo repo = GitRepo.init(tmp.resolve("crd"));
    repo.write(
            "crd.yaml",
            String.join(
                "\n",
                "apiVersion: apiextensions.k8s.io/v1",
                "kind: CustomResourceDefinition",
                "metadata: {name: widgets.example.com}",
                "spec:",
                "  group: example.com",
                "  names: {kind: Widget, plural: widgets, singular: widget}",
                "  scope: Namespaced",
                "  versions:",
                "  - name: v1",
                "    served: true",
                "    storage: true",
                "    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}",
                ""))
        .write(
            "widget.yaml",
            "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: gear}\nspec: {teeth: 12}\n")
        .commit("crd and cr");
    fx.create(fx.app("crds", "web", repo.url(), "", true, false));

    Application app = fx.awaitApp("crds", "web", a -> ClusterFixture.synced(a, null));
    List<String> order =
        app.getStatus().operationState.syncResult.resources.stream().map(r -> r.kind).toList();
    assertThat(order).containsExactly("CustomResourceDefinition", "Widget");
    GenericKubernetesResource gear =
        client
            .genericKubernetesResources(
                new ResourceDefinitionContext.Builder()
                    .withGroup("example.com")
                    .withVersion("v1")
                    .withKind("Widget")
                    .withPlural("widgets")
                    .withNamespaced(true)
                    .build())
            .inNamespace("crds")
            .withName("gear")
            .get();
    assertThat(gear).isNotNull();
    assertThat(gear.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "mooring");
  }

  @Test
  void anObjectTooLargeForTheAnnotationStillAppliesAndUpdates() {
    String big = "x".repeat(300 * 1024);
    GitRepo repo = GitRepo.init(tmp.resolve("large"));
    repo.write("cm.yaml", configMap("huge", "blob", big)).commit("one");
    fx.create(fx.app("large", "web", repo.url(), "", true, false));
    fx.awaitApp("large", "web", a -> ClusterFixture.synced(a, null));
    assertThat(fx.configMap("large", "huge").getMetadata().getAnnotations())
        .doesNotContainKeys(
            "kubectl.kubernetes.io/last-applied-configuration", "mooring.dev/last-applied");

    String second = repo.write("cm.yaml", configMap("huge", "blob", big + "y")).commit("two");
    fx.awaitApp("large", "web", a -> ClusterFixture.synced(a, second));
    assertThat(fx.configMap("large", "huge").getData().get("blob")).endsWith("y");
  }

  @Test
  void createNamespaceCreatesTheDestinationAndMetricsCountTheSync() {
    GitRepo repo = GitRepo.init(tmp.resolve("ns"));
    repo.write("cm.yaml", configMap("inside", "v", "1")).commit("one");
    fx.namespace("apps");
    Application app = fx.app("apps", "web", repo.url(), "", true, false);
    app.getSpec().destination.namespace = "brand-new";
    app.getSpec().syncPolicy.syncOptions = List.of("CreateNamespace=true");
    fx.create(app);
    fx.awaitApp("apps", "web", a -> ClusterFixture.synced(a, null));
    assertThat(client.namespaces().withName("brand-new").get()).isNotNull();
    assertThat(fx.configMap("brand-new", "inside")).isNotNull();

    String metrics = given().get("/q/metrics").asString();
    assertThat(metrics)
        .contains("mooring_sync_seconds_count{result=\"Succeeded\",trigger=\"automated\"}");
    assertThat(metrics).contains("mooring_objects_total{action=\"created\"}");
    assertThat(metrics).contains("mooring_git_fetch_seconds");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                client.v1().events().inNamespace("apps").list().getItems().stream()
                    .anyMatch(e -> "SyncSucceeded".equals(e.getReason())));
  }
}
