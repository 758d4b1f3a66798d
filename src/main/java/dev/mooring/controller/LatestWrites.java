package dev.mooring.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The objects a controller wrote last, until its informer cache has caught up: a reconcile right
 * after a write then works from what was written, never from the stale cached copy.
 * resourceVersions are opaque (not ordered), so staleness is recognised by equality with a version
 * the write replaced.
 */
public final class LatestWrites<T extends HasMetadata> {
  private final Map<String, Written<T>> written = new ConcurrentHashMap<>();

  private record Written<T>(T latest, Set<String> superseded) {}

  /** The newer of the cached object and the one last written. */
  public T latest(T cached) {
    String key = key(cached);
    Written<T> mine = written.get(key);
    if (mine == null) {
      return cached;
    }
    if (mine.superseded().contains(cached.getMetadata().getResourceVersion())) {
      return mine.latest();
    }
    written.remove(key, mine);
    return cached;
  }

  /** Records a write: {@code after} (the server's answer) replaced {@code before}. */
  public void remember(T before, T after) {
    remember(before, after, null);
  }

  /**
   * Records a write that was made on top of {@code alsoReplaced}, a version read just before
   * writing (a read-modify-write may see a newer version than the one the reconcile started from).
   */
  public void remember(T before, T after, String alsoReplaced) {
    if (after == null) {
      return;
    }
    written.compute(
        key(after),
        (k, previous) -> {
          Set<String> superseded = new HashSet<>();
          if (previous != null) {
            superseded.addAll(previous.superseded());
            superseded.add(previous.latest().getMetadata().getResourceVersion());
          }
          superseded.add(before.getMetadata().getResourceVersion());
          if (alsoReplaced != null) {
            superseded.add(alsoReplaced);
          }
          superseded.remove(after.getMetadata().getResourceVersion());
          return new Written<>(after, superseded);
        });
  }

  /** Forgets a deleted object. */
  public void forget(String namespace, String name) {
    written.remove(namespace + "/" + name);
  }

  private static String key(HasMetadata object) {
    return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }
}
