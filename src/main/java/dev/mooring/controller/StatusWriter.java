package dev.mooring.controller;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes an Application's status as a JSON patch against the latest object (so removed fields are
 * really removed), and removes finished operations. Remembers what it wrote until the informer
 * cache has caught up.
 */
@ApplicationScoped
public class StatusWriter {
  private final KubernetesClient client;
  private final Map<String, Written> written = new ConcurrentHashMap<>();

  /**
   * The object this controller wrote last, and the resourceVersions it replaced. resourceVersions
   * are opaque (not ordered), so staleness is recognised by equality with a replaced version.
   */
  private record Written(Application latest, Set<String> superseded) {}

  public StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The newer of the cached Application and the one this controller last wrote, so that a reconcile
   * right after a write never works from a stale status or a removed operation.
   */
  public Application latest(Application cached) {
    String key = key(cached);
    Written mine = written.get(key);
    if (mine == null) {
      return cached;
    }
    if (mine.superseded().contains(cached.getMetadata().getResourceVersion())) {
      return mine.latest();
    }
    written.remove(key, mine);
    return cached;
  }

  public void write(Application app, ApplicationStatus status) {
    remember(
        app,
        client
            .resources(Application.class)
            .inNamespace(app.getMetadata().getNamespace())
            .withName(app.getMetadata().getName())
            .editStatus(
                latest -> {
                  latest.setStatus(status);
                  return latest;
                }));
  }

  /** The controller ran the operation: remove the request. */
  public void removeOperation(Application app) {
    try {
      remember(
          app,
          client
              .resources(Application.class)
              .inNamespace(app.getMetadata().getNamespace())
              .withName(app.getMetadata().getName())
              .patch(
                  PatchContext.of(PatchType.JSON),
                  "[{\"op\":\"remove\",\"path\":\"/operation\"}]"));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 422 && e.getCode() != 404) {
        throw e;
      }
      // already removed (by the API's terminate, or kubectl): nothing left to do
    }
  }

  private void remember(Application before, Application after) {
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
          superseded.remove(after.getMetadata().getResourceVersion());
          return new Written(after, superseded);
        });
  }

  private static String key(Application app) {
    return app.getMetadata().getNamespace() + "/" + app.getMetadata().getName();
  }
}
