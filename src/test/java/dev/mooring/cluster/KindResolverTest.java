package dev.mooring.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mooring.testing.RealApiServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
  void served_kinds_come_from_discovery_and_kinds_of_crds_in_the_same_sync_resolve_unserved()
      throws Exception {
    try (RealApiServer server = RealApiServer.start(List.of());
        var client = server.newClient()) {
      KindResolver resolver = new KindResolver(client, false, 0);

      ResourceType deployment = resolver.resolve("apps/v1", "Deployment", List.of());
      assertThat(deployment)
          .isEqualTo(new ResourceType("apps", "v1", "Deployment", "deployments", true));
      assertThat(resolver.resolve("v1", "Namespace", List.of()))
          .isEqualTo(new ResourceType("", "v1", "Namespace", "namespaces", false));
      assertThat(resolver.isServed(deployment)).isTrue();
      // known to the client's model, removed from Kubernetes in 1.22 and 1.25
      assertThatThrownBy(() -> resolver.resolve("extensions/v1beta1", "Ingress", List.of()))
          .isInstanceOf(UnknownKindException.class);
      assertThatThrownBy(() -> resolver.resolve("policy/v1beta1", "PodSecurityPolicy", List.of()))
          .isInstanceOf(UnknownKindException.class);
      assertThatThrownBy(() -> resolver.resolve("example.com/v1", "Sprocket", List.of()))
          .isInstanceOf(UnknownKindException.class);

      ResourceType widget = resolver.resolve("example.com/v1", "Widget", List.of(WIDGETS));
      assertThat(widget)
          .isEqualTo(new ResourceType("example.com", "v1", "Widget", "widgets", true));
      assertThat(resolver.isServed(widget)).as("its CRD is not applied yet").isFalse();

      CustomResourceDefinition crd =
          client.getKubernetesSerialization().convertValue(WIDGETS, CustomResourceDefinition.class);
      client.resource(crd).create();
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName("widgets.example.com")
          .waitUntilCondition(RealApiServer::established, 30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> resolver.isServed(widget));
      assertThat(resolver.resolve("example.com/v1", "Widget", List.of())).isEqualTo(widget);
      assertThat(resolver.listableKinds(true))
          .contains(new ResourceType("", "v1", "ConfigMap", "configmaps", true), widget);
      assertThat(resolver.listableKinds(false))
          .contains(new ResourceType("", "v1", "Namespace", "namespaces", false))
          .doesNotContain(widget);
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
