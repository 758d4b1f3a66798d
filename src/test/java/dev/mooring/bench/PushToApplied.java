package dev.mooring.bench;

import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.Hmac;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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

/**
 * What a user waits for after {@code git push}: one auto-synced Application with one ConfigMap, a
 * signed push webhook per commit, and the time until the API server holds the new value.
 */
final class PushToApplied {
  static final String SECRET = "hunter2-Webhook-Key-7f3a";

  private final KubernetesClient client;
  private final URL webhook;
  private final String namespace;
  private final HttpClient http = HttpClient.newHttpClient();
  private GitRepo origin;
  private GitRepo work;
  private int commits;

  PushToApplied(KubernetesClient client, URL webhook, String namespace) {
    this.client = client;
    this.webhook = webhook;
    this.namespace = namespace;
  }

  /** Creates the repository and the Application, and waits for its first sync. */
  PushToApplied start() throws Exception {
    Path tmp = Files.createTempDirectory("mooring-push-bench");
    origin = GitRepo.initBare(tmp.resolve("origin.git"));
    work = GitRepo.init(tmp.resolve("work"));
    work.write("app/cm.yaml", cm(0)).commit("0");
    work.push(origin.url(), "main:main");
    namespace(client, namespace);
    Application app = app(namespace, "web", origin.url(), "app");
    app.getSpec().syncPolicy = new ApplicationSpec.SyncPolicy();
    app.getSpec().syncPolicy.automated = new ApplicationSpec.Automated();
    client.resource(app).create();
    await().atMost(Duration.ofSeconds(60)).until(() -> "0".equals(value()));
    return this;
  }

  /** Pushes {@code pushes} commits one after the other; the nanoseconds each took to be applied. */
  List<Long> measure(int pushes) throws Exception {
    return measure(pushes, Duration.ZERO);
  }

  /** As {@link #measure(int)}, waiting {@code gap} after each applied push. */
  List<Long> measure(int pushes, Duration gap) throws Exception {
    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < pushes; i++) {
      if (i > 0 && !gap.isZero()) {
        Thread.sleep(gap.toMillis());
      }
      int n = ++commits;
      String sha = work.write("app/cm.yaml", cm(n)).commit(String.valueOf(n));
      work.push(origin.url(), "main:main");
      String expected = String.valueOf(n);
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
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(2))
          .until(() -> expected.equals(value()));
      latencies.add(System.nanoTime() - start);
    }
    return latencies;
  }

  int post(String body) throws Exception {
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
    ConfigMap cm = client.configMaps().inNamespace(namespace).withName("settings").get();
    return cm == null ? null : cm.getData().get("n");
  }

  static void namespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(n -> n.update());
  }

  static Application app(String ns, String name, String repo, String path) {
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

  static long percentile(List<Long> values, int p) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(Long::compare);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }

  static String ms(long nanos) {
    return String.format("%.1f ms", nanos / 1_000_000.0);
  }
}
