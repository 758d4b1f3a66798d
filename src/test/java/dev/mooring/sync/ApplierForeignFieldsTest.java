package dev.mooring.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mooring.cluster.KubeClusterOps;
import dev.mooring.cluster.LiveCache;
import dev.mooring.cluster.RecordingApiServer;
import dev.mooring.cluster.RecordingApiServer.Recorded;
import dev.mooring.cluster.ResourceType;
import dev.mooring.sync.SyncPlan.Action;
import dev.mooring.sync.SyncPlan.Step;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The canary controller owns the replicas of its target Deployment: whatever write Mooring sends
 * for a Git change leaves them as they are live, except when it creates the object. Observed on the
 * wire, through the real {@link KubeClusterOps}.
 */
class ApplierForeignFieldsTest {
  private static final ResourceType DEPLOYMENT =
      new ResourceType("apps", "v1", "Deployment", "deployments", true);
  private static final ForeignFields REPLICAS_OF_WEB =
      key -> key.name().equals("web") ? List.of("/spec/replicas") : List.of();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private RecordingApiServer server;
  private KubernetesClient client;
  private LiveCache cache;

  @BeforeEach
  void start() {
    server = new RecordingApiServer();
    client = server.client();
    cache = new LiveCache(client, o -> {}, Tracking.APP_LABEL);
  }

  @AfterEach
  void stop() {
    cache.close();
    client.close();
    server.close();
  }

  @Test
  void a_json_patch_for_a_new_image_patches_the_image_and_leaves_replicas_scaled_down()
      throws Exception {
    ObjectNode live = scaledDownLive();
    server.respond(200, JSON.writeValueAsString(live));

    Action done = applier(REPLICAS_OF_WEB).apply(step(deployment(3, "nginx:1.28"), live), false);

    assertThat(done).isEqualTo(Action.UPDATE);
    JsonNode patch = JSON.readTree(only("PATCH").body());
    // the patch carries the live resourceVersion: the server refuses it (409) if it changed
    assertThat(patch.get(0).path("op").asText()).isEqualTo("replace");
    assertThat(patch.get(0).path("path").asText()).isEqualTo("/metadata/resourceVersion");
    assertThat(paths(patch))
        .contains("/spec/template/spec/containers/0/image")
        .noneMatch(p -> p.startsWith("/spec/replicas"));
    assertThat(valueAt(patch, "/spec/template/spec/containers/0/image")).isEqualTo("nginx:1.28");
  }

  @Test
  void without_foreign_fields_the_same_patch_would_scale_the_target_back_up() throws Exception {
    ObjectNode live = scaledDownLive();
    server.respond(200, JSON.writeValueAsString(live));

    applier(ForeignFields.NONE).apply(step(deployment(3, "nginx:1.28"), live), false);

    JsonNode patch = JSON.readTree(only("PATCH").body());
    assertThat(valueAt(patch, "/spec/replicas")).isEqualTo("3");
  }

