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
      Set<String> confirmedPrunes) {}

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
  }

  public SyncOutcome run(SyncPlan plan, Options options) {
    List<ResourceResult> results = new ArrayList<>();
    List<Step> refused = refused(plan);
    if (!refused.isEmpty()) {
      return refuse(plan, refused);
    }
    List<Wave> waves = plan.waves();
    boolean pruneSomething = plan.prune().stream().anyMatch(s -> s.action() == Action.PRUNE);
    for (int i = 0; i < waves.size(); i++) {
      Wave wave = waves.get(i);
      if (options.cancelled().getAsBoolean()) {
        skipRest(plan, i, results, "sync terminated by request");
        return new SyncOutcome(Phase.Terminated, "sync terminated by request", results);
      }
      List<ResourceResult> done = applyWave(wave, options);
      results.addAll(done);
      List<ResourceResult> failed = done.stream().filter(r -> "failed".equals(r.action())).toList();
      if (!failed.isEmpty()) {
        skipRest(plan, i + 1, results, "not applied: " + wave.name() + " failed");
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
            results);
      }
      if (done.stream().anyMatch(r -> "skipped".equals(r.action()))) {
        skipRest(plan, i + 1, results, "sync terminated by request");
        return new SyncOutcome(Phase.Terminated, "sync terminated by request", results);
      }
      refreshDiscovery(wave);
      boolean laterWork = i < waves.size() - 1 || (options.pruneLast() && pruneSomething);
      if (laterWork) {
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
          skipRest(plan, i + 1, results, "not applied: " + message);
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
        skipPrunes(prunes.subList(i, prunes.size()), results, "sync terminated by request");
        return new SyncOutcome(Phase.Terminated, "sync terminated by request", results);
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
        skipPrunes(
            prunes.subList(i + 1, prunes.size()), results, "not pruned: " + step.key() + " failed");
        return new SyncOutcome(
            Phase.Failed, "prune failed: " + step.key() + ": " + describe(e), results);
      }
    }
    long changed =
        results.stream()
            .filter(r -> !"unchanged".equals(r.action()) && !"prune-skipped".equals(r.action()))
            .count();
    return new SyncOutcome(
        Phase.Succeeded,
        changed == 0 ? "nothing to change" : "successfully synced (" + changed + " changed)",
        results);
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

  private void skipRest(SyncPlan plan, int fromWave, List<ResourceResult> results, String why) {
    for (int i = fromWave; i < plan.waves().size(); i++) {
      for (Step s : plan.waves().get(i).steps()) {
        results.add(
            new ResourceResult(s.key(), s.action() == Action.NONE ? "unchanged" : "skipped", why));
      }
    }
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
