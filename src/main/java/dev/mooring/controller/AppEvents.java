package dev.mooring.controller;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events on Applications and Canaries: what `kubectl describe` shows about syncs and
 * analyses.
 */
@ApplicationScoped
public class AppEvents {
  private static final Logger LOG = Logger.getLogger(AppEvents.class);
  private final KubernetesClient client;

  public AppEvents(KubernetesClient client) {
    this.client = client;
  }

  public void normal(HasMetadata app, String reason, String message) {
    record(app, "Normal", reason, message);
  }

  public void warning(HasMetadata app, String reason, String message) {
    record(app, "Warning", reason, message);
  }

  private void record(HasMetadata app, String type, String reason, String message) {
    String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now());
    String ns = app.getMetadata().getNamespace();
    try {
      client
          .v1()
          .events()
          .inNamespace(ns)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(app.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
                  .withNamespace(ns)
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(app.getApiVersion())
                  .withKind(app.getKind())
                  .withName(app.getMetadata().getName())
                  .withNamespace(ns)
                  .withUid(app.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("mooring")
                  .endSource()
                  .build())
          .create();
    } catch (RuntimeException e) {
      LOG.debugf(
          "could not record event %s on %s/%s: %s",
          reason, ns, app.getMetadata().getName(), e.getMessage());
    }
  }
}
