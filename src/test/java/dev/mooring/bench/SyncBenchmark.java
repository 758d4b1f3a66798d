package dev.mooring.bench;

import static org.awaitility.Awaitility.await;

import dev.mooring.controller.ReconcileTrigger;
import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.testing.GitRepo;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Numbers, not assertions: run with {@code ./mvnw -Pbench verify}. Against the mock API server on
 * this machine: one Application of 1,000 objects, then 200 Applications of 20 objects.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, https = false)
class SyncBenchmark {
  @KubernetesTestServer KubernetesServer server;
  @Inject KubernetesClient client;
  @Inject ReconcileTrigger trigger;
  @Inject MeterRegistry registry;
  @Inject dev.mooring.api.AppIndex index;

  private final List<String[]> rows = new ArrayList<>();

  @Test
  void benchmark() throws Exception {
    Path tmp = Files.createTempDirectory("mooring-bench");
    oneLargeApp(tmp);
    manySmallApps(tmp);
    System.out.println();
    System.out.println("| benchmark | value |");
    System.out.println("|---|---|");
    rows.forEach(r -> System.out.println("| " + r[0] + " | " + r[1] + " |"));
    System.out.println();
  }

  private void oneLargeApp(Path tmp) throws Exception {
    GitRepo repo = GitRepo.init(tmp.resolve("large"));
    int perFile = Integer.getInteger("bench.objects", 1000) / 10;
    for (int f = 0; f < 10; f++) {
      StringBuilder doc = new StringBuilder();
      for (int i = 0; i < perFile; i++) {
        doc.append(configMap("cm-" + f + "-" + i, i)).append("---\n");
      }
      repo.write("app/file-" + f + ".yaml", doc.toString());
    }
    String sha = repo.commit("1000 objects");
    namespace("large");
    drain();
    long start = System.nanoTime();
    client.resource(app("large", "big", repo.url(), "app")).create();
    awaitSynced("large", "big", sha, Duration.ofMinutes(5));
    long firstSync = System.nanoTime() - start;
    int writes = countWrites(drain(), "/namespaces/large/configmaps");
    rows.add(new String[] {"1 app x 1,000 objects: first sync (create to Synced)", ms(firstSync)});
    rows.add(
        new String[] {
          "1 app x 1,000 objects: write requests to managed objects, first sync",
          String.valueOf(writes)
        });

    Timer timer = registry.timer("mooring.reconcile");
    List<Long> noop = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long count = timer.count();
      double total = timer.totalTime(TimeUnit.NANOSECONDS);
      trigger.trigger("large", "big");
      await()
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> timer.count() > count);
      noop.add((long) (timer.totalTime(TimeUnit.NANOSECONDS) - total) / (timer.count() - count));
    }
    Thread.sleep(500);
    int noopWrites = countWrites(drain(), "/namespaces/large/");
    rows.add(
        new String[] {
          "1 app x 1,000 objects: no-op resync (median of 5 reconciles)", ms(median(noop))
        });
    rows.add(
        new String[] {
          "1 app x 1,000 objects: write requests during the no-op resyncs",
          String.valueOf(noopWrites)
        });

    repo.write(
        "app/file-0.yaml",
        Files.readString(repo.dir().resolve("app/file-0.yaml"))
            .replace("value: \"0\"", "value: \"changed\""));
    String second = repo.commit("one object changed");
    drain();
    start = System.nanoTime();
    client
        .resources(Application.class)
        .inNamespace("large")
        .withName("big")
        .edit(
            a -> {
              a.getMetadata().getAnnotations().put("mooring.dev/refresh", "now");
              return a;
            });
    awaitSynced("large", "big", second, Duration.ofMinutes(2));
    long changeSync = System.nanoTime() - start;
    int changeWrites = countWrites(drain(), "/namespaces/large/configmaps");
    rows.add(
        new String[] {
          "1 app x 1,000 objects: one file changed in Git (10 objects), refresh to Synced",
          ms(changeSync)
        });
    rows.add(
        new String[] {
          "1 app x 1,000 objects: write requests to managed objects for that change",
          String.valueOf(changeWrites)
        });
  }

  private void manySmallApps(Path tmp) {
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
    System.gc();
    long heapBefore = usedHeap();
    long start = System.nanoTime();
    for (String[] a : apps) {
      namespace(a[0]);
      client.resource(app(a[0], "app", a[1], a[2])).create();
    }
    for (String[] a : apps) {
      awaitSynced(a[0], "app", a[3], Duration.ofMinutes(10));
    }
    long all = System.nanoTime() - start;
    System.gc();
    long heapAfter = usedHeap();
    rows.add(new String[] {"200 apps x 20 objects (20 repos): create to all Synced", ms(all)});
    rows.add(
        new String[] {
          "200 apps x 20 objects: heap used after GC (whole JVM, incl. the mock API server)",
          (heapAfter >> 20) + " MiB (+" + ((heapAfter - heapBefore) >> 20) + " MiB)"
        });
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
              + io.fabric8.kubernetes.client.utils.Serialization.asYaml(a)
                  .lines()
                  .limit(80)
                  .reduce("", (x, y) -> x + "\n" + y));
      throw e;
    }
  }

  private void awaitSyncedOrFail(String ns, String name, String sha, Duration max) {
    await()
        .atMost(max)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              Application a =
                  client.resources(Application.class).inNamespace(ns).withName(name).get();
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

  private List<RecordedRequest> drain() throws InterruptedException {
    List<RecordedRequest> all = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.getKubernetesMockServer().takeRequest(5, TimeUnit.MILLISECONDS)) != null) {
      all.add(r);
    }
    return all;
  }

  private static int countWrites(List<RecordedRequest> requests, String pathPart) {
    return (int)
        requests.stream()
            .filter(r -> !"GET".equals(r.getMethod()) && r.getPath().contains(pathPart))
            .count();
  }

  private static String configMap(String name, int i) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
        + name
        + "\ndata:\n  index: \""
        + i
        + "\"\n  value: \""
        + (i % 10)
        + "\"\n";
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(Long::compare);
    return sorted.get(sorted.size() / 2);
  }

  private static String ms(long nanos) {
    return String.format("%.1f ms", nanos / 1_000_000.0);
  }
}
