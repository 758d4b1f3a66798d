package dev.mooring.bench;

import static org.awaitility.Awaitility.await;

import dev.mooring.controller.ReconcileTrigger;
import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.sync.ServerPreview;
import dev.mooring.testing.AuditLog;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.RealApiServer;
import dev.mooring.testing.RealKubernetes;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Numbers, not assertions: run with {@code ./mvnw -Pbench verify -Dtest=SyncBenchmark}. Against a
 * real kube-apiserver (etcd and the API server on this machine, requests counted from its audit
 * log): one Application of 1,000 objects (ConfigMaps, Secrets, Services, Deployments) beside {@code
 * kubectl} applying the same files, its no-op resync, a 10-object change, then 200 Applications of
 * 20 objects.
 */
@QuarkusTest
@WithRealKubernetes
class SyncBenchmark {
  @Inject KubernetesClient client;
  @Inject ReconcileTrigger trigger;
  @Inject MeterRegistry registry;
  @Inject ServerPreview preview;
  @Inject dev.mooring.api.AppIndex index;
  @RealKubernetes RealApiServer kube;

  @io.quarkus.test.common.http.TestHTTPResource("/api/webhook")
  java.net.URL webhook;

  private static final String WEBHOOK_SECRET = "hunter2-Webhook-Key-7f3a";

  private final List<String[]> rows = new ArrayList<>();

  @Test
  void benchmark() throws Exception {
    Path tmp = Files.createTempDirectory("mooring-bench");
    int objects = Integer.getInteger("bench.objects", 1000);
    try {
      GitRepo repo = GitRepo.init(tmp.resolve("large"));
      writeObjects(repo, objects);
      repo.commit(objects + " objects");
      kubectlRows(repo.dir().resolve("app"), objects);
      // the first sync after the JVM started pays for just-in-time compilation (most of its CPU
      // on this 2-core machine); it is measured apart, and the others run in a warm JVM
      GitRepo coldRepo = GitRepo.init(tmp.resolve("cold"));
      writeObjects(coldRepo, objects);
      coldRepo.commit(objects + " objects");
      namespace("cold");
      long coldCpu = jvmCpu();
      long coldStart = System.nanoTime();
      client.resource(app("cold", "big", coldRepo.url(), "app")).create();
      awaitSynced("cold", "big", coldRepo.head(), Duration.ofMinutes(5));
      rows.add(
          row(
              objects,
              "Mooring (client-side apply), cold JVM: first sync, create to Synced (its CPU)",
              ms(System.nanoTime() - coldStart) + " (" + ms(jvmCpu() - coldCpu) + ")"));
      String modes = System.getProperty("bench.modes", "csa,ssa");
      if (modes.contains("csa")) {
        oneLargeApp(repo, objects, "large", false);
      }
      if (modes.contains("ssa")) {
        // a repository of its own: the first app's mirror has its later commits
        GitRepo ssaRepo = GitRepo.init(tmp.resolve("large-ssa"));
        writeObjects(ssaRepo, objects);
        ssaRepo.commit(objects + " objects");
        oneLargeApp(ssaRepo, objects, "large-ssa", true);
      }
      if (Integer.getInteger("bench.repos", 20) > 0) {
        manySmallApps(tmp);
      }
    } finally {
      print();
    }
  }

  private void print() {
    System.out.println();
    System.out.println("| benchmark (real kube-apiserver 1.32, this machine) | value |");
    System.out.println("|---|---|");
    rows.forEach(r -> System.out.println("| " + r[0] + " | " + r[1] + " |"));
    System.out.println();
  }

  /** What a user would run instead, on the same files and the same server. */
  private void kubectlRows(Path folder, int objects) {
    namespace("kubectl-ssa");
    namespace("kubectl-csa");
    namespace("kubectl-create");
    long t =
        kubectl(
            "apply",
            "--server-side",
            "--validate=false",
            "-n",
            "kubectl-ssa",
            "-f",
            folder.toString());
    rows.add(row(objects, "kubectl apply --server-side --validate=false", ms(t)));
    t = kubectl("apply", "-n", "kubectl-csa", "-f", folder.toString());
    rows.add(row(objects, "kubectl apply (client-side)", ms(t)));
    t = kubectl("create", "-n", "kubectl-create", "-f", folder.toString());
    rows.add(row(objects, "kubectl create", ms(t)));
  }

