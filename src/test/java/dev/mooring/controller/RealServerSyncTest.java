package dev.mooring.controller;

import static dev.mooring.controller.ClusterFixture.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationStatus;
import dev.mooring.testing.AuditLog;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.RealApiServer;
import dev.mooring.testing.RealKubernetes;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What "Synced" means on a real API server, which defaults, drops zero values, normalises
 * quantities, keeps managedFields and runs the Deployment controller: a corpus of realistic
 * manifests syncs and then stays Synced with no write at all, in both apply modes; changes and
 * removals in Git reach the cluster in both modes; ownership moves from client-side to server-side
 * apply; and kubectl and Mooring read each other's last-applied record.
 */
@QuarkusTest
@WithRealKubernetes(controllers = {"namespace", "garbagecollector", "deployment", "replicaset"})
class RealServerSyncTest {
  static final List<String> CORPUS =
      List.of("workloads.yaml", "services.yaml", "config.yaml", "rbac.yaml", "crd.yaml");

  @Inject KubernetesClient client;
  @RealKubernetes RealApiServer kube;
  ClusterFixture fx;
  Path tmp;

  @BeforeEach
  void setUp() throws Exception {
    fx = new ClusterFixture(client);
    tmp = Files.createTempDirectory("mooring-real");
  }

  @Test
  void theCorpusSyncsAndStaysSyncedWithNoWriteInBothApplyModes() throws Exception {
    for (String mode : List.of("csa", "ssa")) {
      GitRepo repo = GitRepo.init(tmp.resolve("corpus-" + mode));
      for (String file : CORPUS) {
        repo.write(file, corpus(file, mode));
      }
      repo.commit("corpus");
      Application app = fx.app("corpus-" + mode, "corpus", repo.url(), "", true, true);
      if (mode.equals("ssa")) {
        app.getSpec().syncPolicy.syncOptions = List.of("ServerSideApply=true");
      }
      fx.create(app);
    }
    for (String mode : List.of("csa", "ssa")) {
      Application synced =
          fx.awaitApp(
              "corpus-" + mode,
              "corpus",
              a -> ClusterFixture.synced(a, null),
              Duration.ofSeconds(60));
      assertThat(synced.getStatus().resources)
          .as("every object of the corpus (%s)", mode)
          .hasSize(27)
          .allMatch(r -> "Synced".equals(r.status));
    }
    Thread.sleep(2000); // the Deployment controller's first status updates
    long mark = kube.audit().mark();
    Thread.sleep(5000); // refreshInterval 1s: about five no-op reconciles of each app
    List<AuditLog.Entry> byMooring = kube.audit().since(mark, AuditLog.Entry::byMooring);
    assertThat(byMooring.stream().filter(AuditLog.Entry::write).map(e -> e.verb() + " " + e.uri()))
        .as("writes and dry runs while nothing changes")
        .isEmpty();
    assertThat(byMooring.stream().filter(e -> "get".equals(e.verb())).map(AuditLog.Entry::uri))
        .as("single-object reads: the informer cache answers them")
        .isEmpty();
    for (String mode : List.of("csa", "ssa")) {
      Application still = fx.appResource("corpus-" + mode, "corpus").get();
      assertThat(still.getStatus().sync.status).isEqualTo("Synced");
      for (ReplicaSet rs :
          client.apps().replicaSets().inNamespace("corpus-" + mode).list().getItems()) {
        assertThat(rs.getMetadata().getAnnotations())
            .as("the Deployment controller copies annotations, but not kubectl's last-applied")
            .doesNotContainKeys(
                "kubectl.kubernetes.io/last-applied-configuration", "mooring.dev/last-applied");
      }
    }
    Deployment csa = client.apps().deployments().inNamespace("corpus-csa").withName("web").get();
    assertThat(csa.getMetadata().getAnnotations())
        .containsKey("kubectl.kubernetes.io/last-applied-configuration");
    assertThat(managers(csa.getMetadata().getManagedFields())).contains("mooring/Update");
    Deployment ssa = client.apps().deployments().inNamespace("corpus-ssa").withName("web").get();
    assertThat(ssa.getMetadata().getAnnotations())
        .doesNotContainKey("kubectl.kubernetes.io/last-applied-configuration");
    assertThat(managers(ssa.getMetadata().getManagedFields()))
        .contains("mooring/Apply")
        .doesNotContain("mooring/Update", "fabric8-kubernetes-client/Update");
  }