  @Test
  void only_replicas_differing_sends_no_write_at_all() throws Exception {
    ObjectNode live = scaledDownLive();
    server.respond(200, JSON.writeValueAsString(live));

    Action done = applier(REPLICAS_OF_WEB).apply(step(deployment(3, "nginx:1.27"), live), false);

    assertThat(done).isEqualTo(Action.NONE);
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void a_create_keeps_the_replicas_git_gives() throws Exception {
    server.respond("GET", 404, notFound());

    Action done = applier(REPLICAS_OF_WEB).apply(step(deployment(3, "nginx:1.28"), null), false);

    assertThat(done).isEqualTo(Action.CREATE);
    JsonNode created = JSON.readTree(only("POST").body());
    assertThat(created.at("/spec/replicas").asInt()).isEqualTo(3);
  }

  @Test
  void a_server_side_apply_sends_the_live_replicas_so_that_the_server_never_resets_them()
      throws Exception {
    ObjectNode live = scaledDownLive();
    server.respond(200, JSON.writeValueAsString(live));

    applier(REPLICAS_OF_WEB).apply(step(deployment(3, "nginx:1.28"), live), true);

    Recorded apply = only("PATCH");
    assertThat(apply.contentType()).startsWith("application/apply-patch+yaml");
    JsonNode sent = YAML.readTree(apply.body());
    assertThat(sent.at("/spec/replicas").asInt()).isZero();
    assertThat(sent.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1.28");
  }

  @Test
  void a_server_side_apply_that_creates_the_object_keeps_the_replicas_git_gives() throws Exception {
    server.respond("GET", 404, notFound());

    applier(REPLICAS_OF_WEB).apply(step(deployment(3, "nginx:1.28"), null), true);

    JsonNode sent = YAML.readTree(only("PATCH").body());
    assertThat(sent.at("/spec/replicas").asInt()).isEqualTo(3);
  }

  @Test
  void a_replace_of_an_object_too_large_for_the_annotation_keeps_live_replicas() throws Exception {
    ObjectNode live = scaledDownLive();
    server.respond("GET", 200, JSON.writeValueAsString(live));
    ObjectNode desired = deployment(3, "nginx:1.28");
    desired
        .with("metadata")
        .with("annotations")
        .put("big", "x".repeat(Applier.MAX_LAST_APPLIED + 1));

    Action done = applier(REPLICAS_OF_WEB).apply(step(desired, live), false);

    assertThat(done).isEqualTo(Action.UPDATE);
    JsonNode replaced = JSON.readTree(only("PUT").body());
    assertThat(replaced.at("/spec/replicas").asInt()).isZero();
    assertThat(replaced.at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("nginx:1.28");
  }

  private Applier applier(ForeignFields foreign) {
    return new Applier(new KubeClusterOps(client), cache, foreign);
  }

  private static Step step(ObjectNode desired, ObjectNode live) {
    return new Step(
        live == null ? Action.CREATE : Action.UPDATE,
        ResourceKey.of(desired),
        DEPLOYMENT,
        desired,
        live,
        0,
        SyncOptions.parse((String) null),
        null);
  }

  /** The request of this method; fabric8 may read the object first, which does not matter here. */
  private Recorded only(String method) {
    List<Recorded> matching =
        server.requests().stream().filter(r -> r.method().equals(method)).toList();
    assertThat(matching).as(method + " requests").hasSize(1);
    return matching.get(0);
  }

  private static List<String> paths(JsonNode patch) {
    List<String> paths = new ArrayList<>();
    patch.forEach(op -> paths.add(op.path("path").asText()));
    return paths;
  }

  private static String valueAt(JsonNode patch, String path) {
    for (JsonNode op : patch) {
      if (op.path("path").asText().equals(path)) {
        return op.path("value").asText();
      }
    }
    return null;
  }

  /** Git's Deployment: 3 replicas and an image. */
  private static ObjectNode deployment(int replicas, String image) {
    try {
      return (ObjectNode)
          YAML.readTree(
              """
              apiVersion: apps/v1
              kind: Deployment
              metadata:
                name: web
                namespace: shop
              spec:
                replicas: %d
                selector:
                  matchLabels: {app: web}
                template:
                  metadata:
                    labels: {app: web}
                  spec:
                    containers:
                      - name: web
                        image: %s
              """
                  .formatted(replicas, image));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Git's 3 replicas of nginx:1.27 applied, then scaled to 0 by the canary controller. */
  private static ObjectNode scaledDownLive() throws Exception {
    ObjectNode applied = deployment(3, "nginx:1.27");
    ObjectNode live = applied.deepCopy();
    ObjectNode meta = live.with("metadata");
    meta.put("resourceVersion", "7");
    meta.with("annotations").put(Tracking.LAST_APPLIED, JSON.writeValueAsString(applied));
    live.with("spec").put("replicas", 0);
    return live;
  }

  private static String notFound() {
    return """
        {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,
         "message":"deployments.apps \\"web\\" not found"}
        """;
  }
}
