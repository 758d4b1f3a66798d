package dev.mooring.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class KindResolverTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final JsonNode WIDGETS = crd("widgets.yaml");
  private static final JsonNode GADGET_CLASSES = crd("gadgetclasses.yaml");

  @Test
  void a_crd_resolves_its_group_version_kind_plural_and_namespaced_scope() {
    assertThat(KindResolver.fromCrd(WIDGETS, "example.com", "v1", "Widget"))
        .contains(new ResourceType("example.com", "v1", "Widget", "widgets", true));
    assertThat(KindResolver.fromCrd(WIDGETS, "example.com", "v2alpha1", "Widget"))
        .contains(new ResourceType("example.com", "v2alpha1", "Widget", "widgets", true));
  }

  @Test
  void a_cluster_scoped_crd_resolves_to_a_cluster_scoped_type() {
    assertThat(KindResolver.fromCrd(GADGET_CLASSES, "example.com", "v1", "GadgetClass"))
        .contains(new ResourceType("example.com", "v1", "GadgetClass", "gadgetclasses", false));
  }

  @Test
  void a_version_the_crd_lists_but_does_not_serve_is_refused() {
    assertThat(KindResolver.fromCrd(WIDGETS, "example.com", "v1beta1", "Widget")).isEmpty();
  }

  @Test
  void a_version_the_crd_does_not_list_is_refused() {
    assertThat(KindResolver.fromCrd(WIDGETS, "example.com", "v3", "Widget")).isEmpty();
  }

  @Test
  void a_crd_does_not_resolve_other_kinds_or_groups() {
    assertThat(KindResolver.fromCrd(WIDGETS, "example.com", "v1", "Gizmo")).isEmpty();
    assertThat(KindResolver.fromCrd(WIDGETS, "example.org", "v1", "Widget")).isEmpty();
    assertThat(KindResolver.fromCrd(WIDGETS, "example.com", "v1", "GadgetClass")).isEmpty();
  }

  @Test
  void an_object_that_is_not_a_crd_resolves_nothing() throws IOException {
    JsonNode configMap = YAML.readTree("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");

    assertThat(KindResolver.fromCrd(configMap, "example.com", "v1", "Widget")).isEmpty();
  }

  @Test
  void built_in_kinds_and_kinds_of_crds_in_the_same_sync_resolve_without_the_server()
      throws Exception {
    try (RecordingApiServer server = new RecordingApiServer();
        var client = server.client()) {
      KindResolver resolver = new KindResolver(client);

      assertThat(resolver.resolve("apps/v1", "Deployment", List.of()))
          .isEqualTo(new ResourceType("apps", "v1", "Deployment", "deployments", true));
      assertThat(resolver.resolve("v1", "Namespace", List.of()))
          .isEqualTo(new ResourceType("", "v1", "Namespace", "namespaces", false));
      assertThat(resolver.resolve("example.com/v1", "Widget", List.of(GADGET_CLASSES, WIDGETS)))
          .isEqualTo(new ResourceType("example.com", "v1", "Widget", "widgets", true));
      assertThat(server.requests()).isEmpty();
    }
  }

  @Test
  void other_kinds_are_found_through_discovery_or_reported_unknown() throws Exception {
    try (RecordingApiServer server = new RecordingApiServer();
        var client = server.client()) {
      server.respond(
          200,
          """
          {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"example.com/v1",
           "resources":[
             {"name":"gizmos","singularName":"gizmo","namespaced":true,"kind":"Gizmo","verbs":["get"]},
             {"name":"gizmos/status","singularName":"","namespaced":true,"kind":"Gizmo","verbs":["get"]}
           ]}
          """);
      KindResolver resolver = new KindResolver(client);

      assertThat(resolver.resolve("example.com/v1", "Gizmo", List.of(WIDGETS)))
          .isEqualTo(new ResourceType("example.com", "v1", "Gizmo", "gizmos", true));
      assertThat(server.requests()).extracting(r -> r.path()).containsOnly("/apis/example.com/v1");
      assertThatThrownBy(() -> resolver.resolve("example.com/v1", "Sprocket", List.of()))
          .isInstanceOf(UnknownKindException.class);
    }
  }

  private static JsonNode crd(String file) {
    try (InputStream in = KindResolverTest.class.getResourceAsStream("/sync/crds/" + file)) {
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
