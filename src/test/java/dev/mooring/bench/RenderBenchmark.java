package dev.mooring.bench;

import dev.mooring.model.ApplicationSpec;
import dev.mooring.render.HelmRunner;
import dev.mooring.render.KustomizeRunner;
import dev.mooring.render.ManifestRenderer;
import dev.mooring.render.RenderCache;
import dev.mooring.render.RenderedManifests;
import dev.mooring.render.SourceRenderer;
import dev.mooring.source.SourceFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Numbers, not assertions ({@code ./mvnw -Pbench verify -Dtest=RenderBenchmark}): render time per
 * app for a 30-object Kustomize overlay, a 30-object Helm chart and a 30-object Jsonnet program,
 * beside {@code kubectl kustomize} run by hand on the same folder; the render cache's hit; and 20
 * apps rendered at once with the default bound of 2 renders at a time.
 */
class RenderBenchmark {
  private static final int OBJECTS = 30;
  private static final int RUNS = Integer.getInteger("bench.renders", 10);

  private final List<String[]> rows = new ArrayList<>();

  @Test
  void benchmark() throws Exception {
    Path repo = Files.createTempDirectory("mooring-render-bench");
    writeKustomize(repo);
    writeChart(repo);
    writeJsonnet(repo);
    SourceRenderer renderer =
        new SourceRenderer(
            new ManifestRenderer(),
            new KustomizeRunner(
                new KustomizeRunner.Settings(
                    "", List.of(), Duration.ofSeconds(90), 64L << 20, false, 2)),
            new HelmRunner(Duration.ofSeconds(90), 64L << 20, 2));

    List<Long> cli = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      Process p =
          new ProcessBuilder("kubectl", "kustomize", repo.resolve("k8s/overlays/prod").toString())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("kubectl kustomize failed");
      }
      cli.add(System.nanoTime() - start);
    }
    rows.add(row("kubectl kustomize k8s/overlays/prod (30 objects), by hand", median(cli)));

    ApplicationSpec.Source kustomize = source("k8s/overlays/prod");
    kustomize.kustomize = new ApplicationSpec.Kustomize();
    kustomize.kustomize.images = List.of("nginx:1.27.2");
    ApplicationSpec.Source helm = source("charts/shop");
    helm.helm = new ApplicationSpec.Helm();
    helm.helm.parameters = List.of(parameter("replicas", "3"));
    ApplicationSpec.Source jsonnet = source("jsonnet/shop");
    jsonnet.directory = new ApplicationSpec.Directory();
    jsonnet.directory.jsonnet = new ApplicationSpec.Jsonnet();
    jsonnet.directory.jsonnet.libs = List.of("jsonnet/lib");
    for (ApplicationSpec.Source s : List.of(kustomize, helm, jsonnet)) {
      String what =
          s.helm != null
              ? "Helm chart (30 objects)"
              : s.directory != null
                  ? "Jsonnet with a lib (30 objects)"
                  : "Kustomize overlay (30 objects)";
      render(renderer, repo, s, "warm-up");
      List<Long> times = new ArrayList<>();
      int objects = 0;
      for (int i = 0; i < RUNS; i++) {
        long start = System.nanoTime();
        objects = render(renderer, repo, s, "c" + i).manifests().size();
        times.add(System.nanoTime() - start);
      }
      rows.add(
          row(
              "Mooring: " + what + ", render of a new commit (" + objects + " objects)",
              median(times)));
      RenderCache cache = new RenderCache();
      SourceRenderer.Request request = request(s);
      cache.get(
          "r", "same", s.path, renderer.cacheKey(request), () -> render(renderer, repo, s, "same"));
      long start = System.nanoTime();
      for (int i = 0; i < 1000; i++) {
        cache.get(
            "r",
            "same",
            s.path,
            renderer.cacheKey(request),
            () -> render(renderer, repo, s, "same"));
      }
      rows.add(
          row(
              "Mooring: " + what + ", the same commit again (render cache hit)",
              (System.nanoTime() - start) / 1000));

      int apps = 20;
      ExecutorService pool = Executors.newFixedThreadPool(apps);
      start = System.nanoTime();
      List<Future<RenderedManifests>> all = new ArrayList<>();
      for (int i = 0; i < apps; i++) {
        String commit = "p" + i;
        all.add(pool.submit(() -> render(renderer, repo, s, commit)));
      }
      for (Future<RenderedManifests> f : all) {
        f.get();
      }
      rows.add(
          row(
              "Mooring: " + what + ", 20 apps at once (2 renders at a time): all rendered",
              System.nanoTime() - start));
      pool.shutdown();
    }
    System.out.println();
    System.out.println("| render benchmark (this machine) | value |");
    System.out.println("|---|---|");
    rows.forEach(r -> System.out.println("| " + r[0] + " | " + r[1] + " |"));
    System.out.println();
  }

  private static SourceRenderer.Request request(ApplicationSpec.Source s) {
    return new SourceRenderer.Request(s, "shop", "shop", "v1.32.13");
  }

  private static RenderedManifests render(
      SourceRenderer renderer, Path repo, ApplicationSpec.Source s, String commit)
      throws dev.mooring.source.SourceException, dev.mooring.render.RenderException {
    return renderer.render(commit, request(s), (path, recurse) -> files(repo, path, recurse));
  }

  private static SourceFiles files(Path repo, String path, boolean recurse) {
    return dev.mooring.testing.FolderFiles.read(repo, path, recurse);
  }

  private static ApplicationSpec.Source source(String path) {
    ApplicationSpec.Source s = new ApplicationSpec.Source();
    s.repoURL = "https://git.example/shop.git";
    s.path = path;
    return s;
  }

  private static ApplicationSpec.HelmParameter parameter(String name, String value) {
    ApplicationSpec.HelmParameter p = new ApplicationSpec.HelmParameter();
    p.name = name;
    p.value = value;
    return p;
  }

  private static void write(Path repo, String path, String content) throws IOException {
    Path p = repo.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  /** A base of 10 services, each a Deployment, a Service and a ConfigMap; a prod overlay. */
  private static void writeKustomize(Path repo) throws IOException {
    StringBuilder resources = new StringBuilder("resources:\n");
    for (int i = 0; i < OBJECTS / 3; i++) {
      String name = "svc-" + i;
      write(
          repo,
          "k8s/base/" + name + ".yaml",
          deployment(name)
              + "---\n"
              + service(name)
              + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: "
              + name
              + "}\ndata: {i: \""
              + i
              + "\"}\n");
      resources.append("- ").append(name).append(".yaml\n");
    }
    write(repo, "k8s/base/kustomization.yaml", resources.toString());
    write(
        repo,
        "k8s/overlays/prod/kustomization.yaml",
        "resources: [../../base]\nnamePrefix: prod-\ncommonLabels: {env: prod}\n"
            + "images: [{name: nginx, newTag: \"1.27\"}]\npatches:\n- target: {kind: Deployment}\n"
            + "  patch: |\n    - op: replace\n      path: /spec/replicas\n      value: 3\n");
  }

  /** A Jsonnet program rendering the same 30 objects through a library. */
  private static void writeJsonnet(Path repo) throws IOException {
    write(
        repo,
        "jsonnet/lib/shop.libsonnet",
        "{\n  service(name, i):: [\n"
            + "    {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: name},\n"
            + "     spec: {replicas: 3, selector: {matchLabels: {app: name}},\n"
            + "            template: {metadata: {labels: {app: name}},\n"
            + "                       spec: {containers: [{name: 'web', image: 'nginx:1.27'}]}}}},\n"
            + "    {apiVersion: 'v1', kind: 'Service', metadata: {name: name},\n"
            + "     spec: {selector: {app: name}, ports: [{port: 80}]}},\n"
            + "    {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: name}, data: {i: '' + i}},\n"
            + "  ],\n}\n");
    write(
        repo,
        "jsonnet/shop/main.jsonnet",
        "local shop = import 'shop.libsonnet';\n"
            + "std.flattenArrays([shop.service('svc-' + i, i) for i in std.range(0, "
            + (OBJECTS / 3 - 1)
            + ")])\n");
  }

  /** A chart rendering the same 30 objects from a range over values. */
  private static void writeChart(Path repo) throws IOException {
    write(repo, "charts/shop/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 1.0.0\n");
    StringBuilder values = new StringBuilder("replicas: 1\nservices:\n");
    for (int i = 0; i < OBJECTS / 3; i++) {
      values.append("- svc-").append(i).append("\n");
    }
    write(repo, "charts/shop/values.yaml", values.toString());
    write(
        repo,
        "charts/shop/templates/services.yaml",
        "{{- range $i, $name := .Values.services }}\n"
            + "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: \"{{ $name }}\"}\nspec:\n"
            + "  replicas: {{ $.Values.replicas }}\n  selector: {matchLabels: {app: \"{{ $name }}\"}}\n"
            + "  template:\n    metadata: {labels: {app: \"{{ $name }}\"}}\n    spec:\n"
            + "      containers: [{name: web, image: nginx:1.27}]\n---\n"
            + "apiVersion: v1\nkind: Service\nmetadata: {name: \"{{ $name }}\"}\nspec:\n"
            + "  selector: {app: \"{{ $name }}\"}\n  ports: [{port: 80}]\n---\n"
            + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \"{{ $name }}\"}\n"
            + "data: {i: \"{{ $i }}\"}\n---\n{{- end }}\n");
  }

  private static String deployment(String name) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: "
        + name
        + "}\nspec:\n"
        + "  replicas: 1\n  selector: {matchLabels: {app: "
        + name
        + "}}\n  template:\n"
        + "    metadata: {labels: {app: "
        + name
        + "}}\n    spec:\n"
        + "      containers: [{name: web, image: nginx:1.25}]\n";
  }

  private static String service(String name) {
    return "apiVersion: v1\nkind: Service\nmetadata: {name: "
        + name
        + "}\nspec:\n"
        + "  selector: {app: "
        + name
        + "}\n  ports: [{port: 80}]\n";
  }

  private static String[] row(String what, long nanos) {
    return new String[] {
      what,
      nanos >= 1_000_000_000L
          ? String.format("%.2f s", nanos / 1e9)
          : nanos >= 1_000_000
              ? String.format("%d ms", nanos / 1_000_000)
              : String.format("%d µs", nanos / 1000)
    };
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(Long::compare);
    return sorted.get(sorted.size() / 2);
  }
}
