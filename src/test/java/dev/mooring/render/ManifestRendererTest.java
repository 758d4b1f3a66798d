package dev.mooring.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mooring.source.SourceFiles;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ManifestRendererTest {

  private final ManifestRenderer renderer = new ManifestRenderer();

  private static SourceFiles files(String path, String... nameThenContent) {
    TreeMap<String, byte[]> files = new TreeMap<>();
    for (int i = 0; i < nameThenContent.length; i += 2) {
      files.put(nameThenContent[i], nameThenContent[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return new SourceFiles("abc123", path, files);
  }

  private static List<String> names(RenderedManifests rendered) {
    return rendered.manifests().stream().map(m -> m.kind() + "/" + m.name()).toList();
  }

  @Test
  void readsMultiDocumentYamlInFileOrderAndSkipsEmptyDocuments() throws Exception {
    RenderedManifests rendered =
        renderer.render(
            files(
                "apps/web",
                "b.yaml",
                "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n---\n# only a comment\n---\n",
                "a.yml",
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\n"
                    + "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  namespace: web\n"));

    assertThat(names(rendered)).containsExactly("Service/a", "Deployment/a", "ConfigMap/b");
    assertThat(rendered.commit()).isEqualTo("abc123");
    assertThat(rendered.path()).isEqualTo("apps/web");
    Manifest deployment = rendered.manifests().get(1);
    assertThat(deployment.file()).isEqualTo("apps/web/a.yml");
    assertThat(deployment.documentIndex()).isEqualTo(1);
    assertThat(deployment.group()).isEqualTo("apps");
    assertThat(deployment.namespace()).isEqualTo("web");
  }

  @Test
  void tabsAreReadAsKubectlAndKustomizeReadThem() throws Exception {
    // a trailing tab after a value, and a tab inside a literal block (kept as content)
    String yaml =
        "apiVersion: v1\t\nkind: ConfigMap\nmetadata:\n  name: tabs\t\ndata:\n"
            + "  script: |\n    echo\tone\n    two\t\n  plain: value \t\n";
    RenderedManifests r = renderer.render(files("", "tabs.yaml", yaml));
    var cm = r.manifests().get(0).object();
    assertThat(cm.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(cm.at("/metadata/name").asText()).isEqualTo("tabs");
    assertThat(cm.at("/data/script").asText()).isEqualTo("echo\tone\ntwo\t\n");
    assertThat(cm.at("/data/plain").asText()).isEqualTo("value");
    String more =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: more\n  labels: {a: b}\t\n"
            + "data:\n  quoted: 'x'\t\n  list: \"[a, b]\"\t\n  # a comment\t\n  last: y\t\n";
    var m = renderer.render(files("", "more.yaml", more)).manifests().get(0).object();
    assertThat(m.at("/data/quoted").asText()).isEqualTo("x");
    assertThat(m.at("/data/last").asText()).isEqualTo("y");
    String both =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: both\n  labels: {a: b}\t\n"
            + "data:\n  script: |\n    keep\t\n  after: z\n";
    var b = renderer.render(files("", "both.yaml", both)).manifests().get(0).object();
    assertThat(b.at("/data/script").asText()).as("block content kept").isEqualTo("keep\t\n");
    assertThat(b.at("/data/after").asText()).isEqualTo("z");
  }

  @Test
  void expandsListKinds() throws Exception {
    RenderedManifests rendered =
        renderer.render(
            files(
                "",
                "list.yaml",
                "apiVersion: v1\nkind: List\nitems:\n"
                    + "- {apiVersion: v1, kind: ConfigMap, metadata: {name: one}}\n"
                    + "- {apiVersion: v1, kind: ConfigMap, metadata: {name: two}}\n",
                "pods.yaml",
                "apiVersion: v1\nkind: ServiceList\nitems:\n"
                    + "- {apiVersion: v1, kind: Service, metadata: {name: three}}\n"));

    assertThat(names(rendered)).containsExactly("ConfigMap/one", "ConfigMap/two", "Service/three");
  }

  @Test
  void readsJsonFilesHoldingAnObjectOrAnArray() throws Exception {
    RenderedManifests rendered =
        renderer.render(
            files(
                "",
                "cm.json",
                "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"j\"},"
                    + " \"data\": {\"port\": \"80\"}}",
                "more.json",
                "[{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {\"name\": \"s\"}}]"));

    assertThat(names(rendered)).containsExactly("ConfigMap/j", "Secret/s");
    assertThat(rendered.manifests().get(0).object().path("data").path("port").isTextual()).isTrue();
  }

  @Test
  void ignoresNonManifestAndHiddenFiles() throws Exception {
    RenderedManifests rendered =
        renderer.render(
            files(
                "",
                "README.md",
                "# not yaml: [",
                "script.sh",
                "echo hi",
                ".github/workflows/ci.yaml",
                "on: push",
                ".mooring.yaml",
                "x: 1",
                "cm.YAML",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"));

    assertThat(names(rendered)).containsExactly("ConfigMap/c");
  }

  @Test
  void invalidYamlNamesTheFileLineAndColumn() {
    assertThatThrownBy(
            () ->
                renderer.render(
                    files(
                        "apps/web",
                        "deploy.yaml",
                        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: [\n")))
        .isInstanceOf(RenderException.class)
        .hasMessageStartingWith("apps/web/deploy.yaml: invalid YAML at line 5, column ")
        .extracting(e -> ((RenderException) e).file())
        .isEqualTo("apps/web/deploy.yaml");
  }

  @Test
  void invalidJsonNamesTheFileAndLine() {
    assertThatThrownBy(() -> renderer.render(files("", "x.json", "{\n  \"kind\": \n}")))
        .isInstanceOf(RenderException.class)
        .hasMessageStartingWith("x.json: invalid JSON at line 3, column 1: ");
  }

  @Test
  void duplicateKeysAreInvalid() {
    assertThatThrownBy(
            () ->
                renderer.render(
                    files("", "x.yaml", "apiVersion: v1\nkind: A\nkind: B\nmetadata: {name: x}\n")))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("x.yaml: invalid YAML at line 3")
        .hasMessageContaining("kind");
  }

  @Test
  void anObjectDefinedTwiceNamesBothFiles() {
    String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: same, namespace: ns}\n";

    assertThatThrownBy(() -> renderer.render(files("app", "a.yaml", cm, "b/c.yaml", "---\n" + cm)))
        .isInstanceOf(RenderException.class)
        .hasMessage(
            "duplicate object ConfigMap ns/same: defined in app/a.yaml (document 0)"
                + " and in app/b/c.yaml (document 0)");
  }

  @Test
  void sameNameInAnotherNamespaceOrGroupIsNoDuplicate() throws Exception {
    RenderedManifests rendered =
        renderer.render(
            files(
                "",
                "a.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: a}\n---\n"
                    + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: b}\n---\n"
                    + "apiVersion: example.com/v1\nkind: ConfigMap\nmetadata: {name: x, namespace: a}\n"));

    assertThat(rendered.manifests()).hasSize(3);
  }

  @Test
  void objectsWithoutApiVersionKindOrNameAreRejected() {
    Map<String, String> cases =
        Map.of(
            "kind: ConfigMap\nmetadata: {name: x}\n", "has no apiVersion",
            "apiVersion: v1\nmetadata: {name: x}\n", "has no kind",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n", "(ConfigMap) has no metadata.name",
            "apiVersion: v1\nkind: ConfigMap\n", "has no metadata.name",
            "- just\n- a list\n", "is not an object");
    cases.forEach(
        (content, problem) ->
            assertThatThrownBy(() -> renderer.render(files("", "ok.yaml", "", "z.yaml", content)))
                .as(content)
                .isInstanceOf(RenderException.class)
                .hasMessageStartingWith("z.yaml: document 0")
                .hasMessageContaining(problem));
  }

  @Test
  void anchorsAliasesAndMergeKeysAreExpandedLikeKubectlDoes() throws Exception {
    RenderedManifests rendered =
        renderer.render(
            files(
                "",
                "cm.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: &n web}\ndata:\n"
                    + "  x: *n\n  base: &base {k: v}\n  merged: {<<: *base, z: '1'}\n"
                    + "  when: 2024-01-01\n  flag: yes\n"));

    JsonNode data = rendered.manifests().get(0).object().path("data");
    assertThat(data.path("x").asText()).isEqualTo("web");
    assertThat(data.path("merged").path("k").asText()).isEqualTo("v");
    assertThat(data.path("when").isTextual()).isTrue();
    assertThat(data.path("when").asText()).isEqualTo("2024-01-01");
    assertThat(data.path("flag").isBoolean()).isTrue();
  }

  @Test
  void aliasBombsAreRefusedQuickly() {
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'k'; c++) {
      char prev = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [");
      bomb.append(("*" + prev + ", ").repeat(9)).append("*").append(prev).append("]\n");
    }
    long start = System.nanoTime();

    assertThatThrownBy(() -> renderer.render(files("", "bomb.yaml", bomb.toString())))
        .isInstanceOf(RenderException.class)
        .hasMessageStartingWith("bomb.yaml: invalid YAML")
        .hasMessageContaining("aliases");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }
}
