package dev.mooring.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.function.BooleanSupplier;

/**
 * Executes a {@link SyncPlan}: wave by wave, waiting (on watch events, with a timeout) for a wave's
 * objects to be healthy before the next wave, then pruning in reverse order. The first failed write
 * stops the sync; nothing after it is applied.
 */
public class SyncRunner {
  private final Applier applier;
  private final LiveCache cache;
  private final HealthAssessor health;

  /** Options of one run. */
  public record Options(
      boolean serverSideApply,
      boolean pruneLast,
      Duration healthTimeout,
      BooleanSupplier cancelled) {}

  public SyncRunner(Applier applier, LiveCache cache, HealthAssessor health) {
    this.applier = applier;
    this.cache = cache;
    this.health = health;
  }

  public SyncOutcome run(SyncPlan plan, Options options) {
    List<ResourceResult> results = new ArrayList<>();
    List<Wave> waves = plan.waves();
    boolean pruneSomething = plan.prune().stream().anyMatch(s -> s.action() == Action.PRUNE);
    for (int i = 0; i < waves.size(); i++) {
      Wave wave = waves.get(i);
      for (Step step : wave.steps()) {
        if (options.cancelled().getAsBoolean()) {
          return new SyncOutcome(Phase.Terminated, "sync terminated by request", results);
        }
        boolean ssa = options.serverSideApply() || step.options().isTrue("ServerSideApply");
        if (step.options().isFalse("ServerSideApply")) {
          ssa = false;
        }
        try {
          Action done = step.action() == Action.NONE ? Action.NONE : applier.apply(step, ssa);
          results.add(new ResourceResult(step.key(), done.result(), null));
        } catch (Exception e) {
          String message = step.key() + ": " + describe(e);
          results.add(new ResourceResult(step.key(), "failed", describe(e)));
          return new SyncOutcome(
              Phase.Failed, "sync failed at " + wave.name() + ": " + message, results);
        }
      }
      boolean laterWork = i < waves.size() - 1 || (options.pruneLast() && pruneSomething);
      if (laterWork) {
        String unhealthy = awaitHealthy(wave, options);
        if (unhealthy != null && options.cancelled().getAsBoolean()) {
          return new SyncOutcome(
              Phase.Terminated,
              "sync terminated by request while waiting for " + wave.name() + ": " + unhealthy,
              results);
        }
        if (unhealthy != null) {
          return new SyncOutcome(
              Phase.Failed,
              wave.name()
                  + " did not become healthy within "
                  + options.healthTimeout().toSeconds()
                  + "s: "
                  + unhealthy,
              results);
        }
      }
    }
    for (Step step : plan.prune()) {
      if (step.action() == Action.PRUNE_SKIP) {
        results.add(new ResourceResult(step.key(), Action.PRUNE_SKIP.result(), step.reason()));
        continue;
      }
      try {
        applier.prune(step);
        results.add(new ResourceResult(step.key(), Action.PRUNE.result(), null));
      } catch (Exception e) {
        results.add(new ResourceResult(step.key(), "failed", describe(e)));
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

  /** Null when every object of the wave is healthy; otherwise names the first one that is not. */
  private String awaitHealthy(Wave wave, Options options) {
    long deadline = System.nanoTime() + options.healthTimeout().toNanos();
    while (true) {
      String unhealthy = null;
      for (Step step : wave.steps()) {
        ObjectNode live = cache.get(step.type(), step.key().namespace(), step.key().name());
        Health h = health.assess(live);
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