  private void oneLargeApp(GitRepo repo, int objects, String ns, boolean ssa) throws Exception {
    String sha = repo.head();
    String mode = ssa ? "Mooring, ServerSideApply=true" : "Mooring (client-side apply)";
    namespace(ns);
    AuditLog audit = kube.audit();
    long mark = audit.mark();
    long dryRuns = preview.dryRuns();
    long cpu0 = jvmCpu();
    long server0 = serverCpu();
    long start = System.nanoTime();
    Application app = app(ns, "big", repo.url(), "app");
    if (ssa) {
      app.getSpec().syncPolicy.syncOptions = List.of("ServerSideApply=true");
    }
    client.resource(app).create();
    awaitSynced(ns, "big", sha, Duration.ofMinutes(Integer.getInteger("bench.wait", 5)));
    long firstSync = System.nanoTime() - start;
    List<AuditLog.Entry> requests = audit.since(mark, inNamespace(ns));
    rows.add(row(objects, mode + ": first sync, create to Synced", ms(firstSync)));
    rows.add(
        row(
            objects,
            mode + ": first sync, CPU of Mooring's JVM / of etcd and kube-apiserver",
            ms(jvmCpu() - cpu0) + " / " + ms(serverCpu() - server0)));
    rows.add(
        row(
            objects,
            mode + ": first sync, writes / dry runs / all requests to the app's objects",
            writes(requests)
                + " / "
                + count(requests, AuditLog.Entry::dryRun)
                + " / "
                + requests.size()));

    Timer timer = registry.timer("mooring.reconcile");
    List<Long> noop = new ArrayList<>();
    Thread.sleep(1000);
    mark = audit.mark();
    dryRuns = preview.dryRuns();
    int reconciles = 5;
    for (int i = 0; i < reconciles; i++) {
      long count = timer.count();
      double total = timer.totalTime(TimeUnit.NANOSECONDS);
      trigger.trigger(ns, "big");
      await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> timer.count() > count);
      noop.add((long) (timer.totalTime(TimeUnit.NANOSECONDS) - total) / (timer.count() - count));
    }
    Thread.sleep(500);
    List<AuditLog.Entry> quiet = audit.since(mark, AuditLog.Entry::byMooring);
    rows.add(row(objects, mode + ": no-op resync (median of 5 reconciles)", ms(median(noop))));
    rows.add(
        row(
            objects,
            mode + ": no-op resync, API requests per reconcile (writes, dry runs)",
            String.format(
                "%.1f (%d, %d)",
                quiet.size() / (double) reconciles, writes(quiet), preview.dryRuns() - dryRuns)));

