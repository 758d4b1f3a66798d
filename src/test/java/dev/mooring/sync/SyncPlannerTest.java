package dev.mooring.sync;

import static dev.mooring.sync.PlanFixtures.candidate;
import static dev.mooring.sync.PlanFixtures.orphan;
import static dev.mooring.sync.PlanFixtures.outOfSync;
import static dev.mooring.sync.PlanFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.sync.SyncPlan.Action;
import dev.mooring.sync.SyncPlan.Step;
import dev.mooring.sync.SyncPlanner.Candidate;
import dev.mooring.sync.SyncPlanner.Orphan;
import dev.mooring.sync.SyncPlanner.Request;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyncPlannerTest {
  private static final Request PRUNE = new Request(true, null);
  private static final Request NO_PRUNE = new Request(false, null);

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"foundation-first.yaml", "kind-order.yaml", "waves.yaml", "names-break-ties.yaml"})
  void applies_objects_in_the_order_the_fixture_expects(String fixture) {
    String path = "ordering/" + fixture;
    List<String> expected = PlanFixtures.expectedOrder(path);
    List<Candidate> candidates =
        PlanFixtures.objects(path).stream().map(PlanFixtures::outOfSync).toList();

    SyncPlan plan = SyncPlanner.plan(candidates, List.of(), PRUNE);

    assertThat(expected).hasSize(candidates.size());
    assertThat(applyOrder(plan)).containsExactlyElementsOf(expected);
  }

  @Test
  void the_plan_does_not_depend_on_the_order_objects_came_from_git() {
    List<Candidate> candidates =
        PlanFixtures.objects("ordering/waves.yaml").stream().map(PlanFixtures::outOfSync).toList();
    List<Candidate> reversed = new ArrayList<>(candidates);
    Collections.reverse(reversed);

    assertThat(applyOrder(SyncPlanner.plan(reversed, List.of(), PRUNE)))
        .containsExactlyElementsOf(applyOrder(SyncPlanner.plan(candidates, List.of(), PRUNE)));
  }

  @Test
  void a_missing_object_is_created_an_equal_one_left_alone_and_a_different_one_updated() {
    ObjectNode missing = configMap("missing", null);
    ObjectNode same = configMap("same", null);
    ObjectNode changed = configMap("changed", null);

    SyncPlan plan =
        SyncPlanner.plan(
            List.of(
                candidate(missing, null, false),
                candidate(same, same.deepCopy(), true),
                candidate(changed, changed.deepCopy(), false)),
            List.of(),
            PRUNE);

    assertThat(plan.waves()).hasSize(1);
    assertThat(plan.waves().get(0).steps())
        .extracting(s -> s.key().name() + "=" + s.action())
        .containsExactly("changed=UPDATE", "missing=CREATE", "same=NONE");
    Step created = plan.waves().get(0).steps().get(1);
    assertThat(created.live()).isNull();
    assertThat(created.desired()).isSameAs(missing);
    assertThat(created.reason()).isNull();
  }

  @Test
  void a_live_object_that_is_absent_counts_as_create_even_when_marked_in_sync() {
    ObjectNode desired = configMap("x", null);

    SyncPlan plan = SyncPlanner.plan(List.of(candidate(desired, null, true)), List.of(), PRUNE);

    assertThat(plan.waves().get(0).steps()).extracting(Step::action).containsExactly(Action.CREATE);
  }

  @Test
  void orphans_are_pruned_when_pruning_is_enabled() {
    SyncPlan plan = SyncPlanner.plan(List.of(), List.of(orphan(configMap("old", null))), PRUNE);

    assertThat(plan.waves()).isEmpty();
    assertThat(plan.prune())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.action()).isEqualTo(Action.PRUNE);
              assertThat(s.reason()).isNull();
              assertThat(s.desired()).isNull();
              assertThat(s.live()).isNotNull();
            });
  }

  @Test
  void orphans_are_skipped_with_a_reason_when_pruning_is_not_enabled() {
    SyncPlan plan = SyncPlanner.plan(List.of(), List.of(orphan(configMap("old", null))), NO_PRUNE);

    assertThat(plan.prune())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.action()).isEqualTo(Action.PRUNE_SKIP);
              assertThat(s.reason()).contains("prune is not enabled");
            });
  }

  @Test
  void an_orphan_annotated_prune_false_is_kept_even_when_pruning_is_enabled() {
    ObjectNode kept = configMap("kept", null);
    kept.with("metadata").with("annotations").put(Tracking.SYNC_OPTIONS, "Prune=false");

    SyncPlan plan = SyncPlanner.plan(List.of(), List.of(orphan(kept)), PRUNE);

    assertThat(plan.prune())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.action()).isEqualTo(Action.PRUNE_SKIP);
              assertThat(s.reason()).isEqualTo("kept: sync option Prune=false");
            });
  }

  @Test
  void an_orphan_helm_keeps_is_never_pruned() {
    ObjectNode kept = configMap("kept", null);
    kept.with("metadata").with("annotations").put("helm.sh/resource-policy", "keep");

    SyncPlan plan = SyncPlanner.plan(List.of(), List.of(orphan(kept)), PRUNE);

    assertThat(plan.prune())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.action()).isEqualTo(Action.PRUNE_SKIP);
              assertThat(s.reason()).isEqualTo("kept: helm.sh/resource-policy: keep");
            });
  }

  @Test
  void prune_steps_run_in_the_reverse_of_the_apply_order() {
    List<Orphan> orphans =
        PlanFixtures.objects("ordering/waves.yaml").stream().map(PlanFixtures::orphan).toList();
    List<Candidate> asCandidates =
        PlanFixtures.objects("ordering/waves.yaml").stream().map(PlanFixtures::outOfSync).toList();
    List<String> applied =
        SyncPlanner.plan(asCandidates, List.of(), PRUNE).waves().stream()
            .flatMap(w -> w.steps().stream())
            .map(s -> s.key().toString())
            .toList();

    List<String> pruned =
        SyncPlanner.plan(List.of(), orphans, PRUNE).prune().stream()
            .map(s -> s.key().toString())
            .toList();

    assertThat(pruned).containsExactlyElementsOf(reversed(applied));
    assertThat(pruned.get(0)).isEqualTo("batch/Job shop/smoke");
    assertThat(pruned.get(pruned.size() - 1)).isEqualTo("ConfigMap shop/db-config");
  }

  @Test
  void namespaces_and_crds_are_pruned_last() {
    List<Orphan> orphans =
        PlanFixtures.objects("ordering/foundation-first.yaml").stream()
            .map(PlanFixtures::orphan)
            .toList();

    List<String> pruned =
        SyncPlanner.plan(List.of(), orphans, PRUNE).prune().stream()
            .map(s -> s.key().kind())
            .toList();

    assertThat(pruned)
        .containsExactly(
            "Widget", "Deployment", "ConfigMap", "CustomResourceDefinition", "Namespace");
  }

  @Test
  void a_request_for_some_resources_plans_only_those() {
    ObjectNode a = configMap("a", null);
    ObjectNode b = configMap("b", null);
    ObjectNode gone = configMap("gone", null);
    ObjectNode goneToo = configMap("gone-too", null);
    Request only = new Request(true, Set.of(ResourceKey.of(b), ResourceKey.of(goneToo)));

    SyncPlan plan =
        SyncPlanner.plan(
            List.of(outOfSync(a), outOfSync(b)), List.of(orphan(gone), orphan(goneToo)), only);

    assertThat(applyOrder(plan)).containsExactly("[wave 0] ConfigMap shop/b");
    assertThat(plan.prune()).extracting(s -> s.key().name()).containsExactly("gone-too");
  }

  @Test
  void an_empty_or_absent_selection_selects_everything() {
    ResourceKey key = ResourceKey.of(configMap("a", null));

    assertThat(new Request(false, null).selects(key)).isTrue();
    assertThat(new Request(false, Set.of()).selects(key)).isTrue();
    assertThat(new Request(false, Set.of(ResourceKey.of(configMap("b", null)))).selects(key))
        .isFalse();
  }

  @Test
  void a_plan_of_unchanged_objects_and_skipped_prunes_changes_nothing() {
    ObjectNode same = configMap("same", null);

    SyncPlan plan =
        SyncPlanner.plan(
            List.of(candidate(same, same.deepCopy(), true)),
            List.of(orphan(configMap("old", null))),
            NO_PRUNE);

    assertThat(plan.changesNothing()).isTrue();
    assertThat(SyncPlanner.plan(List.of(), List.of(), PRUNE).changesNothing()).isTrue();
  }

  @Test
  void a_plan_that_creates_updates_or_prunes_changes_something() {
    ObjectNode same = configMap("same", null);
    Candidate unchanged = candidate(same, same.deepCopy(), true);

    assertThat(
            SyncPlanner.plan(
                    List.of(unchanged, candidate(configMap("new", null), null, false)),
                    List.of(),
                    PRUNE)
                .changesNothing())
        .isFalse();
    assertThat(
            SyncPlanner.plan(List.of(unchanged, outOfSync(configMap("x", null))), List.of(), PRUNE)
                .changesNothing())
        .isFalse();
    assertThat(
            SyncPlanner.plan(List.of(unchanged), List.of(orphan(configMap("old", null))), PRUNE)
                .changesNothing())
        .isFalse();
  }

  @Test
  void each_step_carries_its_wave_type_and_options() {
    ObjectNode desired = configMap("w", "-3");
    desired.with("metadata").with("annotations").put(Tracking.SYNC_OPTIONS, "Replace=true");
    Candidate c =
        new Candidate(
            ResourceKey.of(desired),
            PlanFixtures.type(desired),
            desired,
            null,
            false,
            SyncOptions.parse(Tracking.annotation(desired, Tracking.SYNC_OPTIONS)));

    Step step = SyncPlanner.plan(List.of(c), List.of(), PRUNE).waves().get(0).steps().get(0);

    assertThat(step.wave()).isEqualTo(-3);
    assertThat(step.type().plural()).isEqualTo("configmaps");
    assertThat(step.type().namespaced()).isTrue();
    assertThat(step.options().isTrue("Replace")).isTrue();
  }

  private static List<String> applyOrder(SyncPlan plan) {
    return plan.waves().stream()
        .flatMap(w -> w.steps().stream().map(s -> "[" + w.name() + "] " + s.key()))
        .toList();
  }

  private static List<String> reversed(List<String> list) {
    List<String> copy = new ArrayList<>(list);
    Collections.reverse(copy);
    return copy;
  }

  private static ObjectNode configMap(String name, String wave) {
    ObjectNode cm =
        yaml(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
                + name
                + "\n  namespace: shop\ndata:\n  k: v\n");
    if (wave != null) {
      cm.with("metadata").with("annotations").put(Tracking.SYNC_WAVE, wave);
    }
    return cm;
  }
}
