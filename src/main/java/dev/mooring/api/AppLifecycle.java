package dev.mooring.api;

import dev.mooring.controller.OperationRunner;
import dev.mooring.controller.SourceTracker;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Forgets a deleted Application everywhere Mooring keeps in-memory state about it: its Git poll
 * registration (interval, credentials) and its self-heal and terminate bookkeeping, and its last
 * comparison.
 */
@ApplicationScoped
public class AppLifecycle {
  void start(
      @Observes StartupEvent event,
      AppIndex index,
      SourceTracker tracker,
      OperationRunner operations,
      dev.mooring.sync.Comparer comparer) {
    index.onChange(
        (before, after) -> {
          if (after == null && before != null) {
            String key = before.getMetadata().getNamespace() + "/" + before.getMetadata().getName();
            tracker.unregister(key);
            operations.forget(key);
            comparer.forget(before.getMetadata().getNamespace(), before.getMetadata().getName());
          }
        });
  }
}
