package dev.mooring.controller;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes an Application's status as a JSON patch against the latest object (so removed fields are
 * really removed), and removes finished operations. Remembers what it wrote until the informer
 * cache has caught up.
 */
@ApplicationScoped
public class StatusWriter {
  private final KubernetesClient client;
  private final Map<String, Application> written = new ConcurrentHashMap<>();

  public StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The newer of the cached Application and the one this controller last wrote, so that a reconcile
   * right after a write never works from a stale status or a removed operation.
   */
  public Application latest(Application cached) {
    String key = key(cached);
    Application mine = written.get(key);
    if (mine == null) {
      return cached;
    }
    if (version(cached) >= version(mine)) {
      written.remove(key, mine);
      return cached;
    }
    return mine;
  }

  public void write(Application app, ApplicationStatus status) {
    remember(
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
    remember(
        client
            .resources(Application.class)
            .inNamespace(app.getMetadata().getNamespace())
            .withName(app.getMetadata().getName())
            .patch(
                PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":\"/operation\"}]"));
  }

  private void remember(Application app) {
    if (app != null) {
      written.put(key(app), app);
    }
  }

  private static String key(Application app) {
    return app.getMetadata().getNamespace() + "/" + app.getMetadata().getName();
  }

  private static long version(Application app) {
    try {
      return Long.parseLong(app.getMetadata().getResourceVersion());
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
