package dev.mooring.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Repositories as people have them, synced into a real API server: a Kustomize overlay, a Helm
 * chart, and Applications written for Argo CD; and what Mooring refuses, said on the one
 * Application concerned.
 */
@QuarkusTest
@WithRealKubernetes
class SourceTypesTest {
  @Inject KubernetesClient client;
  ClusterFixture fx;
  Path tmp;

  @BeforeEach
  void setUp() throws Exception {
    fx = new ClusterFixture(client);
    tmp = Files.createTempDirectory("mooring-sources");
  }

  private static final String DEPLOYMENT =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n"
          + "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
          + "    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n";

  private Deployment deployment(String ns, String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  @Test
  void aKustomizeOverlayWithTheApplicationsOwnOptions() throws Exception {
    GitRepo repo = GitRepo.init(tmp.resolve("kustomize"));
    repo.write("k8s/base/kustomization.yaml", "resources: [deployment.yaml]\n")
        .write("k8s/base/deployment.yaml", DEPLOYMENT)
        .write(
            "k8s/overlays/dev/kustomization.yaml",
            "resources: [../../base]\nnamePrefix: dev-\ncommonLabels: {env: dev}\n"
                + "configMapGenerator:\n- name: settings\n  literals: [color=blue]\n")
        .commit("base and overlay");
    Application app = fx.app("kdev", "web", repo.url(), "k8s/overlays/dev", true, true);
    app.getSpec().source.kustomize = new ApplicationSpec.Kustomize();
    app.getSpec().source.kustomize.images = List.of("nginx:1.27");
    fx.create(app);
    Application synced = fx.awaitApp("kdev", "web", a -> ClusterFixture.synced(a, null));
    assertThat(synced.getStatus().sourceType).isEqualTo("Kustomize");
    assertThat(synced.getStatus().renderedBy).startsWith("kustomize v5");
    Deployment web = deployment("kdev", "dev-web");
    assertThat(web.getMetadata().getLabels()).containsEntry("env", "dev");
    assertThat(web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("nginx:1.27");
    assertThat(client.configMaps().inNamespace("kdev").list().getItems())
        .anySatisfy(cm -> assertThat(cm.getMetadata().getName()).startsWith("dev-settings-"));

    // a commit that makes the overlay escape the repository fails this app, and keeps what runs
    repo.write("k8s/overlays/dev/kustomization.yaml", "resources: [../../../../../etc]\n")
        .commit("escape");
    Application refused =
        fx.awaitApp("kdev", "web", a -> "RenderError".equals(ClusterFixture.readyReason(a)));
    assertThat(ClusterFixture.readyMessage(refused)).contains("outside the repository");
    assertThat(deployment("kdev", "dev-web")).isNotNull();
  }

  @Test
  void aHelmChartWithValueFilesAndParameters() throws Exception {
    GitRepo repo = GitRepo.init(tmp.resolve("helm"));
    repo.write("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n")
        .write("chart/values.yaml", "replicas: 1\ntag: \"1.25\"\n")
        .write("chart/values-prod.yaml", "tag: \"1.27\"\n")
        .write(
            "chart/templates/deployment.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: \"{{ .Release.Name }}\"}\n"
                + "spec:\n  replicas: {{ .Values.replicas }}\n"
                + "  selector: {matchLabels: {app: web}}\n  template:\n"
                + "    metadata: {labels: {app: web}}\n    spec:\n      containers:\n"
                + "      - name: web\n        image: \"nginx:{{ .Values.tag }}\"\n")
        .commit("chart");
    Application app = fx.app("helm", "shop", repo.url(), "chart", true, true);
    app.getSpec().source.helm = new ApplicationSpec.Helm();
    app.getSpec().source.helm.valueFiles = List.of("values-prod.yaml");
    ApplicationSpec.HelmParameter p = new ApplicationSpec.HelmParameter();
    p.name = "replicas";
    p.value = "2";
    app.getSpec().source.helm.parameters = List.of(p);
    fx.create(app);
    Application synced = fx.awaitApp("helm", "shop", a -> ClusterFixture.synced(a, null));
    assertThat(synced.getStatus().sourceType).isEqualTo("Helm");
    Deployment web = deployment("helm", "shop");
    assertThat(web.getSpec().getReplicas()).isEqualTo(2);
    assertThat(web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("nginx:1.27");
  }

  @Test
  void anApplicationWrittenForArgoCdSyncsAndWhatItCannotHaveIsSaid() throws Exception {
    GitRepo repo = GitRepo.init(tmp.resolve("argo"));
    repo.write(
            "apps/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: late\n"
                + "  annotations: {argocd.argoproj.io/sync-wave: \"1\"}\ndata: {v: \"1\"}\n---\n"
                + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: early}\ndata: {v: \"1\"}\n")
        .commit("argo manifests");
    Application argo = fx.app("argo", "guestbook", repo.url(), "apps", true, true);
    argo.getSpec().project = "default";
    argo.getSpec().destination.server = "https://kubernetes.default.svc";
    fx.create(argo);
    Application synced = fx.awaitApp("argo", "guestbook", a -> ClusterFixture.synced(a, null));
    assertThat(synced.getStatus().resources).anySatisfy(r -> assertThat(r.name).isEqualTo("late"));
    assertThat(synced.getStatus().conditions).noneMatch(c -> "Unsupported".equals(c.type));

    Application elsewhere = fx.app("argo", "remote", repo.url(), "apps", true, true);
    elsewhere.getSpec().destination.server = "https://prod.example.com:6443";
    fx.create(elsewhere);
    Application refused =
        fx.awaitApp("argo", "remote", a -> "UnsupportedSpec".equals(ClusterFixture.readyReason(a)));
    assertThat(ClusterFixture.readyMessage(refused))
        .contains("https://prod.example.com:6443")
        .contains("only to the cluster it runs in");

    Application team = fx.app("argo-team", "guestbook", repo.url(), "apps", true, true);
    team.getSpec().project = "team-a";
    fx.create(team);
    Application warned =
        fx.awaitApp(
            "argo-team",
            "guestbook",
            a ->
                ClusterFixture.synced(a, null)
                    && a.getStatus().conditions.stream()
                        .anyMatch(c -> "Unsupported".equals(c.type)));
    assertThat(warned.getStatus().conditions)
        .anySatisfy(
            c -> {
              assertThat(c.type).isEqualTo("Unsupported");
              assertThat(c.message).contains("spec.project team-a is read but not enforced");
            });
  }

  @Test
  void aJsonnetFolderWithALibrary() throws Exception {
    GitRepo repo = GitRepo.init(tmp.resolve("jsonnet"));
    repo.write(
            "lib/k.libsonnet",
            "{ configMap(name, data):: {apiVersion: 'v1', kind: 'ConfigMap',"
                + " metadata: {name: name}, data: data} }\n")
        .write(
            "env/app.jsonnet",
            "local k = import 'k.libsonnet';\n"
                + "function(env) [k.configMap('settings-' + env, {region: std.extVar('region')})]\n")
        .commit("jsonnet");
    Application app = fx.app("jsonnet", "settings", repo.url(), "env", true, true);
    app.getSpec().source.directory = new ApplicationSpec.Directory();
    app.getSpec().source.directory.jsonnet = new ApplicationSpec.Jsonnet();
    app.getSpec().source.directory.jsonnet.libs = List.of("lib");
    ApplicationSpec.JsonnetVar env = new ApplicationSpec.JsonnetVar();
    env.name = "env";
    env.value = "prod";
    ApplicationSpec.JsonnetVar region = new ApplicationSpec.JsonnetVar();
    region.name = "region";
    region.value = "eu-west-1";
    app.getSpec().source.directory.jsonnet.tlas = List.of(env);
    app.getSpec().source.directory.jsonnet.extVars = List.of(region);
    fx.create(app);
    Application synced = fx.awaitApp("jsonnet", "settings", a -> ClusterFixture.synced(a, null));
    assertThat(synced.getStatus().sourceType).isEqualTo("Directory");
    assertThat(synced.getStatus().renderedBy).startsWith("sjsonnet 0.4");
    assertThat(fx.configMap("jsonnet", "settings-prod").getData())
        .containsEntry("region", "eu-west-1");
  }

  @Test
  void aMalformedApplicationIsToldSoAndTheNextOneSyncs() throws Exception {
    GitRepo repo = GitRepo.init(tmp.resolve("malformed"));
    repo.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n").commit("x");
    Application bad = fx.app("malformed", "bad", repo.url(), "", true, true);
    bad.getSpec().refreshInterval = "banana";
    fx.create(bad);
    Application good = fx.app("malformed-ok", "good", repo.url(), "", true, true);
    fx.create(good);
    Application told =
        fx.awaitApp("malformed", "bad", a -> "InvalidSpec".equals(ClusterFixture.readyReason(a)));
    assertThat(ClusterFixture.readyMessage(told))
        .contains("spec.refreshInterval \"banana\" is not a duration");
    assertThat(fx.configMap("malformed", "x")).isNull();
    fx.awaitApp("malformed-ok", "good", a -> ClusterFixture.synced(a, null));
  }

  @Test
  void anObjectDefinedTwiceOnceNamespacesAreResolvedFailsOnlyItsApplication() throws Exception {
    GitRepo repo = GitRepo.init(tmp.resolve("dup"));
    repo.write(
            "dup/a.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: same, namespace: dup}\n"
                + "data: {v: \"1\"}\n")
        .write("dup/b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: same}\n")
        .write("ok/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine}\n")
        .commit("a duplicate");
    fx.create(fx.app("dup", "twice", repo.url(), "dup", true, true));
    fx.create(fx.app("dup-ok", "fine", repo.url(), "ok", true, true));
    Application refused =
        fx.awaitApp("dup", "twice", a -> "DuplicateObject".equals(ClusterFixture.readyReason(a)));
    assertThat(ClusterFixture.readyMessage(refused)).contains("ConfigMap dup/same");
    assertThat(fx.configMap("dup", "same")).as("nothing of it is applied").isNull();
    fx.awaitApp("dup-ok", "fine", a -> ClusterFixture.synced(a, null));
  }
}
