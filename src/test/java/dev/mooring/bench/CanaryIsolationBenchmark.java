package dev.mooring.bench;

import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.mooring.model.Canary;
import dev.mooring.rollout.CanaryFixture;
import dev.mooring.testing.DeploymentSimulator;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Numbers, not assertions ({@code ./mvnw -Pbench verify -Dtest=CanaryIsolationBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}): push-to-applied of an Application, first with no
 * Canary, then while {@code bench.canaries} (200) Canaries are in analysis, each tick calling a
 * load-test ({@code rollout}) webhook that answers after {@code bench.hookSeconds} (30 s). The
 * ticks run on the analysis pool; the Application's sync must not wait for them. On the real
 * kube-apiserver; the webhooks are a local HTTP server that sleeps.
 */
@QuarkusTest
@WithRealKubernetes
class CanaryIsolationBenchmark {
  private static final int PER_NAMESPACE = 20;

  @Inject KubernetesClient client;
  @Inject MeterRegistry registry;

  @TestHTTPResource("/api/webhook")
  URL webhook;

  @Test
  void benchmark() throws Exception {
    int n = Integer.getInteger("bench.canaries", 200);
    int hookSeconds = Integer.getInteger("bench.hookSeconds", 30);
    int pushes = Integer.getInteger("bench.pushes", 20);
    List<String[]> rows = new ArrayList<>();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    AtomicLong calls = new AtomicLong();
    HttpServer hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    hooks.setExecutor(Executors.newCachedThreadPool());
    hooks.createContext(
        "/load-test",
        exchange -> {
          mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          calls.incrementAndGet();
          try {
            exchange.getRequestBody().readAllBytes();
            Thread.sleep(TimeUnit.SECONDS.toMillis(hookSeconds));
            exchange.sendResponseHeaders(200, -1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            exchange.close();
            inFlight.decrementAndGet();
          }
        });
    hooks.start();
    String hookUrl = "http://127.0.0.1:" + hooks.getAddress().getPort() + "/load-test";
    List<DeploymentSimulator> simulators = new ArrayList<>();
    try {
      PushToApplied push = new PushToApplied(client, webhook, "isolation-app").start();
      push.measure(3); // warm-up
      List<Long> idle =
          push.measure(pushes, Duration.ofMillis(Long.getLong("bench.pushGapMillis", 2000)));
      rows.add(
          row(
              "push to applied, no Canary (" + pushes + " pushes): median / p95",
              PushToApplied.ms(PushToApplied.percentile(idle, 50))
                  + " / "
                  + PushToApplied.ms(PushToApplied.percentile(idle, 95))));

      moreServiceIps();
      int namespaces = (n + PER_NAMESPACE - 1) / PER_NAMESPACE;
      List<CanaryFixture> fixtures = new ArrayList<>();
      for (int k = 0; k < namespaces; k++) {
        fixtures.add(new CanaryFixture(client, "isolation-" + k));
        simulators.add(DeploymentSimulator.start(client, "isolation-" + k));
      }
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        int at = i;
        retried(() -> fixtures.get(at / PER_NAMESPACE).deployment("app-" + at, "app:1", 1));
        retried(
            () ->
                client
                    .resource(
                        Serialization.unmarshal(canaryYaml(at, hookUrl, hookSeconds), Canary.class))
                    .create());
      }
      awaitAll(n, "Initialized", Duration.ofMinutes(10));
      rows.add(row(n + " Canaries created to all Initialized", ms(System.nanoTime() - start)));
      for (int i = 0; i < n; i++) {
        client
            .apps()
            .deployments()
            .inNamespace(ns(i))
            .withName("app-" + i)
            .patch(
                PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\","
                    + "\"value\":\"app:2\"}]");
      }
      awaitAll(n, "Progressing", Duration.ofMinutes(10));
      // the load tests that run at once: the analysis pool (mooring.canary.analysis-threads);
      // before it existed, the reconcile threads (mooring.sync.parallelism, 16)
      int threads = Integer.getInteger("bench.saturation", 32);
      await().atMost(Duration.ofMinutes(5)).until(() -> inFlight.get() >= Math.min(threads, n));
      long callsBefore = calls.get();
      // spread over more than one load test, so that ticks end and start during the pushes
      Duration gap = Duration.ofMillis(Long.getLong("bench.pushGapMillis", 2000));
      long window = System.nanoTime();
      List<Long> busy = push.measure(pushes, gap);
      window = System.nanoTime() - window;
      rows.add(
          row(
              "push to applied, "
                  + n
                  + " Canaries calling "
                  + hookSeconds
                  + " s load tests ("
                  + pushes
                  + " pushes over "
                  + Math.round(window / 1e9)
                  + " s): median / p95",
              PushToApplied.ms(PushToApplied.percentile(busy, 50))
                  + " / "
                  + PushToApplied.ms(PushToApplied.percentile(busy, 95))));
      rows.add(
          row(
              "load-test calls in flight during the pushes: now / most",
              inFlight.get() + " / " + mostInFlight.get()));
      rows.add(row("load-test calls started during the pushes", "" + (calls.get() - callsBefore)));
      Double queued =
          registry.find("mooring.canary.analysis.busy").gauge() == null
              ? null
              : registry.find("mooring.canary.analysis.busy").gauge().value();
      rows.add(row("analysis ticks running or queued (gauge)", String.valueOf(queued)));
      Timer delay = registry.find("mooring.canary.tick.delay").timer();
      if (delay != null) {
        rows.add(
            row(
                "canary tick delay (schedule to start): mean / max",
                ms((long) delay.mean(TimeUnit.NANOSECONDS))
                    + " / "
                    + ms((long) delay.max(TimeUnit.NANOSECONDS))));
      }
    } finally {
      simulators.forEach(DeploymentSimulator::close);
      hooks.stop(0);
      System.out.println();
      System.out.println("| canary isolation benchmark | value |");
      System.out.println("|---|---|");
      rows.forEach(r -> System.out.println("| " + r[0] + " | " + r[1] + " |"));
      System.out.println();
    }
  }

