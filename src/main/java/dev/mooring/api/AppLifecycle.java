package dev.mooring.api;

import dev.mooring.controller.OperationRunner;
import dev.mooring.controller.SourceTracker;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Forgets a deleted Application everywhere Mooring keeps in-memory state about it: its Git poll
 * registration (interval, credentials) and its self-heal and terminate bookkeeping, and its last
 * comparison; and hands a deleted app that waits for its PostDelete hooks to {@link
 * dev.mooring.controller.PostDeleteHooks}.
 */
@ApplicationScoped
public class AppLifecycle {
  private volatile AppIndex index;
  private volatile dev.mooring.controller.PostDeleteHooks postDelete;

  /**
   * Deleted apps that still wait for their PostDelete hooks: after a restart or a change of leader,
   * or when removing the finalizer did not land.
   */
  @io.quarkus.scheduler.Scheduled(every = "10s", delayed = "10s")
  void rescan() {
    AppIndex i = index;
    if (i != null && postDelete != null) {
      i.forEach(postDelete::consider);
    }
  }

  void start(
      @Observes StartupEvent event,
      AppIndex index,
      SourceTracker tracker,
      OperationRunner operations,
      dev.mooring.sync.Comparer comparer,
      dev.mooring.controller.PostDeleteHooks postDelete) {
    this.index = index;
    this.postDelete = postDelete;
    index.onChange(
        (before, after) -> {
          postDelete.consider(after);
          if (after == null && before != null) {
            String key = before.getMetadata().getNamespace() + "/" + before.getMetadata().getName();
            tracker.unregister(key);
            operations.forget(key);
            comparer.forget(before.getMetadata().getNamespace(), before.getMetadata().getName());
          }
        });
  }
}