    repo.write(
        "app/file-0.yaml",
        Files.readString(repo.dir().resolve("app/file-0.yaml"))
            .replace("value: \"v0\"", "value: \"changed\"")
            .replace("value: \"v2\"", "value: \"changed\""));
    String second = repo.commit("10 objects changed");
    mark = audit.mark();
    start = System.nanoTime();
    // as kubectl annotate does it: a merge patch, no read of the 1,000-resource status first
    client
        .resources(Application.class)
        .inNamespace(ns)
        .resource(named(ns, "big"))
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"mooring.dev/refresh\":\"now\"}}}");
    long patched = System.nanoTime() - start;
    awaitSynced(ns, "big", second, Duration.ofMinutes(2));
    long changeSync = System.nanoTime() - start;
    rows.add(
        row(
            objects,
            mode + ": the refresh request (a patch of the Application, as kubectl annotate)",
            ms(patched)));
    List<AuditLog.Entry> change = audit.since(mark, inNamespace(ns));
    rows.add(row(objects, mode + ": 10 objects changed in Git, refresh to Synced", ms(changeSync)));
    rows.add(
        row(
            objects,
            mode + ": that change, writes / dry runs",
            writes(change) + " / " + count(change, AuditLog.Entry::dryRun)));

    // the same size of change as a push webhook delivers it: no write of the Application first
    repo.write(
        "app/file-1.yaml",
        Files.readString(repo.dir().resolve("app/file-1.yaml"))
            .replace("value: \"v0\"", "value: \"pushed\"")
            .replace("value: \"v2\"", "value: \"pushed\""));
    String third = repo.commit("10 more objects changed");
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    mark = audit.mark();
    start = System.nanoTime();
    byte[] body =
        ("{\"repoURL\":\""
                + repo.url()
                + "\",\"ref\":\"refs/heads/main\",\"after\":\""
                + third
                + "\"}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int answer =
        http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(webhook.toString()))
                    .header("Content-Type", "application/json")
                    .header(
                        "X-Mooring-Signature",
                        "sha256=" + dev.mooring.testing.Hmac.sha256Hex(WEBHOOK_SECRET, body))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.discarding())
            .statusCode();
    if (answer != 202) {
      throw new IllegalStateException("webhook answered " + answer);
    }
    awaitSynced(ns, "big", third, Duration.ofMinutes(2));
    long pushSync = System.nanoTime() - start;
    List<AuditLog.Entry> pushed = audit.since(mark, inNamespace(ns));
    rows.add(
        row(
            objects,
            mode + ": 10 objects changed in Git, push webhook to Synced (writes)",
            ms(pushSync) + " (" + writes(pushed) + ")"));
  }

  private void manySmallApps(Path tmp) throws Exception {
    int repos = Integer.getInteger("bench.repos", 20);
    int appsPerRepo = 10;
    List<String[]> apps = new ArrayList<>();
    for (int r = 0; r < repos; r++) {
      GitRepo repo = GitRepo.init(tmp.resolve("mono-" + r));
      for (int a = 0; a < appsPerRepo; a++) {
        StringBuilder doc = new StringBuilder();
        for (int i = 0; i < 20; i++) {
          doc.append(configMap("cm-" + i, i)).append("---\n");
        }
        repo.write("apps/app-" + a + "/objects.yaml", doc.toString());
      }
      String sha = repo.commit("10 apps");
      for (int a = 0; a < appsPerRepo; a++) {
        apps.add(new String[] {"many-" + r + "-" + a, repo.url(), "apps/app-" + a, sha});
      }
    }
    long heapBefore = heapAfterGc();
    long start = System.nanoTime();
    for (String[] a : apps) {
      namespace(a[0]);
      client.resource(app(a[0], "app", a[1], a[2])).create();
    }
    for (String[] a : apps) {
      awaitSynced(a[0], "app", a[3], Duration.ofMinutes(10));
    }
    long all = System.nanoTime() - start;
    long heapAfter = heapAfterGc();
    rows.add(
        new String[] {
          apps.size() + " apps x 20 objects (" + repos + " repos): create to all Synced", ms(all)
        });
    rows.add(
        new String[] {
          apps.size()
              + " apps x 20 objects: heap used after GC (Mooring's JVM; the API server is"
              + " another process)",
          (heapAfter >> 20) + " MiB (+" + ((heapAfter - heapBefore) >> 20) + " MiB for the apps)"
        });
  }

  private static void writeObjects(GitRepo repo, int objects) {
    int files = 10;
    int perFile = objects / files;
    for (int f = 0; f < files; f++) {
      StringBuilder doc = new StringBuilder();
      for (int i = 0; i < perFile; i++) {
        String name = "o-" + f + "-" + i;
        doc.append(
                switch (i % 4) {
                  case 0 -> configMap(name, i);
                  case 1 -> secret(name, i);
                  case 2 -> service(name);
                  default -> deployment(name);
                })
            .append("---\n");
      }
      repo.write("app/file-" + f + ".yaml", doc.toString());
    }
  }

  private long kubectl(String... args) {
    long start = System.nanoTime();
    kube.kubectl(args);
    return System.nanoTime() - start;
  }

  private static Application named(String ns, String name) {
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    return app;
  }

  private Application app(String ns, String name, String url, String path) {
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    app.getMetadata().setAnnotations(new java.util.HashMap<>());
    ApplicationSpec spec = new ApplicationSpec();
    spec.source = new ApplicationSpec.Source();
    spec.source.repoURL = url;
    spec.source.path = path;
    spec.destination = new ApplicationSpec.Destination();
    spec.destination.namespace = ns;
    spec.refreshInterval = "10m";
    spec.syncPolicy = new ApplicationSpec.SyncPolicy();
    spec.syncPolicy.automated = new ApplicationSpec.Automated();
    spec.syncPolicy.automated.prune = true;
    app.setSpec(spec);
    return app;
  }

  private void awaitSynced(String ns, String name, String sha, Duration max) {
    try {
      awaitSyncedOrFail(ns, name, sha, max);
    } catch (RuntimeException e) {
      Application a = client.resources(Application.class).inNamespace(ns).withName(name).get();
      System.out.println(
          "TIMEOUT waiting for "
              + sha
              + ": "
              + io.fabric8.kubernetes.client.utils.Serialization.asYaml(a.getStatus())
                  .lines()
                  .filter(l -> !l.contains("status: \"Synced\""))
                  .limit(120)
                  .reduce("", (x, y) -> x + "\n" + y));
      throw e;
    }
  }

  /**
   * Polls the application's own informer cache, not the API server: a GET of a 1,000-resource
   * status every 20 ms would cost this JVM more CPU than the sync it measures.
   */
  private void awaitSyncedOrFail(String ns, String name, String sha, Duration max) {
    await()
        .atMost(max)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              Application a = index.get(ns, name).orElse(null);
              return a != null
                  && a.getStatus() != null
                  && a.getStatus().sync != null
                  && "Synced".equals(a.getStatus().sync.status)
                  && sha.equals(a.getStatus().sync.revision);
            });
  }

  private void namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  private static Predicate<AuditLog.Entry> inNamespace(String ns) {
    return e ->
        e.byMooring()
            && ns.equals(e.namespace())
            && !"applications".equals(e.resource())
            && !"events".equals(e.resource());
  }

  private static long writes(List<AuditLog.Entry> entries) {
    return count(entries, e -> e.write() && !e.dryRun());
  }

  private static long count(List<AuditLog.Entry> entries, Predicate<AuditLog.Entry> p) {
    return entries.stream().filter(p).count();
  }

  private static String[] row(int objects, String what, String value) {
    return new String[] {"1 app x " + String.format("%,d", objects) + " objects: " + what, value};
  }

  private static String configMap(String name, int i) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
        + name
        + "\ndata:\n  index: \""
        + i
        + "\"\n  value: \"v"
        + (i % 10)
        + "\"\n";
  }

  private static String secret(String name, int i) {
    return "apiVersion: v1\nkind: Secret\nmetadata:\n  name: "
        + name
        + "\nstringData:\n  token: t"
        + i
        + "\n";
  }

  private static String service(String name) {
    return "apiVersion: v1\nkind: Service\nmetadata:\n  name: "
        + name
        // headless: the test API server's service range (10.0.0.0/24) holds 254 cluster IPs,
        // and four copies of 250 Services are created here
        + "\nspec:\n  clusterIP: None\n  selector: {app: "
        + name
        + "}\n  ports: [{name: http, port: 80, targetPort: 8080}]\n";
  }

  private static String deployment(String name) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "
        + name
        + "\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: "
        + name
        + "}}\n  template:\n    metadata: {labels: {app: "
        + name
        + "}}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n"
        + "          ports: [{containerPort: 8080}]\n          resources: {requests: {cpu: 10m}}\n";
  }

  private static long jvmCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU time (ns) of this machine's etcd and kube-apiserver processes, from /proc. */
  private static long serverCpu() {
    long ticks = 0;
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmd = Files.readString(p.resolve("cmdline"));
          if (!cmd.contains("kube-apiserver") && !cmd.contains("etcd")) {
            continue;
          }
          String[] stat = Files.readString(p.resolve("stat")).replaceAll(".*\\) ", "").split(" ");
          ticks += Long.parseLong(stat[11]) + Long.parseLong(stat[12]); // utime, stime
        } catch (java.io.IOException | RuntimeException e) {
          // the process ended meanwhile
        }
      }
    } catch (java.io.IOException e) {
      return 0;
    }
    return ticks * 10_000_000L; // 100 ticks per second
  }

  private static long heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(Long::compare);
    return sorted.get(sorted.size() / 2);
  }

  private static String ms(long nanos) {
    return nanos >= 10_000_000_000L
        ? String.format("%.1f s", nanos / 1e9)
        : nanos >= 1_000_000_000L
            ? String.format("%.2f s", nanos / 1e9)
            : String.format("%d ms", nanos / 1_000_000);
  }
}
