package dev.mooring.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.api.CanaryIndex;
import dev.mooring.model.Canary;
import dev.mooring.model.CanarySpec;
import dev.mooring.sync.ResourceKey;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** Which objects' replicas belong to the canary controller, followed through Canary changes. */
class CanaryTargetsTest {
  private static final ResourceKey WEB = deployment("shop", "web");
  private static final List<String> REPLICAS = List.of("/spec/replicas");

  private final CanaryTargets targets = new CanaryTargets(new CanaryIndex(null, null));

  @Test
  void an_added_canary_gives_its_target_deployment_replicas_and_nothing_else() {
    targets.onCanary(null, canary("shop", "web", ref(null, null, "web", null)));

    assertThat(targets.pointers(WEB)).isEqualTo(REPLICAS);
    assertThat(targets.pointers(deployment("shop", "api"))).isEmpty();
    assertThat(targets.pointers(deployment("other", "web"))).isEmpty();
    assertThat(targets.pointers(new ResourceKey("", "Service", "shop", "web"))).isEmpty();
    assertThat(targets.pointers(new ResourceKey("", "Deployment", "shop", "web"))).isEmpty();
  }

  @Test
  void without_canaries_nothing_is_foreign() {
    assertThat(targets.pointers(WEB)).isEmpty();
  }

  @Test
  void the_target_may_name_its_kind_and_another_namespace() {
    targets.onCanary(null, canary("shop", "db", ref("apps/v1", "StatefulSet", "db", "data")));
    targets.onCanary(null, canary("shop", "agent", ref("apps/v1", "DaemonSet", "agent", null)));

    assertThat(targets.pointers(new ResourceKey("apps", "StatefulSet", "data", "db")))
        .isEqualTo(REPLICAS);
    assertThat(targets.pointers(new ResourceKey("apps", "StatefulSet", "shop", "db"))).isEmpty();
    // a DaemonSet has no replicas: what the canary controller sets is its scale-to-zero selector
    assertThat(targets.pointers(new ResourceKey("apps", "DaemonSet", "shop", "agent")))
        .containsExactlyElementsOf(CanaryTargets.SCALE_TO_ZERO);
  }

  @Test
  void a_canary_whose_target_changes_releases_the_old_target() {
    Canary before = canary("shop", "web", ref("apps/v1", "Deployment", "web", null));
    Canary after = canary("shop", "web", ref("apps/v1", "Deployment", "web-v2", null));
    targets.onCanary(null, before);

    targets.onCanary(before, after);

    assertThat(targets.pointers(WEB)).isEmpty();
    assertThat(targets.pointers(deployment("shop", "web-v2"))).isEqualTo(REPLICAS);
  }

  @Test
  void a_deleted_canary_gives_the_replicas_back_to_git() {
    Canary canary = canary("shop", "web", ref(null, null, "web", null));
    targets.onCanary(null, canary);

    targets.onCanary(canary, null);

    assertThat(targets.pointers(WEB)).isEmpty();
  }

  @Test
  void a_target_stays_foreign_while_any_canary_names_it() {
    Canary first = canary("shop", "web", ref(null, null, "web", null));
    Canary second = canary("shop", "web-again", ref(null, null, "web", null));
    targets.onCanary(null, first);
    targets.onCanary(null, second);

    targets.onCanary(first, null);

    assertThat(targets.pointers(WEB)).isEqualTo(REPLICAS);
    targets.onCanary(second, null);
    assertThat(targets.pointers(WEB)).isEmpty();
  }

  @Test
  void hearing_of_the_same_canary_twice_counts_it_once() {
    Canary canary = canary("shop", "web", ref(null, null, "web", null));
    // the seed from the index and the informer's own add event may both report it
    targets.onCanary(null, canary);
    targets.onCanary(null, canary);

    targets.onCanary(canary, null);

    assertThat(targets.pointers(WEB)).isEmpty();
  }

  @Test
  void a_canary_without_a_target_name_changes_nothing() {
    targets.onCanary(null, canary("shop", "broken", ref(null, null, null, null)));
    targets.onCanary(null, canary("shop", "empty", null));

    assertThat(targets.pointers(WEB)).isEmpty();
  }

  @Test
  void starting_seeds_from_the_index_and_then_follows_its_changes() {
    Canary existing = canary("shop", "web", ref(null, null, "web", null));
    List<BiConsumer<Canary, Canary>> listeners = new ArrayList<>();
    CanaryIndex index =
        new CanaryIndex(null, null) {
          @Override
          public List<Canary> list() {
            return List.of(existing);
          }

          @Override
          public void onChange(BiConsumer<Canary, Canary> listener) {
            listeners.add(listener);
          }
        };
    CanaryTargets started = new CanaryTargets(index);

    started.start();

    assertThat(started.pointers(WEB)).isEqualTo(REPLICAS);
    assertThat(listeners).hasSize(1);
    Canary api = canary("shop", "api", ref(null, null, "api", null));
    listeners.get(0).accept(null, api);
    assertThat(started.pointers(deployment("shop", "api"))).isEqualTo(REPLICAS);
    listeners.get(0).accept(existing, null);
    assertThat(started.pointers(WEB)).isEmpty();
  }

  private static ResourceKey deployment(String namespace, String name) {
    return new ResourceKey("apps", "Deployment", namespace, name);
  }

  private static CanarySpec.ObjectRef ref(
      String apiVersion, String kind, String name, String namespace) {
    CanarySpec.ObjectRef ref = new CanarySpec.ObjectRef(apiVersion, kind, name);
    ref.namespace = namespace;
    return ref;
  }

  private static Canary canary(String namespace, String name, CanarySpec.ObjectRef target) {
    Canary canary = new Canary();
    canary.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    CanarySpec spec = new CanarySpec();
    spec.targetRef = target;
    canary.setSpec(spec);
    return canary;
  }
}
