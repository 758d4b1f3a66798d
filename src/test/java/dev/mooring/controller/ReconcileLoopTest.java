package dev.mooring.controller;

import static dev.mooring.controller.ClusterFixture.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.Operation;
import dev.mooring.sync.Tracking;
import dev.mooring.testing.AuditLog;
import dev.mooring.testing.GitHttpServer;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.RealApiServer;
import dev.mooring.testing.RealKubernetes;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole loop against the mock API server and real local Git repositories. */
@QuarkusTest
@WithRealKubernetes
class ReconcileLoopTest {
  @RealKubernetes RealApiServer kube;
  @Inject KubernetesClient client;
  ClusterFixture fx;
  Path tmp;

  @BeforeEach
  void setUp() throws Exception {
    fx = new ClusterFixture(client);
    tmp = Files.createTempDirectory("mooring-it");
  }

  private GitRepo repo(String name) {
    return GitRepo.init(tmp.resolve(name));
  }

  @Test
  void firstSyncAppliesEveryObjectMarksItAndRecordsHistory() {
    GitRepo repo = repo("first");
    String sha =
        repo.write("app/cm.yaml", configMap("settings", "color", "blue"))
            .write(
                "app/more.yaml",
                configMap("other", "a", "1") + "---\n" + configMap("third", "b", "2"))
            .write(
                "app/secret.yaml",
                "apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\n"
                    + "data: {token: aHVudGVyMi12ZXJ5LXNlY3JldA==}\n"
                    + "stringData: {user: hunter2-user}\n")
            .commit("first");
    fx.create(fx.app("first", "web", repo.url(), "app", true, true));

    Application app = fx.awaitApp("first", "web", a -> ClusterFixture.synced(a, sha));
    ConfigMap cm = fx.configMap("first", "settings");
    assertThat(cm.getData()).containsEntry("color", "blue");
    assertThat(cm.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "mooring")
        .containsEntry("mooring.dev/app", "first.web");
    assertThat(cm.getMetadata().getAnnotations())
        .containsEntry("mooring.dev/tracking-id", "first/web:/ConfigMap:first/settings");
    assertThat(fx.configMap("first", "third")).isNotNull();
    var secret = client.secrets().inNamespace("first").withName("creds").get();
    assertThat(secret.getData()).containsKeys("token", "user"); // the server folds stringData
    assertThat(secret.getMetadata().getAnnotations().toString())
        .contains("kubectl.kubernetes.io/last-applied-configuration")
        .doesNotContain("aHVudGVyMi12ZXJ5LXNlY3JldA==", "hunter2-user");
    assertThat(app.getStatus().operationState.phase).isEqualTo("Succeeded");
    assertThat(app.getStatus().operationState.syncResult.resources)
        .extracting(r -> r.action)
        .containsOnly("created");
    assertThat(app.getStatus().history).hasSize(1);
    assertThat(app.getStatus().history.get(0).revision).isEqualTo(sha);
    assertThat(app.getStatus().resources).hasSize(4);
    assertThat(ClusterFixture.readyReason(app)).isEqualTo("Synced");
  }

