package dev.mooring.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mooring.cluster.KindResolver;
import dev.mooring.cluster.LiveCache;
import dev.mooring.health.Health;
import dev.mooring.health.HealthAssessor;
import dev.mooring.health.HealthStatus;
import dev.mooring.sync.SyncOutcome.Phase;
import dev.mooring.sync.SyncOutcome.ResourceResult;
import dev.mooring.sync.SyncPlan.Action;
import dev.mooring.sync.SyncPlan.Step;
import dev.mooring.sync.SyncPlan.Wave;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * Executes a {@link SyncPlan}: wave by wave, the writes of a wave a few at a time in parallel,
 * waiting (on watch events, with a timeout) for a wave's objects to be healthy before the next
 * wave, then pruning in reverse order. A plan with an object the API server rejected (found by the
 * comparison's dry runs) writes nothing. A failed write stops the sync after its wave; every
 * resource is still reported, those never attempted as {@code skipped}.
 */
public class SyncRunner {
  private final Applier applier;
  private final LiveCache cache;
  private final HealthAssessor health;
  private final ServerPreview preview;
  private final KindResolver kinds;
  private final PruneGuard guard;
  private final Executor writes;

  /**
   * Options of one run.
   *
   * @param confirmedPrunes {@code Kind/name} of Namespaces and CRDs the user confirmed to prune
   *     although they hold objects Mooring does not track
   */
  public record Options(
      String appNamespace,
      String appName,
      boolean pruneLast,
      Duration healthTimeout,
      BooleanSupplier cancelled,
      Set<String> confirmedPrunes,
      String revision,
      java.time.Instant startedAt,
      Duration hookTimeout,
      java.util.function.Consumer<List<ResourceResult>> progress) {

    public Options(
        String appNamespace,
        String appName,
        boolean pruneLast,
        Duration healthTimeout,
        BooleanSupplier cancelled,
        Set<String> confirmedPrunes) {
      this(
          appNamespace,
          appName,
          pruneLast,
          healthTimeout,
          cancelled,
          confirmedPrunes,
          "",
          java.time.Instant.now(),
          healthTimeout,
          null);
    }

    public Options(
        String appNamespace,
        String appName,
        boolean pruneLast,
        Duration healthTimeout,
        BooleanSupplier cancelled,
        Set<String> confirmedPrunes,
        String revision,
        java.time.Instant startedAt,
        Duration hookTimeout) {
      this(
          appNamespace,
          appName,
          pruneLast,
          healthTimeout,
          cancelled,
          confirmedPrunes,
          revision,
          startedAt,
          hookTimeout,
          null);
    }

    /** The same options, telling {@code progress} what is done after each wave. */
    public Options withProgress(java.util.function.Consumer<List<ResourceResult>> progress) {
      return new Options(
          appNamespace,
          appName,
          pruneLast,
          healthTimeout,
          cancelled,
          confirmedPrunes,
          revision,
          startedAt,
          hookTimeout,
          progress);
    }

    /** The same options for a sync of this revision that started at this time. */
    public Options at(String revision, java.time.Instant startedAt) {
      return new Options(
          appNamespace,
          appName,
          pruneLast,
          healthTimeout,
          cancelled,
          confirmedPrunes,
          revision,
          startedAt,
          hookTimeout,
          progress);
    }
  }

  public SyncRunner(
      Applier applier,
      LiveCache cache,
      HealthAssessor health,
      ServerPreview preview,
      KindResolver kinds,
      PruneGuard guard,
      Executor writes) {
    this.applier = applier;
    this.cache = cache;
    this.health = health;
    this.preview = preview;
    this.kinds = kinds;
    this.guard = guard;
    this.writes = writes;
    this.hooks = new HookRunner(applier, cache, health);
  }

  private final HookRunner hooks;

  /**
   * One step of the Sync phase: a wave of the plan (null when only hooks have this wave number) and
   * the Sync hooks of the same wave, which run once the wave is applied.
   */
  private record Stage(String name, Wave wave, List<SyncHook> hooks) {}

  /** The waves of the plan with the Sync hooks merged in by wave number. */
  private static List<Stage> stages(SyncPlan plan) {
    java.util.TreeMap<Integer, List<SyncHook>> byWave =
        HookRunner.byWave(plan.hooks(), Hook.Type.Sync);
    List<Stage> stages = new ArrayList<>();
    for (Wave wave : plan.waves()) {
      boolean foundation = wave.steps().stream().anyMatch(s -> isFoundation(s.key()));
      if (foundation) {
        stages.add(new Stage(wave.name(), wave, List.of()));
        continue;
      }
      int number = wave.steps().get(0).wave();
      while (!byWave.isEmpty() && byWave.firstKey() < number) {
        var entry = byWave.pollFirstEntry();
        stages.add(new Stage("wave " + entry.getKey(), null, entry.getValue()));
      }
      List<SyncHook> same = byWave.remove(number);
      stages.add(new Stage(wave.name(), wave, same == null ? List.of() : same));
    }
    byWave.forEach((n, list) -> stages.add(new Stage("wave " + n, null, list)));
    return stages;
  }

  private static boolean isFoundation(ResourceKey key) {
    return KindOrder.isFoundation(key.group(), key.kind());
  }

  public SyncOutcome run(SyncPlan plan, Options options) {
    List<Step> refused = refused(plan);
    if (!refused.isEmpty()) {
      return refuse(plan, refused);
    }
    List<ResourceResult> results = new ArrayList<>();
    SyncOutcome outcome = runPhases(plan, options, results);
    if (outcome.phase() != Phase.Failed
        || HookRunner.byWave(plan.hooks(), Hook.Type.SyncFail).isEmpty()) {
      return outcome;
    }
    // a failed sync runs its SyncFail hooks (a terminated one does not: the user stopped it)
    HookRunner.PhaseOutcome syncFail = hooks.run(plan.hooks(), Hook.Type.SyncFail, options);
    List<ResourceResult> all = new ArrayList<>(outcome.resources());
    all.addAll(syncFail.results());
    String ran =
        syncFail.ok()
            ? "; SyncFail hooks ran"
            : "; SyncFail hooks: " + (syncFail.terminated() ? "terminated" : syncFail.failure());
    return new SyncOutcome(Phase.Failed, outcome.message() + ran, all);
  }

  /**
   * Runs the hooks of one phase outside a sync (PostDelete, when an Application is deleted),
   * deleting each as its policy says.
   */
  public SyncOutcome runHooks(List<SyncHook> all, Hook.Type phase, Options options) {
    HookRunner.PhaseOutcome ran = hooks.run(all, phase, options);
    long count = ran.results().size();
    return new SyncOutcome(
        ran.ok() ? Phase.Succeeded : ran.terminated() ? Phase.Terminated : Phase.Failed,
        ran.ok()
            ? count + (count == 1 ? " " + phase + " hook" : " " + phase + " hooks") + " succeeded"
            : ran.terminated() ? TERMINATED : ran.failure(),
        ran.results());
  }

  /** PreSync hooks, the Sync phase (waves and their hooks), prunes, PostSync hooks. */
  private SyncOutcome runPhases(SyncPlan plan, Options options, List<ResourceResult> results) {
    HookRunner.PhaseOutcome pre = hooks.run(plan.hooks(), Hook.Type.PreSync, options);
    results.addAll(pre.results());
    if (!pre.ok()) {
      String message = pre.terminated() ? "sync terminated by request" : pre.failure();
      skipRest(plan, List.of(), results, options, "not applied: " + message, true);
      return new SyncOutcome(pre.terminated() ? Phase.Terminated : Phase.Failed, message, results);
    }
    List<Stage> stages = stages(plan);
    boolean pruneSomething = plan.prune().stream().anyMatch(s -> s.action() == Action.PRUNE);
    boolean postSync = !HookRunner.byWave(plan.hooks(), Hook.Type.PostSync).isEmpty();
    for (int i = 0; i < stages.size(); i++) {
      Stage stage = stages.get(i);
      List<Stage> rest = stages.subList(i + 1, stages.size());
      if (options.cancelled().getAsBoolean()) {
        skipRest(plan, stages.subList(i, stages.size()), results, options, TERMINATED, false);
        return new SyncOutcome(Phase.Terminated, TERMINATED, results);
      }
      Wave wave = stage.wave();
      if (wave != null) {
        List<ResourceResult> done = applyWave(wave, options);
        results.addAll(done);
        if (options.progress() != null) {
          options.progress().accept(List.copyOf(results));
        }
        List<ResourceResult> failed =
            done.stream().filter(r -> "failed".equals(r.action())).toList();
        if (!failed.isEmpty()) {
          skipRest(plan, rest, results, options, "not applied: " + wave.name() + " failed", false);
          ResourceResult first = failed.get(0);
          return new SyncOutcome(
              Phase.Failed,
              "sync failed at "
                  + wave.name()
                  + ": "
                  + first.key()
                  + ": "
                  + first.message()
                  + (failed.size() > 1 ? " (and " + (failed.size() - 1) + " more failed)" : ""),
              withSkippedHooks(results, stage, options, "not run: " + wave.name() + " failed"));
        }
        if (done.stream().anyMatch(r -> "skipped".equals(r.action()))) {
          skipRest(plan, rest, results, options, TERMINATED, false);
          return new SyncOutcome(
              Phase.Terminated, TERMINATED, withSkippedHooks(results, stage, options, TERMINATED));
        }
        refreshDiscovery(wave);
      }
      if (!stage.hooks().isEmpty()) {
        HookRunner.PhaseOutcome ran = hooks.runWave(stage.hooks(), Hook.Type.Sync, options);
        results.addAll(ran.results());
        if (!ran.ok()) {
          String message = ran.terminated() ? TERMINATED : ran.failure();
          skipRest(plan, rest, results, options, "not applied: " + message, false);
          return new SyncOutcome(
              ran.terminated() ? Phase.Terminated : Phase.Failed, message, results);
        }
      }
      boolean laterWork = !rest.isEmpty() || (options.pruneLast() && pruneSomething) || postSync;
      if (wave != null && laterWork) {
        String unhealthy = awaitHealthy(wave, options);
        if (unhealthy != null) {
          String message =
              options.cancelled().getAsBoolean()
                  ? "sync terminated by request while waiting for " + wave.name() + ": " + unhealthy
                  : wave.name()
                      + " did not become healthy within "
                      + options.healthTimeout().toSeconds()
                      + "s: "
                      + unhealthy;
          skipRest(plan, rest, results, options, "not applied: " + message, false);
          return new SyncOutcome(
              options.cancelled().getAsBoolean() ? Phase.Terminated : Phase.Failed,
              message,
              results);
        }
      }
    }
    List<Step> prunes = plan.prune();
    for (int i = 0; i < prunes.size(); i++) {
      Step step = prunes.get(i);
      if (options.cancelled().getAsBoolean()) {
        skipPrunes(prunes.subList(i, prunes.size()), results, TERMINATED);
        skipHooks(plan, Hook.Type.PostSync, results, options, TERMINATED);
        return new SyncOutcome(Phase.Terminated, TERMINATED, results);
      }
      Step checked = guard.check(step, options);
      if (checked.action() == Action.PRUNE_SKIP) {
        results.add(new ResourceResult(step.key(), Action.PRUNE_SKIP.result(), checked.reason()));
        continue;
      }
      try {
        applier.prune(step);
        preview.forget(step.key());
        results.add(new ResourceResult(step.key(), Action.PRUNE.result(), null));
      } catch (Exception e) {
        results.add(new ResourceResult(step.key(), "failed", describe(e)));
        String why = "not pruned: " + step.key() + " failed";
        skipPrunes(prunes.subList(i + 1, prunes.size()), results, why);
        skipHooks(plan, Hook.Type.PostSync, results, options, why);
        return new SyncOutcome(
            Phase.Failed, "prune failed: " + step.key() + ": " + describe(e), results);
      }
    }
    HookRunner.PhaseOutcome post = hooks.run(plan.hooks(), Hook.Type.PostSync, options);
    results.addAll(post.results());
    if (!post.ok()) {
      return new SyncOutcome(
          post.terminated() ? Phase.Terminated : Phase.Failed,
          post.terminated() ? TERMINATED : post.failure(),
          results);
    }
    long changed =
        results.stream()
            .filter(
                r ->
                    !r.hook()
                        && !"unchanged".equals(r.action())
                        && !"prune-skipped".equals(r.action()))
            .count();
    long ran = results.stream().filter(ResourceResult::hook).count();
    return new SyncOutcome(
        Phase.Succeeded,
        (changed == 0 ? "nothing to change" : "successfully synced (" + changed + " changed)")
            + (ran == 0 ? "" : "; " + ran + (ran == 1 ? " hook" : " hooks") + " succeeded"),
        results);
  }

  private static final String TERMINATED = "sync terminated by request";

  /** The results with the Sync hooks of a stage whose wave failed, reported as not run. */
  private static List<ResourceResult> withSkippedHooks(
      List<ResourceResult> results, Stage stage, Options options, String why) {
    for (SyncHook h : stage.hooks()) {
      results.add(HookRunner.skipped(h, Hook.Type.Sync, options, why));
    }
    return results;
  }

  private static void skipHooks(
      SyncPlan plan, Hook.Type phase, List<ResourceResult> results, Options options, String why) {
    HookRunner.byWave(plan.hooks(), phase)
        .values()
        .forEach(
            list -> list.forEach(h -> results.add(HookRunner.skipped(h, phase, options, why))));
  }

  /** The plan as a dry run: each step as the server judged it, prunes as the guard would. */
  public SyncOutcome dryRun(SyncPlan plan, Options options) {
    List<ResourceResult> results = new ArrayList<>();
    for (Wave w : plan.waves()) {
      for (Step s : w.steps()) {
        boolean problem = s.reason() != null && s.action() != Action.NONE;
        results.add(
            new ResourceResult(
                s.key(),
                problem ? "failed" : s.action().result(),
                problem ? s.reason() : "dry run"));
      }
    }
    for (Step s : plan.prune()) {
      Step checked = guard.check(s, options);
      results.add(
          new ResourceResult(
              s.key(),
              checked.action().result(),
              checked.reason() == null ? "dry run" : "dry run: " + checked.reason()));
    }
    for (Hook.Type phase : List.of(Hook.Type.PreSync, Hook.Type.Sync, Hook.Type.PostSync)) {
      HookRunner.byWave(plan.hooks(), phase)
          .forEach(
              (wave, list) -> {
                for (SyncHook h : list) {
                  ResourceResult would =
                      HookRunner.skipped(h, phase, options, "dry run: would run as " + phase);
                  results.add(
                      new ResourceResult(would.key(), "hook", would.message(), phase.name(), null));
                }
              });
    }
    List<Step> refused = refused(plan);
    if (!refused.isEmpty()) {
      return new SyncOutcome(
          Phase.Failed,
          "dry run: "
              + refused.size()
              + " object(s) would be refused, nothing would be written: "
              + refused.get(0).key()
              + ": "
              + refused.get(0).reason(),
          results);
    }
    return new SyncOutcome(Phase.Succeeded, "dry run: nothing was written", results);
  }

  private static List<Step> refused(SyncPlan plan) {
    List<Step> refused = new ArrayList<>();
    for (Wave w : plan.waves()) {
      for (Step s : w.steps()) {
        if (s.reason() != null && s.action() != Action.NONE) {
          refused.add(s);
        }
      }
    }
    return refused;
  }

  private static SyncOutcome refuse(SyncPlan plan, List<Step> refused) {
    List<ResourceResult> results = new ArrayList<>();
    String why = "not applied: " + refused.size() + " object(s) of this sync are refused";
    for (Wave w : plan.waves()) {
      for (Step s : w.steps()) {
        if (refused.contains(s)) {
          results.add(new ResourceResult(s.key(), "failed", s.reason()));
        } else {
          results.add(
              new ResourceResult(
                  s.key(), s.action() == Action.NONE ? "unchanged" : "skipped", why));
        }
      }
    }
    for (Step s : plan.prune()) {
      results.add(new ResourceResult(s.key(), "skipped", why));
    }
    for (SyncHook h : plan.hooks()) {
      results.add(new ResourceResult(ResourceKey.of(h.desired()), "skipped", why, null, null));
    }
    Step first = refused.get(0);
    return new SyncOutcome(
        Phase.Failed,
        refused.size()
            + " object(s) refused, nothing was written: "
            + first.key()
            + ": "
            + first.reason()
            + (refused.size() > 1 ? " (and " + (refused.size() - 1) + " more)" : ""),
        results);
  }

  /**
   * The writes of one wave: kind by kind in Helm's/Argo CD's order (a ServiceAccount exists before
   * the Pod that names it), the objects of one kind a few at a time in parallel; results in plan
   * order.
   */
  private List<ResourceResult> applyWave(Wave wave, Options options) {
    List<ResourceResult> results = new ArrayList<>();
    List<Step> steps = wave.steps();
    int from = 0;
    while (from < steps.size()) {
      int rank = KindOrder.rank(steps.get(from).key().kind());
      int to = from;
      while (to < steps.size() && KindOrder.rank(steps.get(to).key().kind()) == rank) {
        to++;
      }
      List<CompletableFuture<ResourceResult>> futures = new ArrayList<>();
      for (Step step : steps.subList(from, to)) {
        futures.add(
            step.action() == Action.NONE
                ? CompletableFuture.completedFuture(
                    new ResourceResult(step.key(), Action.NONE.result(), null))
                : CompletableFuture.supplyAsync(() -> applyOne(step, options), writes));
      }
      List<ResourceResult> done = futures.stream().map(CompletableFuture::join).toList();
      results.addAll(done);
      if (done.stream()
          .anyMatch(r -> "failed".equals(r.action()) || "skipped".equals(r.action()))) {
        for (Step step : steps.subList(to, steps.size())) {
          results.add(
              new ResourceResult(
                  step.key(),
                  step.action() == Action.NONE ? "unchanged" : "skipped",
                  "not applied: an earlier kind of " + wave.name() + " failed"));
        }
        return results;
      }
      from = to;
    }
    return results;
  }

  private ResourceResult applyOne(Step step, Options options) {
    if (options.cancelled().getAsBoolean()) {
      return new ResourceResult(step.key(), "skipped", "sync terminated by request");
    }
    boolean ssa = Comparer.serverSide(step.options());
    try {
      Applier.Applied done = applier.write(step, ssa, false);
      preview.written(step, ssa, done.result());
      return new ResourceResult(step.key(), done.action().result(), done.message());
    } catch (Exception e) {
      return new ResourceResult(step.key(), "failed", describe(e));
    }
  }

  /** Kinds of CRDs applied in this wave are served now: discovery must look again. */
  private void refreshDiscovery(Wave wave) {
    for (Step step : wave.steps()) {
      if (!"CustomResourceDefinition".equals(step.key().kind())) {
        continue;
      }
      String group = step.desired().path("spec").path("group").asText();
      for (JsonNode v : step.desired().path("spec").path("versions")) {
        kinds.forget(group + "/" + v.path("name").asText());
      }
    }
  }

  private static void skipPrunes(List<Step> prunes, List<ResourceResult> results, String why) {
    for (Step s : prunes) {
      results.add(
          s.action() == Action.PRUNE
              ? new ResourceResult(s.key(), "skipped", why)
              : new ResourceResult(s.key(), Action.PRUNE_SKIP.result(), s.reason()));
    }
  }

  /**
   * Reports what a stopped sync did not do: the stages left (all waves when {@code allWaves}), the
   * prunes and the PostSync hooks.
   */
  private void skipRest(
      SyncPlan plan,
      List<Stage> rest,
      List<ResourceResult> results,
      Options options,
      String why,
      boolean allWaves) {
    List<Stage> stages = allWaves ? stages(plan) : rest;
    for (Stage stage : stages) {
      if (stage.wave() != null) {
        for (Step s : stage.wave().steps()) {
          results.add(
              new ResourceResult(
                  s.key(), s.action() == Action.NONE ? "unchanged" : "skipped", why));
        }
      }
      for (SyncHook h : stage.hooks()) {
        results.add(HookRunner.skipped(h, Hook.Type.Sync, options, why));
      }
    }
    skipHooks(plan, Hook.Type.PostSync, results, options, why);
    for (Step s : plan.prune()) {
      if (s.action() == Action.PRUNE) {
        results.add(new ResourceResult(s.key(), "skipped", why));
      } else {
        results.add(new ResourceResult(s.key(), Action.PRUNE_SKIP.result(), s.reason()));
      }
    }
  }

  /** Null when every object of the wave is healthy; otherwise names the first one that is not. */
  private String awaitHealthy(Wave wave, Options options) {
    long deadline = System.nanoTime() + options.healthTimeout().toNanos();
    while (true) {
      String unhealthy = null;
      for (Step step : wave.steps()) {
        Health h;
        try {
          h = health.assess(cache.get(step.type(), step.key().namespace(), step.key().name()));
        } catch (dev.mooring.cluster.KindUnavailableException e) {
          h = new Health(HealthStatus.Unknown, e.getMessage());
        }
        if (h.status() != HealthStatus.Healthy) {
          unhealthy =
              step.key()
                  + " is "
                  + h.status()
                  + (h.message() == null || h.message().isEmpty() ? "" : ": " + h.message());
          if (h.status() == HealthStatus.Degraded) {
            return unhealthy;
          }
          break;
        }
      }
      if (unhealthy == null) {
        return null;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || options.cancelled().getAsBoolean()) {
        return unhealthy;
      }
      try {
        cache.awaitChange(Math.min(Duration.ofNanos(left).toMillis() + 1, 1000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return unhealthy;
      }
    }
  }

  static String describe(Exception e) {
    String m = e.getMessage();
    if (e instanceof io.fabric8.kubernetes.client.KubernetesClientException k
        && k.getStatus() != null
        && k.getStatus().getMessage() != null) {
      m = k.getStatus().getMessage();
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