  @Test
  void changesAndRemovalsInGitReachTheClusterInBothApplyModes() throws Exception {
    for (String mode : List.of("csa", "ssa")) {
      String ns = "change-" + mode;
      GitRepo repo = GitRepo.init(tmp.resolve(ns));
      repo.write("app.yaml", changing("1.10", "a", "b", true)).commit("one");
      Application app = fx.app(ns, "web", repo.url(), "", true, true);
      if (mode.equals("ssa")) {
        app.getSpec().syncPolicy.syncOptions = List.of("ServerSideApply=true");
      }
      fx.create(app);
      fx.awaitApp(ns, "web", a -> ClusterFixture.synced(a, null));

      // "1.10" to "1.1" is a change (text, not a number); args swap order; a label and an env
      // variable leave Git
      String two = repo.write("app.yaml", changing("1.1", "b", "a", false)).commit("two");
      fx.awaitApp(ns, "web", a -> ClusterFixture.synced(a, two));
      ConfigMap cm = fx.configMap(ns, "settings");
      assertThat(cm.getData()).as(mode).containsEntry("version", "1.1");
      assertThat(cm.getMetadata().getLabels()).as(mode).doesNotContainKey("tier");
      Deployment d = client.apps().deployments().inNamespace(ns).withName("web").get();
      var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(container.getArgs()).as(mode).containsExactly("b", "a");
      assertThat(container.getEnv()).as(mode).extracting(e -> e.getName()).containsExactly("KEEP");
    }
  }

  @Test
  void switchingToServerSideApplyMovesOwnershipAndLeavesNoStaleLastApplied() throws Exception {
    GitRepo repo = GitRepo.init(tmp.resolve("switch"));
    repo.write("app.yaml", changing("1.10", "a", "b", true)).commit("one");
    fx.create(fx.app("switch", "web", repo.url(), "", true, true));
    fx.awaitApp("switch", "web", a -> ClusterFixture.synced(a, null));
    assertThat(fx.configMap("switch", "settings").getMetadata().getAnnotations())
        .containsKey("kubectl.kubernetes.io/last-applied-configuration");

    fx.edit(
        "switch",
        "web",
        a -> {
          a.getSpec().syncPolicy.syncOptions = List.of("ServerSideApply=true");
          return a;
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ConfigMap cm = fx.configMap("switch", "settings");
              assertThat(cm.getMetadata().getAnnotations())
                  .doesNotContainKey("kubectl.kubernetes.io/last-applied-configuration");
              assertThat(managers(cm.getMetadata().getManagedFields()))
                  .contains("mooring/Apply")
                  .doesNotContain("mooring/Update");
            });
    // what the client-side applies set is now the apply's: a field Git drops goes
    String two = repo.write("app.yaml", changing("1.10", "a", "b", false)).commit("two");
    fx.awaitApp("switch", "web", a -> ClusterFixture.synced(a, two));
    assertThat(fx.configMap("switch", "settings").getMetadata().getLabels())
        .doesNotContainKey("tier");
  }

