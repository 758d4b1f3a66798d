package dev.mooring.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationStatus;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sync hooks on a real API server, Argo CD's way: PreSync before anything is applied, Sync hooks in
 * their wave, PostSync once everything is healthy, SyncFail when the sync fails; Jobs and Pods
 * waited for to completion, deleted as their policy says, never pruned and never OutOfSync. The
 * server has no kubelet: the test plays it, finishing each hook Job or Pod 400 ms after it appears
 * (failing those labelled {@code outcome: fail}) and noting which ConfigMaps existed when it
 * finished.
 */
@QuarkusTest
@WithRealKubernetes
class SyncHooksTest {
  @Inject KubernetesClient client;
  ClusterFixture fx;
  Path tmp;
  Kubelet kubelet;

  @BeforeEach
  void setUp() throws Exception {
    fx = new ClusterFixture(client);
    tmp = Files.createTempDirectory("mooring-hooks");
  }

  @AfterEach
  void tearDown() {
    if (kubelet != null) {
      kubelet.stop();
    }
  }

  /** What the test's kubelet saw when it finished a hook. */
  record Seen(String kind, String name, List<String> configMaps, Instant at) {}

  /** Finishes hook Jobs and Pods of one namespace as a kubelet would, and records what it saw. */
  final class Kubelet {
    final String ns;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final Map<String, String> done = new ConcurrentHashMap<>();
    volatile boolean running = true;
    final Thread thread;

