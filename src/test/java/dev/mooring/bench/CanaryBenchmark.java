package dev.mooring.bench;

import static org.awaitility.Awaitility.await;

import dev.mooring.model.Canary;
import dev.mooring.rollout.CanaryChecks;
import dev.mooring.rollout.CanaryFixture;
import dev.mooring.testing.AuditLog;
import dev.mooring.testing.DeploymentSimulator;
import dev.mooring.testing.PrometheusServer;
import dev.mooring.testing.RealApiServer;
import dev.mooring.testing.RealKubernetes;
import dev.mooring.testing.ScrapeTarget;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Numbers, not assertions: run with {@code ./mvnw -Pbench verify -Dtest=CanaryBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}. {@code bench.canaries} (200) nginx Canaries, one
 * namespace per 20, analyse at once against one real Prometheus (two builtin metrics each, one
 * analysis tick per {@code bench.interval}, 5s); after all are Initialized and then Progressing,
 * the controller's meters are measured over {@code bench.window} (60s), on a real kube-apiserver
 * (requests counted from its audit log). The Deployment simulators and the informers run in the
 * same JVM, so process CPU is an upper bound of the controller's own.
 */
@QuarkusTest
@WithRealKubernetes
class CanaryBenchmark {
  private static final int PER_NAMESPACE = 20;
  private static final String LABEL = "mooring.dev/bench";
  private static final String QUERY_SERIES =
      "prometheus_http_requests_total{code=\"200\",handler=\"/api/v1/query\"}";
  private static final String QUERY_SECONDS =
      "prometheus_http_request_duration_seconds_sum{handler=\"/api/v1/query\"}";
  private static final String QUERY_COUNT =
      "prometheus_http_request_duration_seconds_count{handler=\"/api/v1/query\"}";
  private static final String PROCESS_CPU = "process_cpu_seconds_total";

  @RealKubernetes RealApiServer kube;
  @Inject KubernetesClient client;
  @Inject MeterRegistry registry;
  @Inject CanaryChecks checks;

