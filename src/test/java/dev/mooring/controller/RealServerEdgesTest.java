package dev.mooring.controller;

import static dev.mooring.controller.ClusterFixture.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationStatus;
import dev.mooring.sync.PruneGuard;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cluster behaviour only a real API server shows: validation and immutable fields refuse an object
 * before anything of the sync is written; a custom resource's status is judged on the generation
 * its controller observed; pruning a Namespace or CRD that still holds objects Mooring does not
 * track waits for a confirmation; a CRD deleted by hand comes back, and so does the watch of its
 * kind.
 */
@QuarkusTest
@WithRealKubernetes
class RealServerEdgesTest {
  static final ResourceDefinitionContext CHECKS = context("checks", "Check");

  @Inject KubernetesClient client;
  ClusterFixture fx;
  Path tmp;

  @BeforeEach
  void setUp() throws Exception {
    fx = new ClusterFixture(client);
    tmp = Files.createTempDirectory("mooring-real-edges");
  }

  @Test
  void anObjectTheServerRefusesFailsThatResourceAndNothingOfTheSyncIsWritten() throws Exception {
    GitRepo repo = GitRepo.init(tmp.resolve("refused"));
    String one =
        repo.write("cm.yaml", configMap("kept", "v", "1"))
            .write("job.yaml", job("busybox:1.36"))
            .commit("one");
    fx.create(fx.app("refused", "web", repo.url(), "", true, true));
    fx.awaitApp("refused", "web", a -> ClusterFixture.synced(a, one));

    // a new object, a changed one, a Deployment the schema refuses (negative replicas) and a
    // change to an immutable field (a Job's pod template)
    repo.write("cm.yaml", configMap("kept", "v", "2"))
        .write("new.yaml", configMap("fresh", "v", "1"))
        .write(
            "bad.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: bad}\nspec:\n  replicas: -1\n"
                + "  selector: {matchLabels: {app: bad}}\n  template:\n    metadata: {labels: {app: bad}}\n"
                + "    spec: {containers: [{name: c, image: busybox:1.36}]}\n")
        .write("job.yaml", job("busybox:1.37"))
        .commit("two");
    Application failed =
        fx.awaitApp(
            "refused",
            "web",
            a ->
                a.getStatus().operationState != null
                    && "Failed".equals(a.getStatus().operationState.phase)
                    && !one.equals(a.getStatus().sync.revision));
    ApplicationStatus.OperationState op = failed.getStatus().operationState;
    assertThat(op.message).contains("refused, nothing was written");
    Map<String, ApplicationStatus.ResourceResult> byName = byName(op.syncResult.resources);
    assertThat(byName.get("bad").action).isEqualTo("failed");
    assertThat(byName.get("bad").message).contains("spec.replicas");
    assertThat(byName.get("migrate").action).isEqualTo("failed");
    assertThat(byName.get("migrate").message).contains("immutable");
    assertThat(byName.get("fresh").action).isEqualTo("skipped");
    assertThat(byName.get("kept").action).isEqualTo("skipped");
    assertThat(fx.configMap("refused", "fresh")).isNull();
    assertThat(fx.configMap("refused", "kept").getData()).containsEntry("v", "1");
    assertThat(failed.getStatus().resources)
        .filteredOn(r -> "bad".equals(r.name))
        .singleElement()
        .satisfies(r -> assertThat(r.message).contains("rejected by the API server"));
    assertThat(ClusterFixture.readyMessage(failed)).contains("bad").contains("spec.replicas");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                client.v1().events().inNamespace("refused").list().getItems().stream()
                    .anyMatch(
                        e ->
                            "SyncFailed".equals(e.getReason())
                                && e.getMessage().contains("spec.replicas")));