    Kubelet(String ns) {
      this.ns = ns;
      thread = new Thread(this::loop, "test-kubelet");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() {
      running = false;
    }

    private List<String> configMaps() {
      return client.configMaps().inNamespace(ns).list().getItems().stream()
          .map(c -> c.getMetadata().getName() + "=" + c.getData())
          .filter(n -> !n.startsWith("kube-root-ca.crt"))
          .sorted()
          .toList();
    }

    private void loop() {
      while (running) {
        try {
          for (Job job : client.batch().v1().jobs().inNamespace(ns).list().getItems()) {
            if (done.putIfAbsent(job.getMetadata().getUid(), "job") == null) {
              finish(job);
            }
          }
          for (Pod pod : client.pods().inNamespace(ns).list().getItems()) {
            if (pod.getMetadata().getOwnerReferences().isEmpty()
                && done.putIfAbsent(pod.getMetadata().getUid(), "pod") == null) {
              finish(pod);
            }
          }
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        } catch (KubernetesClientException e) {
          // a hook deleted meanwhile: look again
        }
      }
    }

    private boolean fails(io.fabric8.kubernetes.api.model.HasMetadata o) {
      return "fail".equals(o.getMetadata().getLabels().get("outcome"));
    }

    /** A hook runs a while: what Mooring does meanwhile shows whether it waits. */
    private void run() {
      try {
        Thread.sleep(400);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void finish(Job job) {
      run();
      seen.add(new Seen("Job", job.getMetadata().getName(), configMaps(), Instant.now()));
      String now = Instant.now().toString().replaceAll("\\.\\d+Z$", "Z");
      String conditions =
          fails(job)
              ? "[{\"type\":\"FailureTarget\",\"status\":\"True\",\"reason\":\"BackoffLimitExceeded\","
                  + "\"message\":\"Job has reached the specified backoff limit\","
                  + "\"lastTransitionTime\":\""
                  + now
                  + "\"},{\"type\":\"Failed\",\"status\":\"True\",\"reason\":\"BackoffLimitExceeded\","
                  + "\"message\":\"Job has reached the specified backoff limit\","
                  + "\"lastTransitionTime\":\""
                  + now
                  + "\"}]"
              : "[{\"type\":\"SuccessCriteriaMet\",\"status\":\"True\",\"lastTransitionTime\":\""
                  + now
                  + "\"},{\"type\":\"Complete\",\"status\":\"True\",\"lastTransitionTime\":\""
                  + now
                  + "\"}]";
      String status =
          "{\"status\":{\"startTime\":\""
              + now
              + "\","
              + (fails(job)
                  ? "\"failed\":1,"
                  : "\"succeeded\":1,\"completionTime\":\"" + now + "\",")
              + "\"conditions\":"
              + conditions
              + "}}";
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(ns)
          .withName(job.getMetadata().getName())
          .subresource("status")
          .patch(
              io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                  io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
              status);
    }

    private void finish(Pod pod) {
      run();
      seen.add(new Seen("Pod", pod.getMetadata().getName(), configMaps(), Instant.now()));
      client
          .pods()
          .inNamespace(ns)
          .withName(pod.getMetadata().getName())
          .subresource("status")
          .patch(
              io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                  io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
              "{\"status\":{\"phase\":\"" + (fails(pod) ? "Failed" : "Succeeded") + "\"}}");
    }

    Seen first(String prefix) {
      return seen.stream().filter(s -> s.name().startsWith(prefix)).findFirst().orElse(null);
    }
  }

  static String job(String header, String annotations, String labels) {
    return "apiVersion: batch/v1\nkind: Job\nmetadata:\n"
        + header
        + "  labels: {"
        + labels
        + "}\n  annotations:\n"
        + annotations
        + "spec:\n  backoffLimit: 0\n  template:\n    spec:\n      restartPolicy: Never\n"
        + "      containers: [{name: run, image: busybox, command: [\"true\"]}]\n";
  }

  static String pod(String name, String annotations) {
    return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: "
        + name
        + "\n  annotations:\n"
        + annotations
        + "spec:\n  restartPolicy: Never\n  containers: [{name: run, image: busybox}]\n";
  }

  private static List<ApplicationStatus.ResourceResult> hooks(Application a) {
    return a.getStatus().operationState.syncResult.resources.stream()
        .filter(r -> r.hookType != null)
        .toList();
  }

  private static boolean finished(Application a, String revision) {
    ApplicationStatus.OperationState op =
        a.getStatus() == null ? null : a.getStatus().operationState;
    return op != null
        && op.finishedAt != null
        && op.syncResult != null
        && revision.equals(op.syncResult.revision);
  }

  @Test
  void phasesRunInOrderAndHooksAreWaitedForDeletedAsTheirPolicySaysAndNeverPruned()
      throws Exception {
    String ns = "hooks-order";
    kubelet = new Kubelet(ns);
    GitRepo repo = GitRepo.init(tmp.resolve("order"));
    repo.write("app/config.yaml", ClusterFixture.configMap("config", "v", "1"))
        .write(
            "app/late.yaml",
            ClusterFixture.configMap("late", "v", "1")
                .replace(
                    "metadata:\n", "metadata:\n  annotations: {mooring.dev/sync-wave: \"2\"}\n"))
        .write(
            "app/migrate.yaml",
            job(
                "  generateName: migrate-\n",
                "    argocd.argoproj.io/hook: PreSync\n"
                    + "    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n",
                ""))
        .write(
            "app/between.yaml",
            job(
                "  name: between\n",
                "    mooring.dev/hook: Sync\n    mooring.dev/sync-wave: \"1\"\n",
                ""))
        .write("app/smoke.yaml", pod("smoke", "    mooring.dev/hook: PostSync\n"));
    String first = repo.commit("hooks");
    fx.create(fx.app(ns, "web", repo.url(), "app", true, true));

    Application synced =
        fx.awaitApp(ns, "web", a -> finished(a, first), java.time.Duration.ofSeconds(60));
    assertThat(synced.getStatus().operationState.phase)
        .as(synced.getStatus().operationState.message)
        .isEqualTo("Succeeded");
    // PreSync ran before anything was applied, the wave-1 Sync hook between wave 0 and wave 2,
    // PostSync after everything
    assertThat(kubelet.first("migrate-").configMaps()).isEmpty();
    assertThat(kubelet.first("between").configMaps()).containsExactly("config={v=1}");
    assertThat(kubelet.first("smoke").configMaps()).containsExactly("config={v=1}", "late={v=1}");
    String migrate = kubelet.first("migrate-").name();
    assertThat(migrate).matches("migrate-" + first.substring(0, 7) + "-presync-\\d+");

    List<ApplicationStatus.ResourceResult> hooks = hooks(synced);
    assertThat(hooks)
        .extracting(r -> r.hookType + " " + r.kind + "/" + r.name + " " + r.hookPhase)
        .containsExactly(
            "PreSync Job/" + migrate + " Succeeded",
            "Sync Job/between Succeeded",
            "PostSync Pod/smoke Succeeded");
    // HookSucceeded: gone; BeforeHookCreation (the default): kept until the next sync
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> client.batch().v1().jobs().inNamespace(ns).withName(migrate).get() == null);
    assertThat(client.batch().v1().jobs().inNamespace(ns).withName("between").get()).isNotNull();
    Pod smoke = client.pods().inNamespace(ns).withName("smoke").get();
    assertThat(smoke).isNotNull();

    // hooks are neither compared (Synced, nothing listed) nor pruned (prune is on)
    Application settled = fx.awaitApp(ns, "web", a -> ClusterFixture.synced(a, first));
    assertThat(settled.getMetadata().getFinalizers()).isEmpty();
    assertThat(settled.getStatus().resources)
        .extracting(r -> r.kind + "/" + r.name)
        .containsExactlyInAnyOrder("ConfigMap/config", "ConfigMap/late");
    Thread.sleep(1500);
    assertThat(client.pods().inNamespace(ns).withName("smoke").get().getMetadata().getUid())
        .isEqualTo(smoke.getMetadata().getUid());

    // the next sync recreates the named hooks (BeforeHookCreation) and names a new migrate Job
    repo.write("app/config.yaml", ClusterFixture.configMap("config", "v", "2"));
    String second = repo.commit("v2");
    Application again =
        fx.awaitApp(ns, "web", a -> finished(a, second), java.time.Duration.ofSeconds(60));
    assertThat(again.getStatus().operationState.phase)
        .as(again.getStatus().operationState.message)
        .isEqualTo("Succeeded");
    Pod recreated = client.pods().inNamespace(ns).withName("smoke").get();
    assertThat(recreated.getMetadata().getUid()).isNotEqualTo(smoke.getMetadata().getUid());
    assertThat(hooks(again))
        .extracting(r -> r.kind + "/" + r.name)
        .anySatisfy(n -> assertThat(n).startsWith("Job/migrate-" + second.substring(0, 7)));
  }

  @Test
  void aFailedPreSyncHookStopsTheSyncAndRunsTheSyncFailHooks() throws Exception {
    String ns = "hooks-fail";
    kubelet = new Kubelet(ns);
    GitRepo repo = GitRepo.init(tmp.resolve("fail"));
    repo.write("app/config.yaml", ClusterFixture.configMap("config", "v", "1"));
    String good = repo.commit("config");
    fx.create(fx.app(ns, "web", repo.url(), "app", true, true));
    fx.awaitApp(ns, "web", a -> ClusterFixture.synced(a, good));

    repo.write("app/config.yaml", ClusterFixture.configMap("config", "v", "2"))
        .write(
            "app/check.yaml",
            job(
                "  name: check\n",
                "    mooring.dev/hook: PreSync\n    mooring.dev/hook-delete-policy: HookFailed\n",
                "outcome: fail"))
        .write(
            "app/cleanup.yaml",
            job("  generateName: cleanup-\n", "    mooring.dev/hook: SyncFail\n", ""))
        .write("app/never.yaml", pod("never", "    mooring.dev/hook: PostSync\n"));
    String bad = repo.commit("a failing check");
    Application failed =
        fx.awaitApp(ns, "web", a -> finished(a, bad), java.time.Duration.ofSeconds(60));
    ApplicationStatus.OperationState op = failed.getStatus().operationState;
    assertThat(op.phase).isEqualTo("Failed");
    assertThat(op.message)
        .contains("PreSync hook batch/Job " + ns + "/check failed")
        .contains("backoff limit")
        .contains("SyncFail hooks ran");
    // nothing of the sync was applied, the PostSync hook never ran, the SyncFail hook did
    assertThat(fx.configMap(ns, "config").getData()).containsEntry("v", "1");
    assertThat(client.pods().inNamespace(ns).withName("never").get()).isNull();
    assertThat(hooks(failed))
        .extracting(
            r ->
                r.hookType
                    + " "
                    + r.kind
                    + "/"
                    + r.name.replaceAll("-[0-9]+$", "")
                    + " "
                    + r.action
                    + " "
                    + r.hookPhase)
        .containsExactly(
            "PreSync Job/check created Failed",
            "PostSync Pod/never skipped null",
            "SyncFail Job/cleanup-" + bad.substring(0, 7) + "-syncfail created Succeeded");
    assertThat(kubelet.first("cleanup-")).isNotNull();
    // HookFailed: the failed check is deleted
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> client.batch().v1().jobs().inNamespace(ns).withName("check").get() == null);
  }

