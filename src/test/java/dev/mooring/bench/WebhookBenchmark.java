package dev.mooring.bench;

import static org.awaitility.Awaitility.await;

import dev.mooring.api.AppIndex;
import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.Hmac;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Numbers, not assertions ({@code ./mvnw -Pbench verify}): push-to-applied latency for one small
 * app, and the webhook's answer time with 2,000 Applications on 50 repositories.
 */
@QuarkusTest
@WithRealKubernetes
class WebhookBenchmark {
  static final String SECRET = "hunter2-Webhook-Key-7f3a";

  @Inject KubernetesClient client;
  @Inject AppIndex index;

  @TestHTTPResource("/api/webhook")
  URL webhook;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void benchmark() throws Exception {
    List<String[]> rows = new ArrayList<>();
    pushToApplied(rows);
    answerTimeWithManyApps(rows);
    System.out.println();
    System.out.println("| webhook benchmark | value |");
    System.out.println("|---|---|");
    rows.forEach(r -> System.out.println("| " + r[0] + " | " + r[1] + " |"));
    System.out.println();
  }

  private void pushToApplied(List<String[]> rows) throws Exception {
    Path tmp = Files.createTempDirectory("mooring-wh-bench");
    GitRepo origin = GitRepo.initBare(tmp.resolve("origin.git"));
    GitRepo work = GitRepo.init(tmp.resolve("work"));
    work.write("app/cm.yaml", cm(0)).commit("0");
    work.push(origin.url(), "main:main");
    namespace("latency");
    Application app = app("latency", "web", origin.url(), "app");
    app.getSpec().syncPolicy = new ApplicationSpec.SyncPolicy();
    app.getSpec().syncPolicy.automated = new ApplicationSpec.Automated();
    client.resource(app).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> "0".equals(value()));
    List<Long> latencies = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      String sha = work.write("app/cm.yaml", cm(i)).commit(String.valueOf(i));
      work.push(origin.url(), "main:main");
      String expected = String.valueOf(i);
      long start = System.nanoTime();
      int status =
          post(
              "{\"repoURL\":\""
                  + origin.url()
                  + "\",\"ref\":\"refs/heads/main\",\"after\":\""
                  + sha
                  + "\"}");
      if (status != 202) {
        throw new IllegalStateException("webhook answered " + status);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(2))
          .until(() -> expected.equals(value()));
      latencies.add(System.nanoTime() - start);
    }
    rows.add(
        new String[] {
          "push to applied, 1 small app, 20 pushes: median", ms(percentile(latencies, 50))
        });
    rows.add(
        new String[] {
          "push to applied, 1 small app, 20 pushes: p95", ms(percentile(latencies, 95))
        });
  }

  private void answerTimeWithManyApps(List<String[]> rows) throws Exception {
    int repos = 50;
    int apps = 2000;
    for (int r = 0; r < repos; r++) {
      namespace("many-" + r);
    }
    for (int a = 0; a < apps; a++) {
      int r = a % repos;
      // repositories that do not exist: these apps only need to be matched, not deployed
      client
          .resource(
              app(
                  "many-" + r,
                  "app-" + a,
                  "file:///tmp/mooring-missing/repo-" + r + ".git",
                  "apps/app-" + a))
          .create();
    }
    await().atMost(Duration.ofMinutes(5)).until(() -> index.list().size() >= apps);
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int r = i % repos;
      String body =
          "{\"repoURL\":\"file:///tmp/mooring-missing/repo-"
              + r
              + ".git\",\"ref\":\"refs/heads/main\","
              + "\"after\":\""
              + "a".repeat(40)
              + "\",\"changedFiles\":[\"apps/app-"
              + r
              + "/deploy.yaml\"]}";
      long start = System.nanoTime();
      post(body);
      times.add(System.nanoTime() - start);
    }
    List<Long> measured = times.subList(50, times.size()); // the first ones warm the JIT up
    rows.add(
        new String[] {
          "webhook answer, 2,000 apps on 50 repos, 250 deliveries: median",
          ms(percentile(measured, 50))
        });
    rows.add(
        new String[] {
          "webhook answer, 2,000 apps on 50 repos, 250 deliveries: p99",
          ms(percentile(measured, 99))
        });
  }

  private int post(String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(webhook.toString()))
            .header("Content-Type", "application/json")
            .header("X-Mooring-Signature", "sha256=" + Hmac.sha256Hex(SECRET, bytes))
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private String value() {
    ConfigMap cm = client.configMaps().inNamespace("latency").withName("settings").get();
    return cm == null ? null : cm.getData().get("n");
  }

  private void namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(n -> n.update());
  }

  private static Application app(String ns, String name, String repo, String path) {
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    ApplicationSpec spec = new ApplicationSpec();
    spec.source = new ApplicationSpec.Source();
    spec.source.repoURL = repo;
    spec.source.targetRevision = "main";
    spec.source.path = path;
    spec.refreshInterval = "10m";
    app.setSpec(spec);
    return app;
  }

  private static String cm(int n) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {n: \""
        + n
        + "\"}\n";
  }

  private static long percentile(List<Long> values, int p) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(Long::compare);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }

  private static String ms(long nanos) {
    return String.format("%.1f ms", nanos / 1_000_000.0);
  }
}
