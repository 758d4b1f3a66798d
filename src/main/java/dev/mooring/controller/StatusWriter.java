package dev.mooring.controller;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes an Application's status as a JSON patch against the latest object (so removed fields are
 * really removed), and removes finished operations.
 */
@ApplicationScoped
public class StatusWriter {
  private final KubernetesClient client;

  public StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  public void write(Application app, ApplicationStatus status) {
    client.resources(Application.class)
        .inNamespace(app.getMetadata().getNamespace())
        .withName(app.getMetadata().getName())
        .editStatus(latest -> {
          latest.setStatus(status);
          return latest;
        });
  }

  /** The controller ran the operation: remove the request. */
  public void removeOperation(Application app) {
    client.resources(Application.class)
        .inNamespace(app.getMetadata().getNamespace())
        .withName(app.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":\"/operation\"}]");
  }
}