  @Test
  void helmHooksRunAsArgoCdRunsThemOrderedByTheirWeight() throws Exception {
    String ns = "hooks-helm";
    kubelet = new Kubelet(ns);
    GitRepo repo = GitRepo.init(tmp.resolve("helm"));
    String hook =
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-%s\n"
            + "  annotations:\n    \"helm.sh/hook\": %s\n    \"helm.sh/hook-weight\": \"%s\"\n"
            + "%s"
            + "spec:\n  template:\n    spec:\n      restartPolicy: Never\n"
            + "      containers: [{name: run, image: busybox}]\n";
    repo.write("chart/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 0.1.0\n")
        .write(
            "chart/templates/config.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}-config}\n"
                + "data: {v: \"1\"}\n")
        .write(
            "chart/templates/migrate.yaml",
            hook.formatted(
                "migrate",
                "pre-install,pre-upgrade",
                "5",
                "    \"helm.sh/hook-delete-policy\": hook-succeeded\n"))
        .write("chart/templates/init.yaml", hook.formatted("init", "pre-install", "-1", ""))
        .write("chart/templates/notify.yaml", hook.formatted("notify", "post-install", "0", ""))
        .write(
            "chart/templates/test.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-test\n"
                + "  annotations: {\"helm.sh/hook\": test}\n"
                + "spec: {containers: [{name: t, image: busybox}]}\n")
        .write("chart/templates/undo.yaml", hook.formatted("undo", "pre-rollback", "0", ""))
        .write(
            "chart/templates/monitor.yaml",
            "{{- if .Capabilities.APIVersions.Has \"monitoring.coreos.com/v1\" }}\n"
                + "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\n"
                + "metadata: {name: shop}\nspec: {endpoints: [{port: http}]}\n{{- end }}\n");
    String rev = repo.commit("chart with hooks");
    // the cluster serves ServiceMonitors: the chart's .Capabilities.APIVersions.Has says so
    client
        .resource(
            io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                    + "metadata: {name: servicemonitors.monitoring.coreos.com}\n"
                    + "spec:\n  group: monitoring.coreos.com\n  scope: Namespaced\n"
                    + "  names: {kind: ServiceMonitor, plural: servicemonitors,"
                    + " singular: servicemonitor, listKind: ServiceMonitorList}\n"
                    + "  versions:\n  - name: v1\n    served: true\n    storage: true\n"
                    + "    schema: {openAPIV3Schema: {type: object,"
                    + " x-kubernetes-preserve-unknown-fields: true}}\n",
                io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class))
        .createOr(c -> c.update());
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(40))
        .until(() -> kindsServed().contains("monitoring.coreos.com/v1/ServiceMonitor"));
    fx.create(fx.app(ns, "shop", repo.url(), "chart", true, true));
    Application synced =
        fx.awaitApp(ns, "shop", a -> finished(a, rev), java.time.Duration.ofSeconds(60));
    assertThat(synced.getStatus().operationState.phase)
        .as(synced.getStatus().operationState.message)
        .isEqualTo("Succeeded");
    assertThat(kubelet.seen)
        .extracting(seen -> seen.name() + " " + seen.configMaps())
        .containsExactly("shop-init []", "shop-migrate []", "shop-notify [shop-config={v=1}]");
    assertThat(hooks(synced))
        .extracting(r -> r.hookType + " " + r.name)
        .containsExactly("PreSync shop-init", "PreSync shop-migrate", "PostSync shop-notify");
    // hook-succeeded deletes; the test hook is never applied
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(
            () ->
                client.batch().v1().jobs().inNamespace(ns).withName("shop-migrate").get() == null);
    assertThat(client.pods().inNamespace(ns).withName("shop-test").get()).isNull();
    // what is left out, or rendered otherwise than the cluster would, is said on the app
    assertThat(synced.getStatus().conditions)
        .filteredOn(c -> "RenderNotice".equals(c.type))
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.message)
                    .contains("Job shop-undo is not applied")
                    .contains("pre-rollback hooks never run")
                    .doesNotContain("Capabilities"));
    assertThat(synced.getStatus().resources)
        .extracting(r -> r.kind + "/" + r.name)
        .contains("ServiceMonitor/shop");
    assertThat(client.batch().v1().jobs().inNamespace(ns).withName("shop-undo").get()).isNull();
  }

  @Test
  void postDeleteHooksRunWhenTheApplicationIsDeletedAndOnlyThenLetItGo() throws Exception {
    String ns = "hooks-delete";
    kubelet = new Kubelet(ns);
    GitRepo repo = GitRepo.init(tmp.resolve("delete"));
    repo.write("app/config.yaml", ClusterFixture.configMap("config", "v", "1"))
        .write(
            "app/farewell.yaml",
            job(
                "  generateName: farewell-\n",
                "    argocd.argoproj.io/hook: PostDelete\n"
                    + "    argocd.argoproj.io/hook-delete-policy: HookSucceeded\n",
                ""));
    String rev = repo.commit("with a PostDelete hook");
    fx.create(fx.app(ns, "web", repo.url(), "app", true, true));
    Application synced = fx.awaitApp(ns, "web", a -> ClusterFixture.synced(a, rev));
    // a sync never runs it; the app holds a finalizer for it
    assertThat(kubelet.seen).isEmpty();
    Application held =
        fx.awaitApp(
            ns,
            "web",
            a -> a.getMetadata().getFinalizers().contains(OperationRunner.POST_DELETE_FINALIZER));
    assertThat(synced.getStatus().resources).extracting(r -> r.name).containsExactly("config");

    client.resource(held).delete();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(() -> fx.appResource(ns, "web").get() == null);
    assertThat(kubelet.seen)
        .singleElement()
        .satisfies(
            s ->
                assertThat(s.name())
                    .matches("farewell-" + rev.substring(0, 7) + "-postdelete-\\d+"));
    // HookSucceeded: the hook is gone too; what the app deployed stays (no cascading delete)
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> client.batch().v1().jobs().inNamespace(ns).list().getItems().isEmpty());
    assertThat(fx.configMap(ns, "config")).isNotNull();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        client.v1().events().inNamespace(ns).list().getItems().stream()
                            .filter(e -> "PostDeleteHooks".equals(e.getReason()))
                            .map(io.fabric8.kubernetes.api.model.Event::getMessage))
                    .containsExactly("1 PostDelete hook succeeded"));
  }

  @Inject dev.mooring.cluster.KindResolver kinds;

  /** What Mooring's own discovery (the list charts get) says the cluster serves. */
  private List<String> kindsServed() {
    return kinds.apiVersions();
  }
}
