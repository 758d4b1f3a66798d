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
 * analyses. They are sent in order by one thread of their own, so that a sync does not wait for its
 * Events; when the API server cannot keep up, Events beyond {@value #MAX_QUEUED} are dropped (and
 * logged), never syncs delayed.
 */
@ApplicationScoped
public class AppEvents {
  private static final Logger LOG = Logger.getLogger(AppEvents.class);
  private final KubernetesClient client;
  private static final int MAX_QUEUED = 10_000;
  private final java.util.concurrent.ThreadPoolExecutor sender =
      new java.util.concurrent.ThreadPoolExecutor(
          1,
          1,
          0,
          java.util.concurrent.TimeUnit.MILLISECONDS,
          new java.util.concurrent.LinkedBlockingQueue<>(MAX_QUEUED),
          r -> {
            Thread t = new Thread(r, "mooring-events");
            t.setDaemon(true);
            return t;
          },
          (task, pool) -> LOG.warn("too many Events waiting to be sent; one was dropped"));

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
    // what the Event names is read now: the object may change before the Event is sent
    String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now());
    String ns = app.getMetadata().getNamespace();
    String name = app.getMetadata().getName();
    String uid = app.getMetadata().getUid();
    String apiVersion = app.getApiVersion();
    String kind = app.getKind();
    sender.execute(() -> send(ns, name, uid, apiVersion, kind, now, type, reason, message));
  }

  private void send(
      String ns,
      String name,
      String uid,
      String apiVersion,
      String kind,
      String now,
      String type,
      String reason,
      String message) {
    try {
      client
          .v1()
          .events()
          .inNamespace(ns)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(name + "." + Long.toHexString(System.nanoTime()))
                  .withNamespace(ns)
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(apiVersion)
                  .withKind(kind)
                  .withName(name)
                  .withNamespace(ns)
                  .withUid(uid)
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
      LOG.debugf("could not record event %s on %s/%s: %s", reason, ns, name, e.getMessage());
    }
  }
}
