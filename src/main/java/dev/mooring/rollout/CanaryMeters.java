package dev.mooring.rollout;

import dev.mooring.canary.CheckResult;
import dev.mooring.canary.Phase;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Micrometer meters of canary analysis: per Canary, a gauge per phase (1 for the current one), the
 * primary and canary weights, and the last value of each metric (NaN without data); for all,
 * counters of checks by result and timers of ticks and of the delay between a tick's schedule and
 * its run.
 */
public final class CanaryMeters {
  private final MeterRegistry registry;
  private final Map<String, Values> byCanary = new ConcurrentHashMap<>();
  private volatile java.util.function.IntSupplier busy = () -> 0;

  /** The numbers the gauges of one Canary read. */
  private static final class Values {
    final AtomicReference<Phase> phase = new AtomicReference<>();
    volatile double canaryWeight;
    final Map<String, AtomicReference<Double>> metrics = new ConcurrentHashMap<>();
    final List<Meter.Id> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
  }

  public CanaryMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Records a tick's outcome. */
  public void record(
      String namespace, String name, Phase phase, int weight, List<CheckResult> checks) {
    String key = namespace + "/" + name;
    Values values = byCanary.computeIfAbsent(key, k -> register(namespace, name));
    values.phase.set(phase);
    values.canaryWeight = weight;
    for (CheckResult check : checks) {
      values
          .metrics
          .computeIfAbsent(
              check.metric(),
              metric -> {
                AtomicReference<Double> ref = new AtomicReference<>(Double.NaN);
                values.ids.add(
                    Gauge.builder("mooring.canary.metric.value", ref, r -> r.get())
                        .description("Last value of a canary analysis metric (NaN without data)")
                        .tags(tags(namespace, name).and("metric", metric))
                        .register(registry)
                        .getId());
                return ref;
              })
          .set(check.hasData() ? check.value() : Double.NaN);
      registry
          .counter(
              "mooring.canary.checks",
              tags(namespace, name).and("result", check.holds() ? "passed" : "failed"))
          .increment();
    }
  }

  /**
   * Times one tick, how late it started against its schedule, and the CPU time its thread used
   * (negative when the JVM cannot tell).
   */
  public void tick(Duration took, Duration late, long cpuNanos) {
    if (cpuNanos >= 0) {
      registry.timer("mooring.canary.tick.cpu").record(cpuNanos, TimeUnit.NANOSECONDS);
    }
    registry.timer("mooring.canary.tick").record(took.toNanos(), TimeUnit.NANOSECONDS);
    registry
        .timer("mooring.canary.tick.delay")
        .record(Math.max(0, late.toNanos()), TimeUnit.NANOSECONDS);
  }

  /** A gauge of the analysis ticks running or waiting for a thread of the analysis pool. */
  public void busy(java.util.function.IntSupplier busy) {
    this.busy = busy; // held here: a gauge keeps only a weak reference to what it reads
    Gauge.builder("mooring.canary.analysis.busy", this, m -> m.busy.getAsInt())
        .description("Canary analysis ticks running or waiting for a thread")
        .register(registry);
  }

  /** Removes the gauges of a deleted Canary. */
  public void forget(String namespace, String name) {
    Values values = byCanary.remove(namespace + "/" + name);
    if (values != null) {
      values.ids.forEach(registry::remove);
    }
    registry
        .find("mooring.canary.checks")
        .tags(tags(namespace, name))
        .meters()
        .forEach(registry::remove);
  }

  private Values register(String namespace, String name) {
    Values values = new Values();
    for (Phase phase : Phase.values()) {
      values.ids.add(
          Gauge.builder("mooring.canary.phase", values, v -> v.phase.get() == phase ? 1 : 0)
              .description("1 for the Canary's current phase, 0 for the others")
              .tags(tags(namespace, name).and("phase", phase.name()))
              .register(registry)
              .getId());
    }
    values.ids.add(
        Gauge.builder("mooring.canary.weight", values, v -> v.canaryWeight)
            .description("Percent of traffic routed to the canary or the primary")
            .tags(tags(namespace, name).and("workload", "canary"))
            .register(registry)
            .getId());
    values.ids.add(
        Gauge.builder("mooring.canary.weight", values, v -> 100 - v.canaryWeight)
            .description("Percent of traffic routed to the canary or the primary")
            .tags(tags(namespace, name).and("workload", "primary"))
            .register(registry)
            .getId());
    return values;
  }

  private static Tags tags(String namespace, String name) {
    return Tags.of("namespace", namespace, "name", name);
  }
}
