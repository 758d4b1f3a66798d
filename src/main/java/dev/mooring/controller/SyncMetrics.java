package dev.mooring.controller;

import dev.mooring.sync.SyncOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** Micrometer meters of the sync loop. */
@ApplicationScoped
public class SyncMetrics {
  private final MeterRegistry registry;

  public SyncMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A finished sync: counted by result, timed, and its objects counted by action. */
  public void synced(SyncOutcome outcome, Duration took, boolean automated) {
    Timer.builder("mooring.sync")
        .description("Sync operations by result")
        .tag("result", outcome.phase().name())
        .tag("trigger", automated ? "automated" : "manual")
        .register(registry)
        .record(took);
    for (String action : new String[] {"created", "configured", "pruned", "failed"}) {
      long n = outcome.count(action);
      if (n > 0) {
        registry.counter("mooring.objects", "action", action).increment(n);
      }
    }
  }

  public void driftCorrected() {
    registry.counter("mooring.drift.corrections").increment();
  }

  public void comparisonError(String reason) {
    registry.counter("mooring.comparison.errors", "reason", reason).increment();
  }
}
