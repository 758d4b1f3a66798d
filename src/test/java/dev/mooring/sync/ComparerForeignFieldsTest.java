package dev.mooring.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mooring.cluster.KindResolver;
import dev.mooring.cluster.KubeClusterOps;
import dev.mooring.cluster.LiveCache;
import dev.mooring.diff.ResourceDiff;
import dev.mooring.health.HealthAssessor;
import dev.mooring.sync.Comparer.Target;
import dev.mooring.testing.RealApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A canary target scaled to 0 while Git says 3: the comparison, from the informer cache of a real
 * API server (and its dry runs), leaves the replicas to their owner when {@link ForeignFields}
 * names them.
 */
class ComparerForeignFieldsTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ResourceKey WEB = new ResourceKey("apps", "Deployment", "shop", "web");
  private static final ResourceKey API = new ResourceKey("apps", "Deployment", "shop", "api");
  private static final ForeignFields REPLICAS_OF_WEB =
      key -> key.equals(WEB) ? List.of("/spec/replicas") : List.of();

  private static RealApiServer server;
  private static KubernetesClient client;
  private LiveCache cache;

  @BeforeAll
  static void start() {
    server = RealApiServer.start(List.of());
    client = server.newClient();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build())
        .create();
    // web was scaled down by the canary controller; api was scaled by hand
    createLive(deployment("web", 0));
    createLive(deployment("api", 1));
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @BeforeEach
  void watch() {
    cache = new LiveCache(client, o -> {}, Tracking.APP_LABEL);
  }

  @AfterEach
  void unwatch() {
    cache.close();
  }

  @Test
  void replicas_owned_elsewhere_are_in_sync_while_another_deployment_still_differs()
      throws Exception {
    Comparison comparison = compare(REPLICAS_OF_WEB);

    ResourceDiff web = comparison.diffs().get(WEB);
    assertThat(web.inSync()).isTrue();
    assertThat(web.changedPaths()).isEmpty();
    assertThat(web.predicted().at("/spec/replicas").asInt()).isZero();
    assertThat(comparison.candidates())
        .filteredOn(c -> c.key().equals(WEB))
        .singleElement()
        .matches(SyncPlanner.Candidate::inSync);
    ResourceDiff api = comparison.diffs().get(API);
    assertThat(api.inSync()).isFalse();
    assertThat(api.changedPaths()).containsExactly("/spec/replicas");
  }

  @Test
  void without_foreign_fields_the_scaled_down_target_is_out_of_sync() throws Exception {
    Comparison comparison = compare(ForeignFields.NONE);

    ResourceDiff web = comparison.diffs().get(WEB);
    assertThat(web.inSync()).isFalse();
    assertThat(web.changedPaths()).containsExactly("/spec/replicas");
    assertThat(comparison.inSync()).isFalse();
  }

  private Comparison compare(ForeignFields foreign) throws Exception {
    Applier applier = new Applier(new KubeClusterOps(client), cache, foreign);
    Comparer comparer =
        new Comparer(
            new KindResolver(client),
            cache,
            applier,
            new HealthAssessor(),
            foreign,
            new ServerPreview(applier, true),
            Runnable::run);
    Target target =
        new Target("mooring", "shop", "shop", SyncOptions.parse((String) null), null, List.of());
    return comparer.compare(target, "rev1", List.of(deployment("web", 3), deployment("api", 2)));
  }

  /** What the app applied, as Mooring marks it, with the replicas given. */
  private static void createLive(ObjectNode git) {
    ObjectNode live = git.deepCopy();
    Tracking.mark(live, "mooring", "shop");
    client
        .resource(
            client.getKubernetesSerialization().convertValue(live, GenericKubernetesResource.class))
        .create();
  }

  private static ObjectNode deployment(String name, int replicas) {
    try {
      return (ObjectNode)
          YAML.readTree(
              """
              apiVersion: apps/v1
              kind: Deployment
              metadata:
                name: %s
                namespace: shop
              spec:
                replicas: %d
                selector:
                  matchLabels: {app: %s}
                template:
                  metadata:
                    labels: {app: %s}
                  spec:
                    containers:
                      - name: app
                        image: nginx:1.27
              """
                  .formatted(name, replicas, name, name));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