  /**
   * Each Canary has three Services; kube-api-test's Service range holds 254. The bench profile
   * serves ServiceCIDRs (see RealApiServer), so a second range is added here.
   */
  private void moreServiceIps() {
    client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: networking.k8s.io/v1beta1
                kind: ServiceCIDR
                metadata: {name: bench-services}
                spec: {cidrs: [10.1.0.0/16]}
                """,
                io.fabric8.kubernetes.api.model.GenericKubernetesResource.class))
        .createOr(r -> r.update());
  }

  /** The API server may close a busy connection ("Connection was closed"): try again. */
  private static void retried(Runnable create) {
    for (int attempt = 1; ; attempt++) {
      try {
        create.run();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() == 409 || attempt >= 5) {
          if (e.getCode() == 409) {
            return; // the first attempt got through
          }
          throw e;
        }
      }
    }
  }

  private void awaitAll(int n, String phase, Duration max) {
    await()
        .atMost(max)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                client
                        .resources(Canary.class)
                        .inAnyNamespace()
                        .withLabel("mooring.dev/bench", "isolation")
                        .list()
                        .getItems()
                        .stream()
                        .filter(c -> c.getStatus() != null && phase.equals(c.getStatus().phase))
                        .count()
                    == n);
  }

  private static String ns(int i) {
    return "isolation-" + (i / PER_NAMESPACE);
  }

  private static String canaryYaml(int i, String hookUrl, int hookSeconds) {
    return """
        apiVersion: mooring.dev/v1alpha1
        kind: Canary
        metadata:
          name: app-%1$d
          namespace: %2$s
          labels: {mooring.dev/bench: isolation}
        spec:
          provider: kubernetes
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: app-%1$d}
          progressDeadlineSeconds: 3600
          service: {port: 80, targetPort: 9898}
          analysis:
            interval: 10s
            threshold: 1000
            iterations: 1000
            webhooks:
              - name: load-test
                type: rollout
                url: %3$s
                timeout: %4$ds
        """
        .formatted(i, ns(i), hookUrl, hookSeconds + 10);
  }

  private static String[] row(String name, String value) {
    return new String[] {name, value};
  }

  private static String ms(long nanos) {
    return PushToApplied.ms(nanos);
  }
}