  private final List<String[]> rows = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void benchmark() throws Exception {
    if (PrometheusServer.binary().isEmpty()) {
      Assumptions.abort(
          "no Prometheus binary at "
              + PrometheusServer.DEBIAN_BINARY
              + " (apt-get install -y prometheus)");
    }
    int n = Integer.getInteger("bench.canaries", 200);
    String interval = System.getProperty("bench.interval", "5s");
    Duration window = Duration.parse("PT" + System.getProperty("bench.window", "60s"));
    int namespaces = (n + PER_NAMESPACE - 1) / PER_NAMESPACE;

    ScrapeTarget scrape = ScrapeTarget.start();
    for (int i = 0; i < n; i++) {
      String labels =
          "{namespace=\"" + ns(i) + "\",ingress=\"app-" + i + "\",canary=\"canary-" + i + "\"";
      scrape.grow("nginx_ingress_controller_requests" + labels + ",status=\"200\"}", 20);
      scrape.grow("nginx_ingress_controller_response_duration_seconds_sum" + labels + "}", 1);
      scrape.grow("nginx_ingress_controller_response_duration_seconds_count" + labels + "}", 20);
    }
    RequestCounter requests = new RequestCounter(kube.audit());
    List<DeploymentSimulator> simulators = new ArrayList<>();
    try (PrometheusServer prometheus =
        PrometheusServer.start(
            Files.createTempDirectory("mooring-canary-bench-prom"), List.of(scrape.hostPort()))) {
      try {
        List<CanaryFixture> fixtures = new ArrayList<>();
        for (int k = 0; k < namespaces; k++) {
          String name = "bench-canary-" + k;
          fixtures.add(new CanaryFixture(client, name)); // creates the namespace
          simulators.add(DeploymentSimulator.start(client, name));
        }
        // whole-run baseline, before any Canary exists
        double[] checksAtStart = checkCounts();
        long queriesAtStart = checks.queries();
        double promAtStart = prometheusMetrics(prometheus).getOrDefault(QUERY_SERIES, 0.0);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
          CanaryFixture fx = fixtures.get(i / PER_NAMESPACE);
          fx.deployment("app-" + i, "app:1", 2);
          fx.ingress("app-" + i, "app-" + i);
        }
        long workloadsCreated = System.nanoTime();
        for (int i = 0; i < n; i++) {
          Canary canary =
              Serialization.unmarshal(canaryYaml(i, prometheus.url(), interval), Canary.class);
          client.resource(canary).create();
        }
        long canariesCreated = System.nanoTime();
        awaitAll(n, "Initialized", 0, Duration.ofMinutes(10));
        long initialized = System.nanoTime();

        for (int i = 0; i < n; i++) {
          setImage(i, "app:2");
        }
        long imagesChanged = System.nanoTime();
        awaitAll(n, "Progressing", 0, Duration.ofMinutes(10));
        long progressing = System.nanoTime();
        // the first step (weight 0 to 1) runs no checks; from weight 1 on every tick checks
        awaitAll(n, "Progressing", 1, Duration.ofMinutes(10));
        long analysing = System.nanoTime();

        rows.add(
            row("canaries", n + " in " + namespaces + " namespaces, analysis every " + interval));
        rows.add(
            row(
                "create " + n + " Deployments + ConfigMaps + Ingresses / " + n + " Canaries",
                ms(workloadsCreated - start) + " / " + ms(canariesCreated - workloadsCreated)));
        rows.add(
            row(
                "Canaries created to all " + n + " Initialized",
                ms(initialized - workloadsCreated)));
        rows.add(
            row(
                "image changed (all at once) to all " + n + " Progressing / all at weight >= 1",
                ms(progressing - imagesChanged) + " / " + ms(analysing - imagesChanged)));

        measure(n, interval, window, prometheus, requests);
        wholeRun(n, interval, prometheus, checksAtStart, queriesAtStart, promAtStart);
      } finally {
        simulators.forEach(DeploymentSimulator::close);
      }
    } finally {
      scrape.close();
      print();
    }
  }

  /** The rows so far, as a markdown table (also when the run failed half-way). */
  private void print() {
    System.out.println();
    System.out.println("| canary benchmark | value |");
    System.out.println("|---|---|");
    rows.forEach(r -> System.out.println("| " + r[0] + " | " + r[1] + " |"));
    System.out.println();
  }

  private void measure(
      int n, String interval, Duration window, PrometheusServer prometheus, RequestCounter requests)
      throws Exception {
    Timer tick = registry.timer("mooring.canary.tick");
    Timer delay = registry.timer("mooring.canary.tick.delay");
    Timer cpu = registry.timer("mooring.canary.tick.cpu");
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    long ticks0 = tick.count();
    double wall0 = tick.totalTime(TimeUnit.NANOSECONDS);
    double delay0 = delay.totalTime(TimeUnit.NANOSECONDS);
    long cpuCount0 = cpu.count();
    double cpu0 = cpu.totalTime(TimeUnit.NANOSECONDS);
    double[] checks0 = checkCounts();
    long queries0 = checks.queries();
    Map<String, Double> prom0 = prometheusMetrics(prometheus);
    long process0 = os.getProcessCpuTime();
    long gc0 = gcMillis();
    // percentiles and an exact max over the window: a SimpleMeterRegistry joins the composite the
    // production meters record into, for the tick timers only (nothing registered in production).
    // It is there only while no production meter is read: a composite meter reads its first child,
    // and the children are in no particular order.
    SimpleMeterRegistry windowed = windowRegistry();
    CompositeMeterRegistry composite = registry instanceof CompositeMeterRegistry c ? c : null;
    if (composite != null) {
      composite.add(windowed);
    }
    requests.measuring(true);
    long t0 = System.nanoTime();

    Thread.sleep(window.toMillis());

    long elapsed = System.nanoTime() - t0;
    requests.measuring(false);
    if (composite != null) {
      composite.remove(windowed);
    }
    long ticks = tick.count() - ticks0;
    double wall = tick.totalTime(TimeUnit.NANOSECONDS) - wall0;
    double late = delay.totalTime(TimeUnit.NANOSECONDS) - delay0;
    long cpuCount = cpu.count() - cpuCount0;
    double cpuTotal = cpu.totalTime(TimeUnit.NANOSECONDS) - cpu0;
    double[] checks1 = checkCounts();
    long queries = checks.queries() - queries0;
    Map<String, Double> prom1 = prometheusMetrics(prometheus);
    long process = os.getProcessCpuTime() - process0;
    long gc = gcMillis() - gc0;
    double passed = checks1[0] - checks0[0];
    double failed = checks1[1] - checks0[1];
    // Prometheus has no series of a handler before its first request
    double promQueries =
        prom1.getOrDefault(QUERY_SERIES, 0.0) - prom0.getOrDefault(QUERY_SERIES, 0.0);
    double promCpu =
        prom1.getOrDefault(PROCESS_CPU, Double.NaN) - prom0.getOrDefault(PROCESS_CPU, Double.NaN);
    double promQuerySeconds =
        prom1.getOrDefault(QUERY_SECONDS, 0.0) - prom0.getOrDefault(QUERY_SECONDS, 0.0);
    double promQueryCount =
        prom1.getOrDefault(QUERY_COUNT, 0.0) - prom0.getOrDefault(QUERY_COUNT, 0.0);
    double seconds = elapsed / 1e9;
    double expected = n / (Duration.parse("PT" + interval).toNanos() / 1e9);

    rows.add(row("measure window", String.format(Locale.ROOT, "%.1f s", seconds)));
    Timer windowTicks = windowed.find("mooring.canary.tick").timer();
    rows.add(
        row(
            "ticks run in the window",
            ticks
                + (windowTicks == null ? "" : " (window registry: " + windowTicks.count() + ")")));
    rows.add(
        row(
            "ticks/s (due at exactly every interval: "
                + fmt(expected)
                + "; the next tick is scheduled an interval after the start of the last (fixed rate))",
            fmt(ticks / seconds)));
    rows.add(
        row(
            "reconcile-thread CPU per tick: mean" + percentileNames(windowed),
            ms(cpuCount == 0 ? 0 : cpuTotal / cpuCount)
                + percentiles(windowed, "mooring.canary.tick.cpu")));
    rows.add(
        row(
            "process CPU per tick (upper bound: includes informers," + " simulators)",
            ms(ticks == 0 ? 0 : (double) process / ticks)));
    rows.add(
        row(
            "process CPU in the window (of one core; the machine has "
                + Runtime.getRuntime().availableProcessors()
                + ")",
            String.format(Locale.ROOT, "%.1f %%", 100.0 * process / elapsed)
                + ", GC "
                + gc
                + " ms"));
    rows.add(
        row(
            "wall time per tick: mean" + percentileNames(windowed) + ", max",
            ms(ticks == 0 ? 0 : wall / ticks)
                + percentiles(windowed, "mooring.canary.tick")
                + ", "
                + max(windowed, "mooring.canary.tick", tick)));
    rows.add(
        row(
            "tick delay vs schedule: mean" + percentileNames(windowed) + ", max",
            ms(ticks == 0 ? 0 : late / ticks)
                + percentiles(windowed, "mooring.canary.tick.delay")
                + ", "
                + max(windowed, "mooring.canary.tick.delay", delay)));
    rows.add(
        row(
            "metric checks in the window (passed / failed)",
            fmt0(passed + failed) + " (" + fmt0(passed) + " / " + fmt0(failed) + ")"));
    rows.add(
        row(
            "Prometheus queries per metric check (CanaryChecks.queries(); a tick in flight at an"
                + " edge of the window skews it slightly)",
            String.format(Locale.ROOT, "%.3f", queries / (passed + failed))));
    rows.add(
        row(
            "Prometheus queries per tick (CanaryChecks / Prometheus' own /api/v1/query count)",
            String.format(
                Locale.ROOT, "%.3f / %.3f", (double) queries / ticks, promQueries / ticks)));
    rows.add(
        row(
            "Prometheus queries in the window (CanaryChecks / Prometheus' own count)",
            queries + " / " + fmt0(promQueries)));
    rows.add(
        row(
            "Prometheus per query: time to answer (its http_request_duration) / process CPU"
                + " (its process_cpu_seconds_total, incl. scraping "
                + 3 * n
                + " series every 1s)",
            ms(promQuerySeconds * 1e9 / promQueryCount) + " / " + ms(promCpu * 1e9 / promQueries)));
    rows.add(
        row(
            "API writes per tick (real API server's audit log, by resource)",
            requests.perTick(ticks, false)));
    rows.add(
        row(
            "API reads per tick (GET, list and watches opened; audit log, by resource)",
            requests.perTick(ticks, true)));

    List<Canary> all = canaries();
    Map<String, Long> phases =
        all.stream()
            .collect(
                Collectors.groupingBy(
                    c -> c.getStatus() == null ? "none" : String.valueOf(c.getStatus().phase),
                    TreeMap::new,
                    Collectors.counting()));
    var weights =
        all.stream()
            .mapToInt(
                c ->
                    c.getStatus() == null || c.getStatus().canaryWeight == null
                        ? -1
                        : c.getStatus().canaryWeight)
            .summaryStatistics();
    rows.add(row("Canary phases after the window", phases.toString()));
    rows.add(
        row(
            "canary weight after the window (min / mean / max)",
            weights.getMin()
                + " / "
                + String.format(Locale.ROOT, "%.1f", weights.getAverage())
                + " / "
                + weights.getMax()));
    System.gc();
    Runtime rt = Runtime.getRuntime();
    rows.add(
        row(
            "heap used after GC (Mooring's JVM; the API server is another process)",
            ((rt.totalMemory() - rt.freeMemory()) >> 20) + " MiB"));
  }

  /**
   * Suspends every Canary, waits until no tick can still be checking, and compares the totals since
   * before the first Canary: exact, unlike the window's ratio, where a tick that straddles an edge
   * has its queries on one side and its checks counter on the other.
   */
  private void wholeRun(
      int n,
      String interval,
      PrometheusServer prometheus,
      double[] checksAtStart,
      long queriesAtStart,
      double promAtStart)
      throws Exception {
    // a patch without resourceVersion: the controller writes status meanwhile
    for (int i = 0; i < n; i++) {
      client
          .resources(Canary.class)
          .inNamespace(ns(i))
          .withName("app-" + i)
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}");
    }
    Thread.sleep(Duration.parse("PT" + interval).toMillis() + 2000);
    long settled = checks.queries();
    await()
        .atMost(Duration.ofMinutes(2))
        .pollDelay(Duration.ofSeconds(1))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> checks.queries() == settled);
    double[] now = checkCounts();
    double checked = now[0] + now[1] - checksAtStart[0] - checksAtStart[1];
    long queries = checks.queries() - queriesAtStart;
    double prom =
        prometheusMetrics(prometheus).getOrDefault(QUERY_SERIES, Double.NaN) - promAtStart;
    rows.add(
        row(
            "whole run, analysis suspended before counting: metric checks / CanaryChecks queries"
                + " / Prometheus' own count / queries per check (a tick whose status write fails"
                + " after its checks, e.g. 409 because the suspend patch landed mid-tick, has"
                + " queries but no checks counted)",
            fmt0(checked)
                + " / "
                + queries
                + " / "
                + fmt0(prom)
                + " / "
                + String.format(Locale.ROOT, "%.4f", queries / checked)));
  }

  private static SimpleMeterRegistry windowRegistry() {
    SimpleMeterRegistry windowed = new SimpleMeterRegistry();
    windowed
        .config()
        .meterFilter(MeterFilter.denyUnless(id -> id.getName().startsWith("mooring.canary.tick")))
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                return DistributionStatisticConfig.builder()
                    .percentiles(0.5, 0.95, 0.99)
                    .percentilePrecision(2)
                    .expiry(Duration.ofDays(1))
                    .bufferLength(1)
                    .build()
                    .merge(config);
              }
            });
    return windowed;
  }

  private static String percentileNames(SimpleMeterRegistry windowed) {
    return windowed.getMeters().isEmpty() ? "" : " / p50 / p95 / p99";
  }

  private static String percentiles(SimpleMeterRegistry windowed, String name) {
    Timer timer = windowed.find(name).timer();
    if (timer == null) {
      return "";
    }
    HistogramSnapshot snapshot = timer.takeSnapshot();
    StringBuilder out = new StringBuilder();
    for (ValueAtPercentile p : snapshot.percentileValues()) {
      out.append(" / ").append(ms(p.value(TimeUnit.NANOSECONDS)));
    }
    return out.toString();
  }

  /** The window's exact max when the window registry has it, else the decaying production max. */
  private static String max(SimpleMeterRegistry windowed, String name, Timer production) {
    Timer timer = windowed.find(name).timer();
    return timer != null
        ? ms(timer.max(TimeUnit.NANOSECONDS))
        : ms(production.max(TimeUnit.NANOSECONDS)) + " (decaying max)";
  }

  /** Passed and failed checks of all Canaries so far. */
  private double[] checkCounts() {
    double passed = 0;
    double failed = 0;
    for (Counter c : registry.find("mooring.canary.checks").counters()) {
      if ("passed".equals(c.getId().getTag("result"))) {
        passed += c.count();
      } else {
        failed += c.count();
      }
    }
    return new double[] {passed, failed};
  }

  private Map<String, Double> prometheusMetrics(PrometheusServer prometheus) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(prometheus.url() + "/metrics"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "Prometheus /metrics answered " + response.statusCode() + ": " + response.body());
    }
    Map<String, Double> values = new TreeMap<>();
    for (String line : response.body().split("\n")) {
      if (List.of(QUERY_SERIES, QUERY_SECONDS, QUERY_COUNT, PROCESS_CPU).stream()
          .anyMatch(series -> line.startsWith(series + " "))) {
        int space = line.lastIndexOf(' ');
        values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    if (!values.containsKey(PROCESS_CPU)) {
      System.out.println(
          "bench: no "
              + PROCESS_CPU
              + " in Prometheus' /metrics ("
              + response.body().length()
              + " chars): "
              + response.body().lines().limit(5).collect(Collectors.joining(" | ")));
    }
    return values;
  }

  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  /** Waits until all {@code n} Canaries are in {@code phase} with at least {@code weight}. */
  private void awaitAll(int n, String phase, int weight, Duration max) {
    try {
      await()
          .atMost(max)
          .pollDelay(Duration.ofMillis(250))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> canaries().stream().filter(c -> reached(c, phase, weight)).count() == n);
    } catch (RuntimeException e) {
      Map<String, List<String>> byPhase = new TreeMap<>();
      for (Canary c : canaries()) {
        String p = c.getStatus() == null ? "none" : String.valueOf(c.getStatus().phase);
        byPhase.computeIfAbsent(p, k -> new ArrayList<>()).add(key(c));
      }
      System.out.println("TIMEOUT waiting for all " + phase + ": " + byPhase);
      canaries().stream()
          .filter(c -> !reached(c, phase, weight))
          .findFirst()
          .ifPresent(c -> System.out.println(Serialization.asYaml(c)));
      throw e;
    }
  }

  private static boolean reached(Canary c, String phase, int weight) {
    return c.getStatus() != null
        && phase.equals(c.getStatus().phase)
        && (weight <= 0
            || (c.getStatus().canaryWeight != null && c.getStatus().canaryWeight >= weight));
  }

  private List<Canary> canaries() {
    return client
        .resources(Canary.class)
        .inAnyNamespace()
        .withLabel(LABEL, "canary")
        .list()
        .getItems();
  }

  private static String key(Canary c) {
    return c.getMetadata().getNamespace() + "/" + c.getMetadata().getName();
  }

  private static String ns(int i) {
    return "bench-canary-" + (i / PER_NAMESPACE);
  }

  private void setImage(int i, String image) {
    client
        .apps()
        .deployments()
        .inNamespace(ns(i))
        .withName("app-" + i)
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\","
                + "\"value\":\""
                + image
                + "\"}]");
  }

  private static String canaryYaml(int i, String metricsServer, String interval) {
    return """
        apiVersion: mooring.dev/v1alpha1
        kind: Canary
        metadata:
          name: app-%1$d
          namespace: %2$s
          labels: {%3$s: canary}
        spec:
          provider: nginx
          metricsServer: %4$s
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: app-%1$d}
          ingressRef: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: app-%1$d}
          progressDeadlineSeconds: 600
          service: {port: 80, targetPort: 9898}
          analysis:
            interval: %5$s
            threshold: 1000
            maxWeight: 100
            stepWeight: 1
            metrics:
              - name: request-success-rate
                thresholdRange: {min: 99}
                interval: 30s
              - name: request-duration
                thresholdRange: {max: 500}
                interval: 30s
        """
        .formatted(i, ns(i), LABEL, metricsServer, interval);
  }

  /** Counts Mooring's requests between two marks of the API server's audit log. */
  private final class RequestCounter {
    private final AuditLog audit;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private long from;

    RequestCounter(AuditLog audit) {
      this.audit = audit;
    }

    void measuring(boolean on) {
      if (on) {
        from = audit.mark();
        return;
      }
      for (AuditLog.Entry e : audit.since(from, AuditLog.Entry::byMooring)) {
        String verb = e.write() ? e.verb().toUpperCase(Locale.ROOT) : "GET";
        String what =
            (e.resource() == null ? e.uri() : e.resource())
                + (e.subresource() == null ? "" : "/" + e.subresource())
                + ("watch".equals(e.verb())
                    ? " (watch)"
                    : "list".equals(e.verb()) ? " (list)" : "");
        counts.computeIfAbsent(verb + " " + what, k -> new LongAdder()).increment();
      }
    }

    /** Reads ({@code GET}) or writes (any other method) per tick, in all and by resource. */
    String perTick(long ticks, boolean reads) {
      Map<String, Long> selected = new TreeMap<>();
      counts.forEach(
          (key, count) -> {
            if (key.startsWith("GET ") == reads) {
              selected.put(key, count.sum());
            }
          });
      if (ticks == 0 || selected.isEmpty()) {
        return "none";
      }
      long total = selected.values().stream().mapToLong(Long::longValue).sum();
      return String.format(Locale.ROOT, "%.3f", (double) total / ticks)
          + " ("
          + selected.entrySet().stream()
              .map(
                  e ->
                      e.getKey()
                          + " "
                          + String.format(Locale.ROOT, "%.3f", (double) e.getValue() / ticks))
              .collect(Collectors.joining(", "))
          + ")";
    }
  }

  private static String[] row(String name, String value) {
    return new String[] {name, value};
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static String fmt0(double value) {
    return String.format(Locale.ROOT, "%.0f", value);
  }

  private static String ms(double nanos) {
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1_000_000.0);
  }
}
