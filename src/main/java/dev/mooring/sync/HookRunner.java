package dev.mooring.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.cluster.KindUnavailableException;
import dev.mooring.cluster.LiveCache;
import dev.mooring.health.HealthAssessor;
import dev.mooring.sync.SyncOutcome.ResourceResult;
import dev.mooring.sync.SyncPlan.Action;
import dev.mooring.sync.SyncPlan.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the hooks of one sync phase, wave by wave: a wave's hooks are created together (an existing
 * one of the same name is deleted first under {@code BeforeHookCreation}, else applied over), then
 * waited for until each has finished ({@link HookProgress}); then each is deleted as its policy
 * says. The first wave with a failed hook ends the phase; its later waves are not run.
 */
final class HookRunner {
  private final Applier applier;
  private final LiveCache cache;
  private final HealthAssessor health;

  /**
   * What a phase did: one result per hook it was to run, and why it failed (null when it did not).
   */
  record PhaseOutcome(List<ResourceResult> results, String failure, boolean terminated) {
    boolean ok() {
      return failure == null && !terminated;
    }
  }

  HookRunner(Applier applier, LiveCache cache, HealthAssessor health) {
    this.applier = applier;
    this.cache = cache;
    this.health = health;
  }

  /** The hooks of a phase, by wave, each wave in apply order (kind, then name). */
  static TreeMap<Integer, List<SyncHook>> byWave(List<SyncHook> hooks, Hook.Type phase) {
    TreeMap<Integer, List<SyncHook>> waves = new TreeMap<>();
    for (SyncHook h : hooks) {
      if (h.hook().runsIn(phase)) {
        waves.computeIfAbsent(h.hook().wave(), w -> new ArrayList<>()).add(h);
      }
    }
    Comparator<SyncHook> order =
        Comparator.comparingInt((SyncHook h) -> KindOrder.rank(h.desired().path("kind").asText()))
            .thenComparing(SyncHook::shownName);
    waves.values().forEach(list -> list.sort(order));
    return waves;
  }

  /** Runs every wave of a phase. */
  PhaseOutcome run(List<SyncHook> hooks, Hook.Type phase, SyncRunner.Options options) {
    List<ResourceResult> results = new ArrayList<>();
    TreeMap<Integer, List<SyncHook>> waves = byWave(hooks, phase);
    for (Map.Entry<Integer, List<SyncHook>> wave : waves.entrySet()) {
      PhaseOutcome done = runWave(wave.getValue(), phase, options);
      results.addAll(done.results());
      if (!done.ok()) {
        String why =
            done.terminated() ? "sync terminated by request" : "not run: " + done.failure();
        for (List<SyncHook> later : waves.tailMap(wave.getKey(), false).values()) {
          for (SyncHook h : later) {
            results.add(skipped(h, phase, options, why));
          }
        }
        return new PhaseOutcome(results, done.failure(), done.terminated());
      }
    }
    return new PhaseOutcome(results, null, false);
  }

  /** The hooks of one wave: all created, all waited for. */
  PhaseOutcome runWave(List<SyncHook> wave, Hook.Type phase, SyncRunner.Options options) {
    List<ResourceResult> results = new ArrayList<>();
    List<Started> started = new ArrayList<>();
    String failure = null;
    for (SyncHook h : wave) {
      if (options.cancelled().getAsBoolean()) {
        results.add(skipped(h, phase, options, "sync terminated by request"));
        continue;
      }
      if (failure != null) {
        results.add(skipped(h, phase, options, "not created: " + failure));
        continue;
      }
      ObjectNode object =
          h.instance(
              phase,
              options.revision(),
              options.startedAt(),
              options.appNamespace(),
              options.appName());
      ResourceKey key = ResourceKey.of(object);
      try {
        started.add(new Started(h, key, create(h, key, object, options)));
      } catch (Exception e) {
        String message = SyncRunner.describe(e);
        results.add(result(key, "failed", message, phase, HookProgress.State.Failed));
        failure = phase + " hook " + key + " could not be created: " + message;
      }
    }
    Map<Started, HookProgress> finished = await(started, options);
    boolean terminated = false;
    for (Started s : started) {
      HookProgress p = finished.get(s);
      if (p == null || !p.finished()) {
        // the wait ended first (time out, or termination): the hook is left running
        boolean cancelled = options.cancelled().getAsBoolean();
        terminated |= cancelled;
        String message =
            cancelled
                ? "sync terminated by request while the hook ran"
                : "did not finish within "
                    + options.hookTimeout().toSeconds()
                    + "s"
                    + (p == null ? "" : " (" + p.message() + ")");
        results.add(result(s.key(), s.action(), message, phase, HookProgress.State.Running));
        if (!cancelled && failure == null) {
          failure = phase + " hook " + s.key() + " " + message;
        }
        continue;
      }
      boolean succeeded = p.state() == HookProgress.State.Succeeded;
      String message = p.message();
      if (succeeded && s.hook().hook().deletedWhen(Hook.DeletePolicy.HookSucceeded)
          || !succeeded && s.hook().hook().deletedWhen(Hook.DeletePolicy.HookFailed)) {
        message = join(message, delete(s));
      }
      results.add(result(s.key(), s.action(), message, phase, p.state()));
      if (!succeeded && failure == null) {
        failure = phase + " hook " + s.key() + " failed: " + p.message();
      }
    }
    return new PhaseOutcome(results, failure, terminated && failure == null);
  }

