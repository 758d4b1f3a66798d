package dev.mooring.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mooring.model.ApplicationSpec;
import dev.mooring.source.SourceFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The source types on real tools: kustomize ({@code kubectl kustomize}, or {@code kustomize} when
 * on PATH) and Helm in process; fixtures are common layouts (base and overlays with a component, a
 * chart with a subchart, value files and a test hook).
 */
class SourceRendererTest {
  Path repo;
  SourceRenderer renderer;

  @BeforeEach
  void setUp() throws IOException {
    repo = Files.createTempDirectory("mooring-sources");
    renderer = renderer(false);
  }

  private static SourceRenderer renderer(boolean allowRemote) {
    return new SourceRenderer(
        new ManifestRenderer(),
        new KustomizeRunner(
            new KustomizeRunner.Settings(
                "", List.of(), Duration.ofSeconds(60), 8 * 1024 * 1024, allowRemote, 2)),
        new HelmRunner(Duration.ofSeconds(60), 8 * 1024 * 1024, 2));
  }

  private void write(String path, String content) {
    try {
      Path p = repo.resolve(path);
      Files.createDirectories(p.getParent());
      Files.writeString(p, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository folder as the Git reader gives it. */
  private SourceFiles files(String path, boolean recurse) {
    return dev.mooring.testing.FolderFiles.read(repo, path, recurse);
  }

  private RenderedManifests render(ApplicationSpec.Source source) throws Exception {
    return renderer.render(
        "c1", new SourceRenderer.Request(source, "shop", "web", "v1.32.13"), this::files);
  }

  private static ApplicationSpec.Source source(String path) {
    ApplicationSpec.Source s = new ApplicationSpec.Source();
    s.repoURL = "https://git.example/r.git";
    s.path = path;
    return s;
  }

  private void baseAndOverlay() {
    write(
        "k8s/base/kustomization.yaml",
        "resources: [deployment.yaml, service.yaml]\nconfigMapGenerator:\n"
            + "- name: settings\n  literals: [color=blue]\n");
    write(
        "k8s/base/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n"
            + "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
            + "    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n");
    write(
        "k8s/base/service.yaml",
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n"
            + "  ports: [{port: 80}]\n");
    write(
        "k8s/components/debug/kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n"
            + "- target: {kind: Deployment}\n  patch: |\n    - op: add\n"
            + "      path: /metadata/annotations\n      value: {debug: \"on\"}\n");
    write(
        "k8s/overlays/dev/kustomization.yaml",
        "resources: [../../base]\nnamePrefix: dev-\ncommonLabels: {env: dev}\n"
            + "images: [{name: nginx, newTag: \"1.27\"}]\ncomponents: [../../components/debug]\n"
            + "patches:\n- target: {kind: Deployment}\n  patch: |\n    - op: replace\n"
            + "      path: /spec/replicas\n      value: 2\n");
  }

  private static Manifest find(RenderedManifests r, String kind, String namePrefix) {
    return r.manifests().stream()
        .filter(m -> m.kind().equals(kind) && m.name().startsWith(namePrefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + namePrefix + " in " + r));
  }

  @Test
  void anOverlayIsBuiltWithKustomizeAsItIsWritten() throws Exception {
    baseAndOverlay();
    RenderedManifests r = render(source("k8s/overlays/dev"));
    assertThat(r.type()).isEqualTo(SourceRenderer.Type.KUSTOMIZE);
    Manifest web = find(r, "Deployment", "dev-web");
    assertThat(web.object().at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(web.object().at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("nginx:1.27");
    assertThat(web.object().at("/metadata/labels/env").asText()).isEqualTo("dev");
    assertThat(web.object().at("/metadata/annotations/debug").asText()).isEqualTo("on");
    assertThat(find(r, "ConfigMap", "dev-settings-").name()).matches("dev-settings-[a-z0-9]+");
    assertThat(renderer.tool(r.type())).startsWith("kustomize v5");
  }

  @Test
  void theApplicationsKustomizeOptionsApplyOverTheFolder() throws Exception {
    baseAndOverlay();
    ApplicationSpec.Source s = source("k8s/overlays/dev");
    s.kustomize = new ApplicationSpec.Kustomize();
    s.kustomize.images = List.of("nginx=registry.local/nginx:1.27.1");
    s.kustomize.nameSuffix = "-blue";
    s.kustomize.commonLabels = Map.of("team", "shop");
    s.kustomize.namespace = "override";
    RenderedManifests r = render(s);
    Manifest web = find(r, "Deployment", "dev-web-blue");
    assertThat(web.object().at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("registry.local/nginx:1.27.1");
    assertThat(web.object().at("/metadata/labels/team").asText()).isEqualTo("shop");
    assertThat(web.namespace()).isEqualTo("override");
    assertThat(renderer.cacheKey(new SourceRenderer.Request(s, "shop", "web", "v1")))
        .as("the options are part of the render cache key")
        .isNotEqualTo(
            renderer.cacheKey(
                new SourceRenderer.Request(source("k8s/overlays/dev"), "shop", "web", "v1")));
  }

  @Test
  void kustomizeNeverReadsOutsideTheRepositoryNorTheNetwork() throws Exception {
    write("apps/escape/kustomization.yaml", "resources: [../../../../etc]\n");
    assertThatThrownBy(() -> render(source("apps/escape")))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("apps/escape/kustomization.yaml")
        .hasMessageContaining("outside the repository");
    write("apps/abs/kustomization.yaml", "resources: [/etc/passwd]\n");
    assertThatThrownBy(() -> render(source("apps/abs")))
        .hasMessageContaining("outside the repository");
    write(
        "apps/remote/kustomization.yaml",
        "resources: [\"https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.5.0\"]\n");
    assertThatThrownBy(() -> render(source("apps/remote")))
        .hasMessageContaining("is remote")
        .hasMessageContaining("mooring.render.kustomize.allow-remote-bases");
    // a base's own references are checked too
    write("apps/base/kustomization.yaml", "resources: [../../../outside.yaml]\n");
    write("apps/uses-base/kustomization.yaml", "resources: [../base]\n");
    assertThatThrownBy(() -> render(source("apps/uses-base")))
        .hasMessageContaining("apps/base/kustomization.yaml")
        .hasMessageContaining("outside the repository");
  }

  @Test
  void kustomizesOwnErrorIsTheMessage() throws Exception {
    write("apps/broken/kustomization.yaml", "resources: [missing.yaml]\n");
    assertThatThrownBy(() -> render(source("apps/broken")))
        .isInstanceOf(RenderException.class)
        .hasMessageStartingWith("kustomize build apps/broken: ")
        .hasMessageContaining("missing.yaml")
        .hasMessageNotContaining("mooring-render");
    write("apps/none/deploy.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    ApplicationSpec.Source s = source("apps/none");
    s.kustomize = new ApplicationSpec.Kustomize();
    assertThatThrownBy(() -> render(s)).hasMessageContaining("has no kustomization.yaml");
  }

  /** A stand-in for kustomize that does what a broken or hostile build would. */
  private SourceRenderer withBinary(String script, Duration timeout, long maxOutput)
      throws IOException {
    Path bin = Files.createTempDirectory("mooring-fake-kustomize").resolve("kustomize");
    Files.writeString(bin, "#!/bin/sh\n" + script + "\n");
    bin.toFile().setExecutable(true);
    return new SourceRenderer(
        new ManifestRenderer(),
        new KustomizeRunner(
            new KustomizeRunner.Settings(bin.toString(), List.of(), timeout, maxOutput, false, 1)),
        new HelmRunner(timeout, maxOutput, 1));
  }

  private RenderedManifests renderWith(SourceRenderer r, ApplicationSpec.Source source)
      throws Exception {
    return r.render(
        "c1", new SourceRenderer.Request(source, "shop", "web", "v1.32.13"), this::files);
  }

  @Test
  void aBuildIsBoundedInTimeAndOutputAndRunsOffTheNetwork() throws Exception {
    write("apps/k/kustomization.yaml", "resources: []\n");
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                renderWith(
                    withBinary("sleep 30", Duration.ofSeconds(1), 1 << 20), source("apps/k")))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("did not finish within 1 s");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThatThrownBy(
            () ->
                renderWith(
                    withBinary("yes 'a: b' | head -c 3000000", Duration.ofSeconds(20), 100_000),
                    source("apps/k")))
        .hasMessageContaining("output larger than 100000 bytes");
    // the process sees a proxy that refuses every connection
    RenderedManifests env =
        renderWith(
            withBinary(
                "echo \"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: env}\ndata: {proxy:"
                    + " \\\"$HTTPS_PROXY\\\"}\"",
                Duration.ofSeconds(20),
                1 << 20),
            source("apps/k"));
    assertThat(env.manifests().get(0).object().at("/data/proxy").asText())
        .isEqualTo("http://127.0.0.1:9");
    assertThatThrownBy(
            () ->
                renderWith(
                    new SourceRenderer(
                        new ManifestRenderer(),
                        new KustomizeRunner(
                            new KustomizeRunner.Settings(
                                "/nonexistent/kustomize",
                                List.of(),
                                Duration.ofSeconds(5),
                                1 << 20,
                                false,
                                1)),
                        new HelmRunner(Duration.ofSeconds(5), 1 << 20, 1)),
                    source("apps/k")))
        .hasMessageContaining("cannot run /nonexistent/kustomize");
  }

  private void chart() {
    write(
        "charts/web/Chart.yaml",
        "apiVersion: v2\nname: web\nversion: 1.0.0\nappVersion: \"1.0\"\n");
    write("charts/web/values.yaml", "replicas: 1\nimage: {repository: nginx, tag: \"1.25\"}\n");
    write("charts/web/values-prod.yaml", "image: {tag: \"1.27\"}\n");
    write(
        "charts/web/templates/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\n"
            + "  namespace: {{ .Release.Namespace }}\n  labels:\n"
            + "    kube-minor: \"{{ .Capabilities.KubeVersion.Minor }}\"\nspec:\n"
            + "  replicas: {{ .Values.replicas }}\n  selector: {matchLabels: {app: web}}\n"
            + "  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n"
            + "      - name: web\n"
            + "        image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"\n");
    write(
        "charts/web/templates/tests/test-connection.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-test\n"
            + "  annotations: {\"helm.sh/hook\": test}\nspec:\n  containers:\n"
            + "  - {name: t, image: busybox}\n  restartPolicy: Never\n");
    write("charts/web/charts/cache/Chart.yaml", "apiVersion: v2\nname: cache\nversion: 0.1.0\n");
    write(
        "charts/web/charts/cache/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}-cache}\n"
            + "data: {size: \"{{ .Values.size | default 10 }}\"}\n");
  }

  @Test
  void aChartsHooksAreRenderedTooThoseOfAPackagedSubchartIncluded() throws Exception {
    String job =
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-%s\n"
            + "  annotations:\n    \"helm.sh/hook\": %s\n    \"helm.sh/hook-weight\": \"2\"\n"
            + "spec: {template: {spec: {restartPolicy: Never, containers: [{name: r, image: x}]}}}\n";
    Path sub = Files.createTempDirectory("mooring-subchart").resolve("db");
    Files.createDirectories(sub.resolve("templates"));
    Files.writeString(sub.resolve("Chart.yaml"), "apiVersion: v2\nname: db\nversion: 0.2.0\n");
    Files.writeString(
        sub.resolve("templates/migrate.yaml"), job.formatted("migrate", "pre-upgrade"));
    Files.writeString(
        sub.resolve("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}-db}\n");
    Files.createDirectories(repo.resolve("charts/shop/charts"));
    new com.marcnuri.helm.Helm(sub)
        .packageIt()
        .withDestination(repo.resolve("charts/shop/charts"))
        .call();
    assertThat(repo.resolve("charts/shop/charts/db-0.2.0.tgz")).exists();
    write("charts/shop/Chart.yaml", "apiVersion: v2\nname: shop\nversion: 1.0.0\n");
    write("charts/shop/templates/notify.yaml", job.formatted("notify", "post-install"));
    RenderedManifests r = render(source("charts/shop"));
    assertThat(r.manifests())
        .extracting(
            m ->
                m.kind()
                    + " "
                    + m.name()
                    + " "
                    + m.object().at("/metadata/annotations").path("helm.sh/hook").asText())
        .containsExactlyInAnyOrder(
            "ConfigMap web-db ", "Job web-migrate pre-upgrade", "Job web-notify post-install");
    assertThat(find(r, "Job", "web-notify").object().at("/metadata/annotations"))
        .hasToString("{\"helm.sh/hook\":\"post-install\",\"helm.sh/hook-weight\":\"2\"}");
  }

  @Test
  void aDependencyFromAChartRepositoryIsFetchedFromItsUrl() throws Exception {
    // a chart repository served locally: index.yaml and the packaged chart
    Path served = Files.createTempDirectory("mooring-chart-repo");
    Path db = Files.createTempDirectory("mooring-dep").resolve("db");
    Files.createDirectories(db.resolve("templates"));
    Files.writeString(db.resolve("Chart.yaml"), "apiVersion: v2\nname: db\nversion: 0.3.1\n");
    Files.writeString(
        db.resolve("templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}-db}\n"
            + "data: {size: \"{{ .Values.size }}\"}\n");
    Files.writeString(db.resolve("values.yaml"), "size: 8\n");
    new com.marcnuri.helm.Helm(db).packageIt().withDestination(served).call();
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    java.util.concurrent.atomic.AtomicInteger downloads =
        new java.util.concurrent.atomic.AtomicInteger();
    server.createContext(
        "/",
        exchange -> {
          Path file = served.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
          if (!file.startsWith(served) || !Files.isRegularFile(file)) {
            exchange.sendResponseHeaders(404, -1);
          } else {
            if (file.toString().endsWith(".tgz")) {
              downloads.incrementAndGet();
            }
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort();
      byte[] tgz = Files.readAllBytes(served.resolve("db-0.3.1.tgz"));
      Files.writeString(
          served.resolve("index.yaml"),
          "apiVersion: v1\nentries:\n  db:\n  - apiVersion: v2\n    name: db\n"
              + "    version: 0.3.1\n    digest: "
              + dev.mooring.source.Digests.sha256(tgz)
              + "\n    urls: ["
              + url
              + "/db-0.3.1.tgz]\n    created: \"2026-12-01T00:00:00Z\"\n"
              + "generated: \"2026-12-01T00:00:00Z\"\n");
      write(
          "charts/umbrella/Chart.yaml",
          "apiVersion: v2\nname: umbrella\nversion: 1.0.0\ndependencies:\n"
              + "- {name: db, version: \"0.3.x\", repository: \""
              + url
              + "\"}\n");
      write("charts/umbrella/values.yaml", "db: {size: 32}\n");
      RenderedManifests r = render(source("charts/umbrella"));
      assertThat(find(r, "ConfigMap", "web-db").object().at("/data/size").asText()).isEqualTo("32");
      assertThat(downloads.get()).isEqualTo(1);
      // the repository goes away: the render says so with Helm's words
      server.stop(0);
      write("charts/umbrella/values.yaml", "db: {size: 33}\n");
      assertThatThrownBy(() -> render(source("charts/umbrella")))
          .isInstanceOf(RenderException.class)
          .hasMessageContaining("helm template charts/umbrella");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aChartsCapabilitiesApiVersionsAreTheClustersList() throws Exception {
    write("charts/mon/Chart.yaml", "apiVersion: v2\nname: mon\nversion: 1.0.0\n");
    write(
        "charts/mon/templates/_helpers.tpl",
        "{{- define \"mon.pdbApi\" -}}\n"
            + "{{- if $.Capabilities.APIVersions.Has \"policy/v1/PodDisruptionBudget\" -}}policy/v1"
            + "{{- else -}}policy/v1beta1{{- end -}}\n{{- end -}}\n");
    write(
        "charts/mon/templates/monitor.yaml",
        "{{- if .Capabilities.APIVersions.Has \"monitoring.coreos.com/v1\" }}\n"
            + "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: mon}\n"
            + "{{- end }}\n---\napiVersion: {{ include \"mon.pdbApi\" . }}\n"
            + "kind: PodDisruptionBudget\nmetadata: {name: mon}\nspec: {maxUnavailable: 1}\n");
    ApplicationSpec.Source s = source("charts/mon");
    List<String> cluster =
        List.of(
            "monitoring.coreos.com/v1",
            "monitoring.coreos.com/v1/ServiceMonitor",
            "policy/v1",
            "policy/v1/PodDisruptionBudget",
            "v1");
    RenderedManifests withMonitoring =
        renderer.render(
            "c1", new SourceRenderer.Request(s, "shop", "web", "v1.32.13", cluster), this::files);
    assertThat(withMonitoring.manifests())
        .extracting(m -> m.object().path("apiVersion").asText() + " " + m.kind())
        .containsExactlyInAnyOrder(
            "monitoring.coreos.com/v1 ServiceMonitor", "policy/v1 PodDisruptionBudget");
    assertThat(withMonitoring.notices()).isEmpty();
    assertThat(withMonitoring.apiVersionsDigest()).isNotNull();
    RenderedManifests without =
        renderer.render(
            "c1",
            new SourceRenderer.Request(s, "shop", "web", "v1.32.13", List.of("v1")),
            this::files);
    assertThat(without.manifests())
        .extracting(m -> m.object().path("apiVersion").asText() + " " + m.kind())
        .containsExactly("policy/v1beta1 PodDisruptionBudget");
    assertThat(without.apiVersionsDigest()).isNotEqualTo(withMonitoring.apiVersionsDigest());

    // asked otherwise than with .Has, or where .Values is not at hand: Helm's own list, said so
    write(
        "charts/mon/templates/apis.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: apis}\n"
            + "data: {count: \"{{ len .Capabilities.APIVersions }}\"}\n");
    write(
        "charts/mon/templates/_odd.tpl",
        "{{- define \"mon.odd\" -}}{{ .Capabilities.APIVersions.Has \"v1\" }}{{- end -}}\n");
    write(
        "charts/mon/templates/odd.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: odd}\n"
            + "data: {v1: \"{{ include \"mon.odd\" (dict \"Capabilities\" .Capabilities) }}\"}\n");
    RenderedManifests odd =
        renderer.render(
            "c1", new SourceRenderer.Request(s, "shop", "web", "v1.32.13", cluster), this::files);
    assertThat(find(odd, "ConfigMap", "odd").object().at("/data/v1").asText()).isEqualTo("true");
    assertThat(odd.apiVersionsDigest()).isNull();
    assertThat(odd.notices())
        .singleElement()
        .asString()
        .contains("templates/_helpers.tpl, templates/_odd.tpl, templates/apis.yaml and 1 more")
        .contains("Helm's built-in list");
  }

  @Test
  void aChartIsRenderedInProcessWithValuesAndSubcharts() throws Exception {
    chart();
    ApplicationSpec.Source s = source("charts/web");
    s.helm = new ApplicationSpec.Helm();
    s.helm.valueFiles = List.of("values-prod.yaml");
    s.helm.values = "cache: {size: 64}\n";
    ApplicationSpec.HelmParameter replicas = new ApplicationSpec.HelmParameter();
    replicas.name = "replicas";
    replicas.value = "3";
    s.helm.parameters = List.of(replicas);
    s.helm.releaseName = "shop";
    RenderedManifests r = render(s);
    assertThat(r.type()).isEqualTo(SourceRenderer.Type.HELM);
    assertThat(renderer.tool(r.type())).startsWith("helm v3.");
    Manifest web = find(r, "Deployment", "shop-web");
    assertThat(web.object().at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(web.object().at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("nginx:1.27");
    assertThat(web.namespace()).isEqualTo("shop");
    assertThat(web.object().at("/metadata/labels/kube-minor").asText()).isEqualTo("32");
    assertThat(find(r, "ConfigMap", "shop-cache").object().at("/data/size").asText())
        .isEqualTo("64");
    assertThat(r.manifests()).noneMatch(m -> m.kind().equals("Pod"));

    // Chart.yaml alone makes it a chart; the release is named after the Application
    RenderedManifests plain = render(source("charts/web"));
    assertThat(find(plain, "Deployment", "web-web").object().at("/spec/replicas").asInt())
        .isEqualTo(1);
  }

  @Test
  void helmsOwnErrorIsTheMessageAndValueFilesStayInTheRepository() throws Exception {
    chart();
    write("charts/web/templates/bad.yaml", "{{ .Values.nothing.here }}\n");
    assertThatThrownBy(() -> render(source("charts/web")))
        .isInstanceOf(RenderException.class)
        .hasMessageStartingWith("helm template charts/web: ")
        .hasMessageContaining("nil pointer");
    Files.delete(repo.resolve("charts/web/templates/bad.yaml"));
    ApplicationSpec.Source s = source("charts/web");
    s.helm = new ApplicationSpec.Helm();
    s.helm.valueFiles = List.of("../../../etc/passwd");
    assertThatThrownBy(() -> render(s)).hasMessageContaining("outside the repository");
    s.helm.valueFiles = List.of("https://example.com/values.yaml");
    assertThatThrownBy(() -> render(s)).hasMessageContaining("is a URL");
  }

  @Test
  void hooksStayForTheSyncSkipAndUnrunHelmEventsAreLeftOutAndMalformedOnesRefused()
      throws Exception {
    write(
        "apps/hooks/job.yaml",
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n"
            + "  annotations: {argocd.argoproj.io/hook: PreSync}\nspec: {}\n");
    write("apps/hooks/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    RenderedManifests withHook = render(source("apps/hooks"));
    assertThat(withHook.manifests()).extracting(Manifest::kind).containsExactly("ConfigMap", "Job");
    assertThat(withHook.notices()).isEmpty();
    write(
        "apps/hooks/job.yaml",
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n"
            + "  annotations: {argocd.argoproj.io/hook: Skip}\nspec: {}\n");
    assertThat(render(source("apps/hooks")).manifests())
        .extracting(Manifest::name)
        .containsExactly("x");
    write(
        "apps/hooks/job.yaml",
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: undo\n"
            + "  annotations: {helm.sh/hook: post-rollback}\nspec: {}\n");
    RenderedManifests rollback = render(source("apps/hooks"));
    assertThat(rollback.manifests()).extracting(Manifest::name).containsExactly("x");
    assertThat(rollback.notices())
        .singleElement()
        .asString()
        .contains("Job undo is not applied")
        .contains("post-rollback hooks never run");
    write(
        "apps/hooks/job.yaml",
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n"
            + "  annotations: {argocd.argoproj.io/hook: PreSnyc}\nspec: {}\n");
    assertThatThrownBy(() -> render(source("apps/hooks")))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("job.yaml (document 0) (Job migrate)")
        .hasMessageContaining("unknown value PreSnyc");
    write(
        "apps/gen/job.yaml",
        "apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: migrate-}\nspec: {}\n");
    assertThatThrownBy(() -> render(source("apps/gen")))
        .hasMessageContaining("generateName")
        .hasMessageContaining("only sync hooks");
  }

  @Test
  void directoryIncludeAndExcludeSelectFilesAsArgoCdDoes() throws Exception {
    write("apps/sel/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
    write("apps/sel/b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n");
    write("apps/sel/dev/c.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
    ApplicationSpec.Source s = source("apps/sel");
    s.directory = new ApplicationSpec.Directory();
    s.directory.recurse = true;
    s.directory.include = "{a.yaml,dev/*.yaml}";
    assertThat(render(s).manifests()).extracting(Manifest::name).containsExactly("a", "c");
    s.directory.include = null;
    s.directory.exclude = "dev/**";
    assertThat(render(s).manifests()).extracting(Manifest::name).containsExactly("a", "b");
    s.directory.exclude = "{unclosed";
    assertThatThrownBy(() -> render(s)).hasMessageContaining("is not a glob");
  }

  @Test
  void aFolderThatGivesNothingSaysWhy() throws Exception {
    write("apps/docs/README.md", "# nothing to deploy");
    RenderException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RenderException.class, () -> render(source("apps/docs")));
    assertThat(e.reason()).isEqualTo("UnsupportedSource");
    assertThat(e.getMessage()).contains("no Kubernetes manifests").contains("README.md");

    write("apps/blank/empty.yaml", "---\n# nothing yet\n");
    e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RenderException.class, () -> render(source("apps/blank")));
    assertThat(e.reason()).isEqualTo("EmptySource");
    assertThat(e.getMessage()).contains("empty.yaml hold no objects");
  }

  private void jsonnetApp() {
    write(
        "jsonnet/lib/k.libsonnet",
        "{\n  configMap(name, data):: {apiVersion: 'v1', kind: 'ConfigMap',"
            + " metadata: {name: name}, data: data},\n}\n");
    write(
        "apps/guestbook/util.libsonnet",
        "{ labels(app):: {app: app, tier: std.extVar('tier')} }\n");
    write(
        "apps/guestbook/guestbook.jsonnet",
        "local k = import 'k.libsonnet';\nlocal util = import 'util.libsonnet';\n"
            + "function(env, replicas=1) [\n"
            + "  k.configMap('settings-' + env, {color: std.extVar('color')}),\n"
            + "  {apiVersion: 'apps/v1', kind: 'Deployment',\n"
            + "   metadata: {name: 'guestbook', labels: util.labels('guestbook')},\n"
            + "   spec: {replicas: replicas, selector: {matchLabels: {app: 'guestbook'}},\n"
            + "          template: {metadata: {labels: {app: 'guestbook'}},\n"
            + "                     spec: {containers: [{name: 'web', image: 'nginx:1.27'}]}}}},\n"
            + "]\n");
    write(
        "apps/guestbook/svc.yaml",
        "apiVersion: v1\nkind: Service\nmetadata: {name: guestbook}\n"
            + "spec: {ports: [{port: 80}]}\n");
  }

  private static ApplicationSpec.JsonnetVar var(String name, String value, boolean code) {
    ApplicationSpec.JsonnetVar v = new ApplicationSpec.JsonnetVar();
    v.name = name;
    v.value = value;
    v.code = code ? true : null;
    return v;
  }

  @Test
  void jsonnetFilesAreEvaluatedWithTheirLibsTlasAndExtVars() throws Exception {
    jsonnetApp();
    ApplicationSpec.Source s = source("apps/guestbook");
    s.directory = new ApplicationSpec.Directory();
    s.directory.jsonnet = new ApplicationSpec.Jsonnet();
    s.directory.jsonnet.libs = List.of("jsonnet/lib");
    s.directory.jsonnet.tlas = List.of(var("env", "prod", false), var("replicas", "1 + 2", true));
    s.directory.jsonnet.extVars =
        List.of(var("color", "blue=ish", false), var("tier", "web", false));
    RenderedManifests r = render(s);
    assertThat(r.manifests())
        .extracting(m -> m.kind() + "/" + m.name())
        .containsExactly("Service/guestbook", "ConfigMap/settings-prod", "Deployment/guestbook");
    assertThat(find(r, "ConfigMap", "settings-prod").object().at("/data/color").asText())
        .isEqualTo("blue=ish");
    Manifest deployment = find(r, "Deployment", "guestbook");
    assertThat(deployment.object().at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(deployment.object().at("/metadata/labels/tier").asText()).isEqualTo("web");
    assertThat(deployment.file()).isEqualTo("guestbook.jsonnet");
    assertThat(renderer.tool(r)).startsWith("sjsonnet 0.4");

    // a missing variable, a syntax error: sjsonnet's own words, with the file
    s.directory.jsonnet.extVars = List.of(var("color", "blue", false));
    assertThatThrownBy(() -> render(s))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("jsonnet apps/guestbook/guestbook.jsonnet")
        .hasMessageContaining("tier");
    write("apps/broken/main.jsonnet", "{ a: }\n");
    assertThatThrownBy(() -> render(source("apps/broken")))
        .hasMessageContaining("jsonnet apps/broken/main.jsonnet");
    // std.parseYaml cannot work with the SnakeYAML Mooring ships: said so
    write(
        "apps/yaml/main.jsonnet",
        "{apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'y'},"
            + " data: {v: std.toString(std.parseYaml('a: 1').a)}}\n");
    assertThatThrownBy(() -> render(source("apps/yaml")))
        .hasMessageContaining("jsonnet apps/yaml/main.jsonnet: std.parseYaml is not supported");
    // a number is not a manifest
    write("apps/number/main.jsonnet", "42\n");
    assertThatThrownBy(() -> render(source("apps/number")))
        .hasMessageContaining("the result is number, not an object or an array of objects");
  }

  @Test
  void jsonnetImportsStayInTheRepository() throws Exception {
    write("apps/escape/a.jsonnet", "importstr '/etc/hostname'\n");
    assertThatThrownBy(() -> render(source("apps/escape")))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("jsonnet apps/escape/a.jsonnet")
        .hasMessageContaining("/etc/hostname");
    write("apps/escape/a.jsonnet", "import '../../../../../../etc/passwd'\n");
    assertThatThrownBy(() -> render(source("apps/escape"))).hasMessageContaining("etc/passwd");
    ApplicationSpec.Source s = source("apps/escape");
    s.directory = new ApplicationSpec.Directory();
    s.directory.jsonnet = new ApplicationSpec.Jsonnet();
    s.directory.jsonnet.libs = List.of("../outside");
    assertThatThrownBy(() -> render(s)).hasMessageContaining("is outside the repository");
  }
}
