package dev.mooring.bench;

import static org.awaitility.Awaitility.await;

import dev.mooring.api.AppIndex;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
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

  @Inject KubernetesClient client;
  @Inject AppIndex index;

  @TestHTTPResource("/api/webhook")
  URL webhook;

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
    List<Long> latencies = new PushToApplied(client, webhook, "latency").start().measure(20);
    rows.add(
        new String[] {
          "push to applied, 1 small app, 20 pushes: median",
          PushToApplied.ms(PushToApplied.percentile(latencies, 50))
        });
    rows.add(
        new String[] {
          "push to applied, 1 small app, 20 pushes: p95",
          PushToApplied.ms(PushToApplied.percentile(latencies, 95))
        });
  }

  private void answerTimeWithManyApps(List<String[]> rows) throws Exception {
    int repos = 50;
    int apps = 2000;
    for (int r = 0; r < repos; r++) {
      PushToApplied.namespace(client, "many-" + r);
    }
    for (int a = 0; a < apps; a++) {
      int r = a % repos;
      // repositories that do not exist: these apps only need to be matched, not deployed
      client
          .resource(
              PushToApplied.app(
                  "many-" + r,
                  "app-" + a,
                  "file:///tmp/mooring-missing/repo-" + r + ".git",
                  "apps/app-" + a))
          .create();
    }
    await().atMost(Duration.ofMinutes(5)).until(() -> index.list().size() >= apps);
    PushToApplied pusher = new PushToApplied(client, webhook, "unused");
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
      pusher.post(body);
      times.add(System.nanoTime() - start);
    }
    List<Long> measured = times.subList(50, times.size()); // the first ones warm the JIT up
    rows.add(
        new String[] {
          "webhook answer, 2,000 apps on 50 repos, 250 deliveries: median",
          PushToApplied.ms(PushToApplied.percentile(measured, 50))
        });
    rows.add(
        new String[] {
          "webhook answer, 2,000 apps on 50 repos, 250 deliveries: p99",
          PushToApplied.ms(PushToApplied.percentile(measured, 99))
        });
  }
}