  @Test
  void aConflictWithAnotherFieldManagerIsReportedOnTheResource() throws Exception {
    GitRepo repo = GitRepo.init(tmp.resolve("conflict"));
    repo.write("cm.yaml", configMap("settings", "color", "blue")).commit("one");
    Application app = fx.app("conflict", "web", repo.url(), "", true, true);
    app.getSpec().syncPolicy.syncOptions = List.of("ServerSideApply=true");
    fx.create(app);
    fx.awaitApp("conflict", "web", a -> ClusterFixture.synced(a, null));

    try (KubernetesClient other = kube.newClient()) {
      other
          .configMaps()
          .inNamespace("conflict")
          .resource(
              new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("settings")
                  .endMetadata()
                  .addToData("color", "red")
                  .build())
          .fieldManager("hand-edit")
          .forceConflicts()
          .serverSideApply();
    }
    Application healed =
        fx.awaitApp(
            "conflict",
            "web",
            a ->
                ClusterFixture.synced(a, null)
                    && a.getStatus().operationState != null
                    && a.getStatus().operationState.syncResult != null
                    && a.getStatus().operationState.syncResult.resources.stream()
                        .anyMatch(r -> r.message != null && r.message.contains("hand-edit")));
    ApplicationStatus.ResourceResult result =
        healed.getStatus().operationState.syncResult.resources.get(0);
    assertThat(result.action).isEqualTo("configured");
    assertThat(result.message)
        .contains("took over from other field managers")
        .contains(".data.color");
    assertThat(fx.configMap("conflict", "settings").getData()).containsEntry("color", "blue");
  }

  @Test
  void kubectlApplyAndMooringReadEachOthersLastApplied() throws Exception {
    fx.namespace("interop");
    // first applied by hand with kubectl, with a key Git will not have
    Path manual = tmp.resolve("manual.yaml");
    Files.writeString(
        manual,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: interop}\n"
            + "data: {color: blue, handmade: \"yes\"}\n");
    kube.kubectl("apply", "-f", manual.toString());

    GitRepo repo = GitRepo.init(tmp.resolve("interop"));
    repo.write("cm.yaml", configMap("settings", "color", "green")).commit("one");
    fx.create(fx.app("interop", "web", repo.url(), "", true, false));
    fx.awaitApp("interop", "web", a -> ClusterFixture.synced(a, null));
    assertThat(fx.configMap("interop", "settings").getData())
        .as("kubectl's last apply had handmade, Git does not: Mooring removes it")
        .containsEntry("color", "green")
        .doesNotContainKey("handmade");

    // kubectl apply after Mooring: kubectl reads Mooring's record, so a key Mooring applied and
    // the file leaves out is removed, as between two kubectl applies
    Files.writeString(
        manual,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: interop}\n"
            + "data: {size: large}\n");
    kube.kubectl("apply", "-f", manual.toString());
    assertThat(fx.configMap("interop", "settings").getData())
        .containsEntry("size", "large")
        .doesNotContainKey("color");
  }

  private static Set<String> managers(List<ManagedFieldsEntry> entries) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (ManagedFieldsEntry e : entries) {
      if (e.getSubresource() == null || e.getSubresource().isEmpty()) {
        out.add(e.getManager() + "/" + e.getOperation());
      }
    }
    return out;
  }

  /** A ConfigMap and a Deployment; the second commit changes and drops fields. */
  private static String changing(String version, String arg1, String arg2, boolean extras) {
    return String.join(
        "\n",
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: settings",
        extras ? "  labels: {tier: frontend, app: web}" : "  labels: {app: web}",
        "data:",
        "  version: \"" + version + "\"",
        "---",
        "apiVersion: apps/v1",
        "kind: Deployment",
        "metadata: {name: web}",
        "spec:",
        "  selector: {matchLabels: {app: web}}",
        "  template:",
        "    metadata: {labels: {app: web}}",
        "    spec:",
        "      containers:",
        "        - name: web",
        "          image: busybox:1.36",
        "          args: [" + arg1 + ", " + arg2 + "]",
        "          env:",
        extras ? "            - {name: DROPPED, value: \"1\"}" : "",
        "            - {name: KEEP, value: \"1\"}",
        "");
  }

  static String corpus(String file, String mode) throws IOException {
    try (InputStream in = RealServerSyncTest.class.getResourceAsStream("/corpus/" + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${MODE}", mode);
    }
  }
}
