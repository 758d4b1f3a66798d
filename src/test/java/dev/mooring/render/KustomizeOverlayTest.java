package dev.mooring.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.model.ApplicationSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KustomizeOverlayTest {

  @Test
  void imagesInArgoCdNotation() throws Exception {
    assertThat(KustomizeOverlay.image("nginx:1.27").toString())
        .isEqualTo("{\"name\":\"nginx\",\"newTag\":\"1.27\"}");
    assertThat(KustomizeOverlay.image("nginx=registry.local/web:2").toString())
        .isEqualTo("{\"name\":\"nginx\",\"newName\":\"registry.local/web\",\"newTag\":\"2\"}");
    assertThat(KustomizeOverlay.image("localhost:5000/app").toString())
        .as("a registry port is no tag")
        .isEqualTo("{\"name\":\"localhost:5000/app\"}");
    assertThat(KustomizeOverlay.image("app=localhost:5000/app:1.0").toString())
        .isEqualTo("{\"name\":\"app\",\"newName\":\"localhost:5000/app\",\"newTag\":\"1.0\"}");
    assertThat(KustomizeOverlay.image("nginx@sha256:abc").toString())
        .isEqualTo("{\"name\":\"nginx\",\"digest\":\"sha256:abc\"}");
    for (String bad : new String[] {"", "nginx:", "=x", "a b"}) {
      assertThatThrownBy(() -> KustomizeOverlay.image(bad))
          .as(bad)
          .isInstanceOf(RenderException.class)
          .hasMessageContaining("spec.source.kustomize.images");
    }
  }

  @Test
  void theOptionsBecomeKustomizesOwnFields() throws Exception {
    ApplicationSpec.Kustomize k = new ApplicationSpec.Kustomize();
    assertThat(KustomizeOverlay.needed(k)).isFalse();
    assertThat(KustomizeOverlay.needed(null)).isFalse();
    k.namePrefix = "dev-";
    k.nameSuffix = "-1";
    k.namespace = "team";
    k.commonLabels = Map.of("env", "dev");
    k.images = List.of("nginx:1.27");
    k.components = List.of("../../components/debug");
    ApplicationSpec.KustomizePatch p = new ApplicationSpec.KustomizePatch();
    p.patch = "- op: replace\n  path: /spec/replicas\n  value: 2";
    p.target = new ApplicationSpec.KustomizeTarget();
    p.target.kind = "Deployment";
    k.patches = List.of(p);
    assertThat(KustomizeOverlay.needed(k)).isTrue();

    JsonNode out =
        new ObjectMapper()
            .readTree(
                KustomizeOverlay.kustomization(k, "../k8s/overlays/dev", "../k8s/overlays/dev"));
    assertThat(out.path("resources").toString()).isEqualTo("[\"../k8s/overlays/dev\"]");
    assertThat(out.path("namePrefix").asText()).isEqualTo("dev-");
    assertThat(out.path("nameSuffix").asText()).isEqualTo("-1");
    assertThat(out.path("namespace").asText()).isEqualTo("team");
    assertThat(out.path("commonLabels").path("env").asText()).isEqualTo("dev");
    assertThat(out.path("images").get(0).path("newTag").asText()).isEqualTo("1.27");
    assertThat(out.path("components").get(0).asText())
        .isEqualTo("../k8s/overlays/dev/../../components/debug");
    assertThat(out.path("patches").get(0).path("target").toString())
        .isEqualTo("{\"kind\":\"Deployment\"}");

    ApplicationSpec.KustomizePatch empty = new ApplicationSpec.KustomizePatch();
    k.patches = List.of(empty);
    assertThatThrownBy(() -> KustomizeOverlay.kustomization(k, "x", "x"))
        .hasMessageContaining("patches[0]");
  }
}