    // the fix supersedes the refused commit at once
    repo.delete("bad.yaml").write("job.yaml", job("busybox:1.36"));
    String three = repo.commit("three");
    fx.awaitApp("refused", "web", a -> ClusterFixture.synced(a, three));
    assertThat(fx.configMap("refused", "fresh")).isNotNull();
    assertThat(fx.configMap("refused", "kept").getData()).containsEntry("v", "2");
  }

  @Test
  void aFixedCustomResourceIsJudgedOnTheGenerationItsControllerObserved() throws Exception {
    GitRepo repo = GitRepo.init(tmp.resolve("generation"));
    repo.write("crd.yaml", crd("checks", "Check"))
        .write("check.yaml", cr("Check", "probe", 1))
        .commit("one");
    fx.create(fx.app("generation", "web", repo.url(), "", true, true));
    fx.awaitApp("generation", "web", a -> ClusterFixture.synced(a, null));
    playController(false); // the check breaks: Degraded, at the generation it describes
    fx.awaitApp("generation", "web", a -> "Degraded".equals(a.getStatus().health.status));

    // the fix, and an object of the next wave that waits for the check to be healthy
    String fix =
        repo.write("check.yaml", cr("Check", "probe", 2))
            .write("after.yaml", wave1(configMap("after", "v", "1")))
            .commit("fix");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> checkObject().getMetadata().getGeneration() == 2L);
    // the status still speaks of generation 1 (failing): that is no verdict on the fix
    Thread.sleep(1500);
    Application waiting = fx.appResource("generation", "web").get();
    assertThat(waiting.getStatus().operationState.phase).isEqualTo("Running");
    assertThat(fx.configMap("generation", "after")).isNull();
    playController(true); // its controller observed generation 2: passing
    fx.awaitApp("generation", "web", a -> ClusterFixture.synced(a, fix));
    assertThat(fx.configMap("generation", "after")).isNotNull();
  }

  @Test
  void aNamespaceOrCrdHoldingObjectsMooringDoesNotTrackIsPrunedOnlyWhenConfirmed()
      throws Exception {
    GitRepo repo = GitRepo.init(tmp.resolve("guard"));
    repo.write(
            "ns.yaml",
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-x}\n---\n"
                + configMap("inside", "v", "1")
                    .replace("metadata:\n", "metadata:\n  namespace: team-x\n"))
        .write("crd.yaml", crd("audits", "Audit"))
        .write("audit.yaml", cr("Audit", "probe", 1))
        .write("keep.yaml", configMap("kept", "v", "1"))
        .commit("one");
    fx.create(fx.app("guard", "web", repo.url(), "", true, true));
    fx.awaitApp("guard", "web", a -> a.getStatus() != null && a.getStatus().history.size() == 1);
    // objects Mooring does not track: deleting the namespace or the CRD would delete them too
    client
        .configMaps()
        .inNamespace("team-x")
        .resource(new ConfigMapBuilder().withNewMetadata().withName("theirs").endMetadata().build())
        .create();
    GenericKubernetesResource foreign = new GenericKubernetesResource();
    foreign.setApiVersion("example.com/v1");
    foreign.setKind("Audit");
    foreign.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName("other")
            .withNamespace("guard")
            .build());
    client
        .genericKubernetesResources(context("audits", "Audit"))
        .inNamespace("guard")
        .resource(foreign)
        .create();

    repo.delete("ns.yaml").delete("crd.yaml").delete("audit.yaml").commit("two");
    Application skipped =
        fx.awaitApp(
            "guard",
            "web",
            a ->
                a.getStatus().operationState != null
                    && a.getStatus().operationState.syncResult != null
                    && pruneSkipped(a, "team-x")
                    && pruneSkipped(a, "audits.example.com"));
    Map<String, ApplicationStatus.ResourceResult> byName =
        byName(skipped.getStatus().operationState.syncResult.resources);
    // what the app itself tracked inside them is pruned (the garbage collector finishes a
    // foreground deletion of a new CRD's resource once it has discovered the kind, up to 30 s)
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              assertThat(fx.configMap("team-x", "inside")).isNull();
              var probe =
                  client
                      .genericKubernetesResources(context("audits", "Audit"))
                      .inNamespace("guard")
                      .withName("probe")
                      .get();
              assertThat(probe == null || probe.getMetadata().getDeletionTimestamp() != null)
                  .isTrue();
            });
    assertThat(byName.get("team-x").action).isEqualTo("prune-skipped");
    assertThat(byName.get("team-x").message)
        .contains("ConfigMap team-x/theirs")
        .contains(PruneGuard.CONFIRM_ANNOTATION + "=Namespace/team-x");
    assertThat(byName.get("audits.example.com").action).isEqualTo("prune-skipped");
    assertThat(byName.get("audits.example.com").message).contains("Audit guard/other");
    assertThat(client.namespaces().withName("team-x").get().getMetadata().getDeletionTimestamp())
        .isNull();

    fx.edit(
        "guard",
        "web",
        a -> {
          a.getMetadata().getAnnotations().put(PruneGuard.CONFIRM_ANNOTATION, "Namespace/team-x");
          return a;
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              var ns = client.namespaces().withName("team-x").get();
              return ns == null || ns.getMetadata().getDeletionTimestamp() != null;
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                !fx.appResource("guard", "web")
                    .get()
                    .getMetadata()
                    .getAnnotations()
                    .containsKey(PruneGuard.CONFIRM_ANNOTATION));
    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("audits.example.com")
                .get())
        .as("not confirmed: kept")
        .isNotNull();
  }

  @Test
  void aCrdDeletedByHandComesBackAndSoDoesTheWatchOfItsKind() throws Exception {
    GitRepo repo = GitRepo.init(tmp.resolve("comeback"));
    repo.write("crd.yaml", crd("probes", "Probe"))
        .write("probe.yaml", cr("Probe", "p1", 1))
        .commit("one");
    fx.create(fx.app("comeback", "web", repo.url(), "", true, true));
    fx.awaitApp("comeback", "web", a -> ClusterFixture.synced(a, null));
    ResourceDefinitionContext probes = context("probes", "Probe");

    var crds = client.apiextensions().v1().customResourceDefinitions();
    String uid = crds.withName("probes.example.com").get().getMetadata().getUid();
    crds.withName("probes.example.com").delete();
    // gone, and (self-heal is quick) perhaps created again already
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              var crd = crds.withName("probes.example.com").get();
              return crd == null || !uid.equals(crd.getMetadata().getUid());
            });
    // self-heal brings back the CRD, then the resource; the watch of Probe starts again
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              try {
                return client
                        .genericKubernetesResources(probes)
                        .inNamespace("comeback")
                        .withName("p1")
                        .get()
                    != null;
              } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                return false; // not served yet
              }
            });
    fx.awaitApp("comeback", "web", a -> ClusterFixture.synced(a, null));
    // and the watch sees drift again: a changed spec is healed
    GenericKubernetesResource p1 =
        client.genericKubernetesResources(probes).inNamespace("comeback").withName("p1").get();
    p1.setAdditionalProperty("spec", Map.of("version", 99));
    client.genericKubernetesResources(probes).inNamespace("comeback").resource(p1).update();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Integer.valueOf(1)
                    .equals(
                        ((Map<?, ?>)
                                client
                                    .genericKubernetesResources(probes)
                                    .inNamespace("comeback")
                                    .withName("p1")
                                    .get()
                                    .getAdditionalProperties()
                                    .get("spec"))
                            .get("version")));
  }

  /** Plays the Check controller once: status for the current generation. */
  private void playController(boolean good) {
    GenericKubernetesResource check = checkObject();
    check.setAdditionalProperty(
        "status",
        Map.of(
            "observedGeneration",
            check.getMetadata().getGeneration(),
            "conditions",
            List.of(
                Map.of(
                    "type",
                    "Ready",
                    "status",
                    good ? "True" : "False",
                    "reason",
                    good ? "Passing" : "Failing",
                    "message",
                    good ? "all good" : "probe failing"))));
    client
        .genericKubernetesResources(CHECKS)
        .inNamespace("generation")
        .resource(check)
        .updateStatus();
  }

  private GenericKubernetesResource checkObject() {
    try {
      return client
          .genericKubernetesResources(CHECKS)
          .inNamespace("generation")
          .withName("probe")
          .get();
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      return null;
    }
  }

  private static boolean pruneSkipped(Application app, String name) {
    ApplicationStatus.ResourceResult r =
        byName(app.getStatus().operationState.syncResult.resources).get(name);
    return r != null && "prune-skipped".equals(r.action);
  }

  private static Map<String, ApplicationStatus.ResourceResult> byName(
      List<ApplicationStatus.ResourceResult> results) {
    Map<String, ApplicationStatus.ResourceResult> out = new java.util.HashMap<>();
    results.forEach(r -> out.put(r.name, r));
    return out;
  }

  private static String wave1(String manifest) {
    return manifest.replace(
        "metadata:\n", "metadata:\n  annotations: {mooring.dev/sync-wave: \"1\"}\n");
  }

  private static String cr(String kind, String name, int version) {
    return "apiVersion: example.com/v1\nkind: "
        + kind
        + "\nmetadata: {name: "
        + name
        + "}\nspec: {version: "
        + version
        + "}\n";
  }

  private static ResourceDefinitionContext context(String plural, String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("example.com")
        .withVersion("v1")
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  private static String job(String image) {
    return "apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  template:\n"
        + "    spec:\n      restartPolicy: Never\n      containers: [{name: m, image: "
        + image
        + "}]\n";
  }

  static String crd(String plural, String kind) {
    return String.join(
        "\n",
        "apiVersion: apiextensions.k8s.io/v1",
        "kind: CustomResourceDefinition",
        "metadata: {name: " + plural + ".example.com}",
        "spec:",
        "  group: example.com",
        "  names: {kind: " + kind + ", plural: " + plural + "}",
        "  scope: Namespaced",
        "  versions:",
        "  - name: v1",
        "    served: true",
        "    storage: true",
        "    subresources: {status: {}}",
        "    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}",
        "");
  }
}