  @Test
  void aNewCommitChangesTheObjectAndARemovedFileIsPrunedButForeignObjectsSurvive() {
    GitRepo repo = repo("change");
    repo.write("app/cm.yaml", configMap("settings", "color", "blue"))
        .write("app/old.yaml", configMap("old", "x", "1"))
        .commit("first");
    fx.create(fx.app("change", "web", repo.url(), "app", true, false));
    fx.awaitApp("change", "web", a -> ClusterFixture.synced(a, null));
    // a foreign object, and one that carries this app's label but another app's tracking id
    client
        .configMaps()
        .inNamespace("change")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("foreign")
                .endMetadata()
                .addToData("k", "v")
                .build())
        .create();
    client
        .configMaps()
        .inNamespace("change")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("borrowed")
                .addToLabels(Tracking.MANAGED_BY_LABEL, "mooring")
                .addToLabels(Tracking.APP_LABEL, "change.web")
                .addToAnnotations(Tracking.TRACKING_ID, "change/other:/ConfigMap:change/borrowed")
                .endMetadata()
                .addToData("k", "v")
                .build())
        .create();

    String second =
        repo.write("app/cm.yaml", configMap("settings", "color", "green"))
            .delete("app/old.yaml")
            .commit("second");

    Application app = fx.awaitApp("change", "web", a -> ClusterFixture.synced(a, second));
    assertThat(fx.configMap("change", "settings").getData()).containsEntry("color", "green");
    await().atMost(Duration.ofSeconds(10)).until(() -> fx.configMap("change", "old") == null);
    assertThat(fx.configMap("change", "foreign")).isNotNull();
    assertThat(fx.configMap("change", "borrowed")).isNotNull();
    assertThat(app.getStatus().operationState.syncResult.resources)
        .anySatisfy(
            r -> {
              assertThat(r.name).isEqualTo("old");
              assertThat(r.action).isEqualTo("pruned");
            })
        .anySatisfy(
            r -> {
              assertThat(r.name).isEqualTo("settings");
              assertThat(r.action).isEqualTo("configured");
            });
    assertThat(app.getStatus().history).hasSize(2);
  }

  @Test
  void aLiveEditIsHealedWhenSelfHealIsOn() {
    GitRepo repo = repo("heal");
    repo.write("cm.yaml", configMap("settings", "color", "blue")).commit("first");
    fx.create(fx.app("heal", "web", repo.url(), "", false, true));
    fx.awaitApp("heal", "web", a -> ClusterFixture.synced(a, null));

    client
        .configMaps()
        .inNamespace("heal")
        .withName("settings")
        .edit(
            cm -> {
              cm.getData().put("color", "red");
              return cm;
            });

    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> "blue".equals(fx.configMap("heal", "settings").getData().get("color")));
  }

  @Test
  void aLiveEditOnlyMarksTheAppOutOfSyncWhenSelfHealIsOff() {
    GitRepo repo = repo("report");
    repo.write("cm.yaml", configMap("settings", "color", "blue")).commit("first");
    fx.create(fx.app("report", "web", repo.url(), ".", false, false));
    fx.awaitApp("report", "web", a -> ClusterFixture.synced(a, null));

    client
        .configMaps()
        .inNamespace("report")
        .withName("settings")
        .edit(
            cm -> {
              cm.getData().put("color", "red");
              return cm;
            });

    Application app =
        fx.awaitApp(
            "report",
            "web",
            a -> a.getStatus() != null && "OutOfSync".equals(a.getStatus().sync.status));
    assertThat(ClusterFixture.readyMessage(app)).contains("ConfigMap report/settings");
    assertThat(fx.configMap("report", "settings").getData()).containsEntry("color", "red");
  }

  @Test
  void withoutAutomationNothingIsAppliedUntilAnOperationAsksForASync() throws Exception {
    GitRepo repo = repo("manual");
    String sha = repo.write("cm.yaml", configMap("settings", "color", "blue")).commit("first");
    fx.create(fx.app("manual", "web", repo.url(), "", null, null));
    Application app =
        fx.awaitApp(
            "manual",
            "web",
            a ->
                a.getStatus() != null
                    && a.getStatus().sync != null
                    && "OutOfSync".equals(a.getStatus().sync.status));
    assertThat(fx.configMap("manual", "settings")).isNull();
    assertThat(app.getStatus().resources.get(0).health.status).isEqualTo("Missing");

    fx.appResource("manual", "web")
        .edit(
            a -> {
              a.setOperation(new Operation());
              a.getOperation().sync = new Operation.Sync();
              a.getOperation().initiatedBy = new Operation.InitiatedBy();
              a.getOperation().initiatedBy.username = "alice";
              return a;
            });

    app =
        fx.awaitApp(
            "manual", "web", a -> ClusterFixture.synced(a, sha) && a.getOperation() == null);
    assertThat(fx.configMap("manual", "settings")).isNotNull();
    assertThat(app.getStatus().history.get(0).initiatedBy).isEqualTo("alice");
  }

  @Test
  void invalidYamlAppliesNothingAndNamesTheFile() {
    GitRepo repo = repo("invalid");
    repo.write("good.yaml", configMap("good", "a", "1"))
        .write("bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad\ndata: [\n")
        .commit("broken");
    fx.create(fx.app("invalid", "web", repo.url(), "", true, true));
    Application app =
        fx.awaitApp("invalid", "web", a -> "RenderError".equals(ClusterFixture.readyReason(a)));
    assertThat(ClusterFixture.readyMessage(app)).contains("bad.yaml");
    assertThat(fx.configMap("invalid", "good")).isNull();
  }

  @Test
  void duplicateObjectsApplyNothingAndNameBothFiles() {
    GitRepo repo = repo("dup");
    repo.write("one.yaml", configMap("same", "a", "1"))
        .write("two.yaml", configMap("same", "a", "2"))
        .commit("dup");
    fx.create(fx.app("dup", "web", repo.url(), "", true, true));
    Application app =
        fx.awaitApp("dup", "web", a -> "RenderError".equals(ClusterFixture.readyReason(a)));
    assertThat(ClusterFixture.readyMessage(app)).contains("one.yaml").contains("two.yaml");
    assertThat(fx.configMap("dup", "same")).isNull();
  }

  @Test
  void aPathEscapingTheRepositoryIsRefused() {
    GitRepo repo = repo("escape");
    repo.write("cm.yaml", configMap("settings", "a", "1")).commit("first");
    fx.create(fx.app("escape", "web", repo.url(), "../escape", true, true));
    Application app =
        fx.awaitApp("escape", "web", a -> "SourceError".equals(ClusterFixture.readyReason(a)));
    assertThat(ClusterFixture.readyMessage(app)).containsIgnoringCase("escape");
    assertThat(fx.configMap("escape", "settings")).isNull();
  }

  @Test
  void anUnchangedAppCausesZeroWriteRequests() throws Exception {
    GitRepo repo = repo("quiet");
    repo.write("cm.yaml", configMap("settings", "a", "1"))
        .write("cm2.yaml", configMap("settings2", "b", "2"))
        .commit("first");
    fx.create(fx.app("quiet", "web", repo.url(), "", true, true));
    fx.awaitApp("quiet", "web", a -> ClusterFixture.synced(a, null));
    Thread.sleep(1500); // let the writes of the first sync settle
    long mark = kube.audit().mark();
    // refreshInterval is 1s: several polls and reconciles happen in this window
    Thread.sleep(4000);
    List<AuditLog.Entry> requests = kube.audit().since(mark, e -> "quiet".equals(e.namespace()));
    assertThat(requests.stream().filter(AuditLog.Entry::write).map(AuditLog.Entry::uri))
        .as("writes, dry runs included, to the unchanged app's objects and to the app")
        .isEmpty();
    assertThat(requests.stream().filter(e -> "get".equals(e.verb())).map(AuditLog.Entry::uri))
        .as("reads of single objects: the informer cache answers them")
        .isEmpty();
  }

  @Test
  void httpsCredentialsComeFromTheSecretNamedByTheApplication() throws Exception {
    Path root = tmp.resolve("served");
    GitRepo work = repo("work-creds");
    GitRepo.initBare(root.resolve("org/app.git"));
    String sha = work.write("cm.yaml", configMap("secured", "a", "1")).commit("first");
    work.push(root.resolve("org/app.git").toUri().toString(), "main:main");
    try (GitHttpServer git = GitHttpServer.start(root, "alice", "s3cret")) {
      fx.namespace("creds");
      client
          .secrets()
          .inNamespace("creds")
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("repo-creds")
                  .endMetadata()
                  .withStringData(Map.of("username", "alice", "password", "s3cret"))
                  .build())
          .create();
      Application app = fx.app("creds", "web", git.url("org/app.git"), "", true, true);
      app.getSpec().source.secretRef = new dev.mooring.model.ApplicationSpec.SecretRef();
      app.getSpec().source.secretRef.name = "repo-creds";
      fx.create(app);
      fx.awaitApp("creds", "web", a -> ClusterFixture.synced(a, sha));
      assertThat(fx.configMap("creds", "secured")).isNotNull();

      // same repository, no Secret: the shared mirror must not serve it
      Application wrong = fx.app("creds2", "nocreds", git.url("org/app.git"), "", true, true);
      fx.create(wrong);
      Application failed =
          fx.awaitApp(
              "creds2",
              "nocreds",
              a ->
                  ClusterFixture.readyReason(a) != null
                      && ClusterFixture.readyReason(a).startsWith("Source"));
      assertThat(ClusterFixture.readyMessage(failed)).doesNotContain("s3cret");
      assertThat(fx.configMap("creds2", "secured")).isNull();
    }
  }

  @Test
  void theRefreshAnnotationFetchesAndAppliesAtOnceAndIsRemoved() {
    GitRepo repo = repo("refresh");
    repo.write("cm.yaml", configMap("settings", "color", "blue")).commit("first");
    Application slow = fx.app("refresh", "web", repo.url(), "", true, false);
    slow.getSpec().refreshInterval = "10m";
    fx.create(slow);
    fx.awaitApp("refresh", "web", a -> ClusterFixture.synced(a, null));
    String second = repo.write("cm.yaml", configMap("settings", "color", "green")).commit("second");

    fx.appResource("refresh", "web")
        .edit(
            a -> {
              a.getMetadata()
                  .setAnnotations(new java.util.HashMap<>(Map.of(Tracking.REFRESH, "now")));
              return a;
            });

    Application app = fx.awaitApp("refresh", "web", a -> ClusterFixture.synced(a, second));
    assertThat(fx.configMap("refresh", "settings").getData()).containsEntry("color", "green");
    assertThat(
            fx.awaitApp(
                "refresh",
                "web",
                a ->
                    a.getMetadata().getAnnotations() == null
                        || !a.getMetadata().getAnnotations().containsKey(Tracking.REFRESH)))
        .isNotNull();
  }

  @Test
  void anObjectManagedByAnotherAppIsNotTakenOver() {
    GitRepo repo = repo("shared");
    repo.write("cm.yaml", configMap("shared", "a", "1")).commit("first");
    fx.create(fx.app("shared", "one", repo.url(), "", true, true));
    fx.awaitApp("shared", "one", a -> ClusterFixture.synced(a, null));
    fx.create(fx.app("shared", "two", repo.url(), "", true, true));
    Application two =
        fx.awaitApp(
            "shared",
            "two",
            a ->
                a.getStatus() != null
                    && a.getStatus().operationState != null
                    && "Failed".equals(a.getStatus().operationState.phase));
    assertThat(two.getStatus().operationState.message)
        .contains("already managed by Application shared/one");
    assertThat(fx.configMap("shared", "shared").getMetadata().getAnnotations())
        .containsEntry(Tracking.TRACKING_ID, "shared/one:/ConfigMap:shared/shared");
  }
}
