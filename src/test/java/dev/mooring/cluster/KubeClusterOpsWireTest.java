package dev.mooring.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mooring.cluster.RecordingApiServer.Recorded;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubeClusterOpsWireTest {
  private static final ResourceType CONFIG_MAP =
      new ResourceType("", "v1", "ConfigMap", "configmaps", true);
  private static final ResourceType CLUSTER_ROLE =
      new ResourceType("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private RecordingApiServer server;
  private KubernetesClient client;
  private KubeClusterOps ops;

  @BeforeEach
  void start() {
    server = new RecordingApiServer();
    client = server.client();
    ops = new KubeClusterOps(client);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void server_side_apply_patches_the_object_as_apply_yaml_with_mooring_as_forcing_field_manager()
      throws Exception {
    ObjectNode cm = configMap();

    ObjectNode answer = ops.serverSideApply(CONFIG_MAP, cm);

    Recorded r = server.only();
    assertThat(r.method()).isEqualTo("PATCH");
    assertThat(r.path()).isEqualTo("/api/v1/namespaces/shop/configmaps/web-config");
    assertThat(r.contentType()).startsWith("application/apply-patch+yaml");
    assertThat(r.query()).contains("fieldManager=mooring").contains("force=true");
    JsonNode sent = YAML.readTree(r.body());
    assertThat(sent.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(sent.path("kind").asText()).isEqualTo("ConfigMap");
    assertThat(sent.at("/metadata/name").asText()).isEqualTo("web-config");
    assertThat(sent.at("/metadata/namespace").asText()).isEqualTo("shop");
    assertThat(sent.at("/metadata/labels/app").asText()).isEqualTo("web");
    assertThat(sent.at("/data/color").asText()).isEqualTo("blue");
    assertThat(answer.at("/data/color").asText()).isEqualTo("blue");
  }

  @Test
  void server_side_apply_of_a_cluster_scoped_object_uses_the_group_path_without_namespace()
      throws Exception {
    ObjectNode role =
        (ObjectNode)
            YAML.readTree(
                """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: reader
                rules:
                  - apiGroups: [""]
                    resources: [pods]
                    verbs: [get]
                """);

    ops.serverSideApply(CLUSTER_ROLE, role);

    Recorded r = server.only();
    assertThat(r.method()).isEqualTo("PATCH");
    assertThat(r.path()).isEqualTo("/apis/rbac.authorization.k8s.io/v1/clusterroles/reader");
    assertThat(YAML.readTree(r.body()).at("/rules/0/verbs/0").asText()).isEqualTo("get");
  }

  @Test
  void json_patch_sends_the_rfc_6902_operations_as_json_patch() throws Exception {
    server.respond(200, JSON.writeValueAsString(configMap()));
    String patch = "[{\"op\":\"replace\",\"path\":\"/data/color\",\"value\":\"green\"}]";

    ObjectNode answer = ops.jsonPatch(CONFIG_MAP, "shop", "web-config", patch);

    // the patch goes to the object by name, without reading it first
    Recorded r = server.only();
    assertThat(r.method()).isEqualTo("PATCH");
    assertThat(r.path()).isEqualTo("/api/v1/namespaces/shop/configmaps/web-config");
    assertThat(r.contentType()).startsWith("application/json-patch+json");
    assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree(patch));
    assertThat(answer.at("/metadata/name").asText()).isEqualTo("web-config");
  }

  @Test
  void delete_asks_for_foreground_propagation_with_uid_and_resource_version_preconditions()
      throws Exception {
    server.respond(
        200,
        """
        {"kind":"Status","apiVersion":"v1","status":"Success",
         "details":{"name":"web-config","kind":"configmaps"}}
        """);

    boolean deleted = ops.delete(CONFIG_MAP, "shop", "web-config", "uid-1", "42");

    Recorded r = server.only();
    assertThat(r.method()).isEqualTo("DELETE");
    assertThat(r.path()).isEqualTo("/api/v1/namespaces/shop/configmaps/web-config");
    // the policy and the preconditions go in a DeleteOptions body, not in the query
    JsonNode options = JSON.readTree(r.body());
    assertThat(options.path("kind").asText()).isEqualTo("DeleteOptions");
    assertThat(options.path("propagationPolicy").asText()).isEqualTo("Foreground");
    assertThat(options.at("/preconditions/uid").asText()).isEqualTo("uid-1");
    assertThat(options.at("/preconditions/resourceVersion").asText()).isEqualTo("42");
    assertThat(r.query()).doesNotContain("propagationPolicy");
    assertThat(deleted).isTrue();
  }

  @Test
  void deleting_an_object_that_is_already_gone_reports_nothing_deleted() {
    server.respond(404, notFound());

    assertThat(ops.delete(CONFIG_MAP, "shop", "web-config", "uid-1", "42")).isFalse();
  }

  @Test
  void getting_a_missing_object_gives_null() {
    server.respond(404, notFound());

    assertThat(ops.get(CONFIG_MAP, "shop", "web-config")).isNull();
    assertThat(server.only().method()).isEqualTo("GET");
    assertThat(server.only().path()).isEqualTo("/api/v1/namespaces/shop/configmaps/web-config");
  }

  private static String notFound() {
    return """
        {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,
         "message":"configmaps \\"web-config\\" not found"}
        """;
  }

  private static ObjectNode configMap() {
    try {
      return (ObjectNode)
          YAML.readTree(
              """
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: web-config
                namespace: shop
                labels:
                  app: web
              data:
                color: blue
              """);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
