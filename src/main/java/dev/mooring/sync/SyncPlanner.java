package dev.mooring.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.cluster.ResourceType;
import dev.mooring.sync.SyncPlan.Action;
import dev.mooring.sync.SyncPlan.Step;
import dev.mooring.sync.SyncPlan.Wave;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Orders a comparison into a {@link SyncPlan}. Pure: no cluster access. */
public final class SyncPlanner {

  /**
   * A desired object with what the comparison found.
   *
   * @param problem why it cannot be synced as it is (the API server rejects it, its kind cannot be
   *     read); null when there is none
   */
  public record Candidate(
      ResourceKey key,
      ResourceType type,
      ObjectNode desired,
      ObjectNode live,
      boolean inSync,
      SyncOptions options,
      String problem) {

    public Candidate(
        ResourceKey key,
        ResourceType type,
        ObjectNode desired,
        ObjectNode live,
        boolean inSync,
        SyncOptions options) {
      this(key, type, desired, live, inSync, options, null);
    }

    public Candidate withInSync(boolean inSync) {
      return new Candidate(key, type, desired, live, inSync, options, problem);
    }

    public Candidate withProblem(String problem) {
      return new Candidate(key, type, desired, live, false, options, problem);
    }

    /** The step that would apply it. */
    public Step asStep() {
      return new Step(
          live == null ? Action.CREATE : inSync ? Action.NONE : Action.UPDATE,
          key,
          type,
          desired,
          live,
          Tracking.wave(desired),
          options,
          problem);
    }
  }

  /** A live object this Application owns that Git no longer has. */
  public record Orphan(ResourceKey key, ResourceType type, ObjectNode live, SyncOptions options) {
    /**
     * Marked {@code mooring.dev/compare-options: IgnoreExtraneous} (or Argo CD's): left over, but
     * no reason to call the app OutOfSync or to sync it; a sync that runs prunes it as usual.
     */
    public boolean ignoredExtraneous() {
      String compare = Tracking.annotation(live, Tracking.COMPARE_OPTIONS);
      return compare != null
          && java.util.Arrays.stream(compare.split(","))
              .anyMatch(o -> o.trim().equals("IgnoreExtraneous"));
    }
  }

  /** What the caller asked for: prune or not, and an optional subset of resources. */
  public record Request(boolean prune, Set<ResourceKey> only) {
    public boolean selects(ResourceKey key) {
      return only == null || only.isEmpty() || only.contains(key);
    }
  }

  private static final Comparator<Step> APPLY_ORDER =
      Comparator.comparingInt(
              (Step s) -> KindOrder.isFoundation(s.key().group(), s.key().kind()) ? 0 : 1)
          .thenComparingInt(Step::wave)
          .thenComparingInt(s -> KindOrder.rank(s.key().kind()))
          .thenComparing(Step::key);

  private SyncPlanner() {}

  public static SyncPlan plan(List<Candidate> candidates, List<Orphan> orphans, Request request) {
    return plan(candidates, orphans, List.of(), request);
  }

  /** The plan of a sync; the hooks run unless the request selects resources. */
  public static SyncPlan plan(
      List<Candidate> candidates, List<Orphan> orphans, List<SyncHook> hooks, Request request) {
    List<Step> steps = new ArrayList<>();
    for (Candidate c : candidates) {
      if (!request.selects(c.key())) {
        continue;
      }
      steps.add(c.asStep());
    }
    steps.sort(APPLY_ORDER);
    Map<String, List<Step>> byWave = new LinkedHashMap<>();
    for (Step s : steps) {
      String name =
          KindOrder.isFoundation(s.key().group(), s.key().kind())
              ? "namespaces and CRDs"
              : "wave " + s.wave();
      byWave.computeIfAbsent(name, k -> new ArrayList<>()).add(s);
    }
    List<Wave> waves = new ArrayList<>();
    byWave.forEach((name, list) -> waves.add(new Wave(name, List.copyOf(list))));

    List<Step> prune = new ArrayList<>();
    for (Orphan o : orphans) {
      if (!request.selects(o.key())) {
        continue;
      }
      Action action;
      String reason = null;
      if (o.options().isFalse("Prune")) {
        action = Action.PRUNE_SKIP;
        reason = "kept: sync option Prune=false";
      } else if ("keep".equals(Tracking.annotation(o.live(), "helm.sh/resource-policy"))) {
        action = Action.PRUNE_SKIP;
        reason = "kept: helm.sh/resource-policy: keep";
      } else if (!request.prune()) {
        action = Action.PRUNE_SKIP;
        reason = "ignored (requires pruning): prune is not enabled";
      } else {
        action = Action.PRUNE;
      }
      prune.add(
          new Step(
              action,
              o.key(),
              o.type(),
              null,
              o.live(),
              Tracking.wave(o.live()),
              o.options(),
              reason));
    }
    prune.sort(APPLY_ORDER.reversed());
    boolean selective = request.only() != null && !request.only().isEmpty();
    return new SyncPlan(List.copyOf(waves), List.copyOf(prune), selective ? List.of() : hooks);
  }
}