  /** One hook created (or applied over its earlier self). */
  private record Started(SyncHook hook, ResourceKey key, String action) {}

  private String create(SyncHook h, ResourceKey key, ObjectNode object, SyncRunner.Options options)
      throws Exception {
    ObjectNode live = cache.get(h.type(), key.namespace(), key.name());
    if (live != null) {
      if (Tracking.annotation(live, Tracking.TRACKING_ID) == null) {
        throw new IllegalStateException(
            "an object of that name exists and is not Mooring's; rename the hook or delete it");
      }
      if (h.hook().deletedWhen(Hook.DeletePolicy.BeforeHookCreation)
          || live.path("metadata").has("deletionTimestamp")) {
        Step earlier = step(Action.PRUNE, key, h, null, live);
        if (!live.path("metadata").has("deletionTimestamp")) {
          applier.prune(earlier);
        }
        // the server's word, not the cache's: a foreground deletion leaves the object a while
        live = applier.awaitDeleted(earlier, options.hookTimeout().toMillis());
      }
    }
    Applier.Applied done =
        applier.write(
            step(live == null ? Action.CREATE : Action.UPDATE, key, h, object, live),
            Comparer.serverSide(h.options()),
            false);
    return done.action().result();
  }

  private static Step step(
      Action action, ResourceKey key, SyncHook h, ObjectNode desired, ObjectNode live) {
    return new Step(action, key, h.type(), desired, live, h.hook().wave(), h.options(), null);
  }

  /** Waits (on watch events) until every started hook has finished, or time is up. */
  private Map<Started, HookProgress> await(List<Started> started, SyncRunner.Options options) {
    Map<Started, HookProgress> progress = new java.util.LinkedHashMap<>();
    long deadline = System.nanoTime() + options.hookTimeout().toNanos();
    while (true) {
      boolean all = true;
      for (Started s : started) {
        HookProgress p = progress.get(s);
        if (p != null && p.finished()) {
          continue;
        }
        ObjectNode live;
        try {
          live = cache.get(s.hook().type(), s.key().namespace(), s.key().name());
        } catch (KindUnavailableException e) {
          live = null;
        }
        p = HookProgress.of(live, live == null ? null : health.assess(live));
        progress.put(s, p);
        all &= p.finished();
      }
      long left = deadline - System.nanoTime();
      if (all || left <= 0 || options.cancelled().getAsBoolean()) {
        return progress;
      }
      try {
        cache.awaitChange(Math.min(Duration.ofNanos(left).toMillis() + 1, 1000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return progress;
      }
    }
  }

  /** Deletes a finished hook as its policy says; the message says when that failed. */
  private String delete(Started s) {
    try {
      ObjectNode live = cache.get(s.hook().type(), s.key().namespace(), s.key().name());
      if (live != null) {
        applier.prune(step(Action.PRUNE, s.key(), s.hook(), null, live));
      }
      return "deleted (" + policyOf(s) + ")";
    } catch (Exception e) {
      return "could not be deleted: " + SyncRunner.describe(e);
    }
  }

  private static String policyOf(Started s) {
    return s.hook().hook().deletePolicies().stream()
        .filter(p -> p != Hook.DeletePolicy.BeforeHookCreation)
        .map(Enum::name)
        .sorted()
        .reduce((a, b) -> a + "," + b)
        .orElse("");
  }

  static ResourceResult skipped(
      SyncHook h, Hook.Type phase, SyncRunner.Options options, String why) {
    ResourceKey key =
        ResourceKey.of(
            h.instance(
                phase,
                options.revision(),
                options.startedAt(),
                options.appNamespace(),
                options.appName()));
    return new ResourceResult(key, "skipped", why, phase.name(), null);
  }

  private static ResourceResult result(
      ResourceKey key, String action, String message, Hook.Type phase, HookProgress.State state) {
    return new ResourceResult(
        key,
        action,
        message == null || message.isEmpty() ? null : message,
        phase.name(),
        state.name());
  }

  private static String join(String a, String b) {
    return a == null || a.isEmpty() ? b : a + "; " + b;
  }
}
