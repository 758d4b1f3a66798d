package dev.mooring.controller;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes an Application's status as a JSON patch against the latest object (so removed fields are
 * really removed), and removes finished operations. Remembers what it wrote until the informer
 * cache has caught up.
 */
@ApplicationScoped
public class StatusWriter {
  private final KubernetesClient client;
  private final LatestWrites<Application> written = new LatestWrites<>();

  public StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The newer of the cached Application and the one this controller last wrote, so that a reconcile
   * right after a write never works from a stale status or a removed operation.
   */
  public Application latest(Application cached) {
    return written.latest(cached);
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
    written.remember(before, after);
  }
}
