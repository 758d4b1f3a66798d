package dev.mooring.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(StatusWriter.class);
  private final KubernetesClient client;
  private final LatestWrites<Application> written = new LatestWrites<>();

  /**
   * Annotation removals still on their way, by app: every later write of the app waits for them.
   */
  private final java.util.Map<String, java.util.concurrent.CompletableFuture<Void>> pending =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final java.util.concurrent.ExecutorService background =
      java.util.concurrent.Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "mooring-status");
            t.setDaemon(true);
            return t;
          });

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

  /**
   * Only what changed goes to the server: a JSON patch of the status subresource from the status
   * this controller last saw (the Application it reconciled) to the new one, guarded by that
   * version's resourceVersion; a 1,000-resource status is not read and resent for a few changed
   * entries. When the Application changed meanwhile, the patch is refused (409) and the status is
   * written against the latest object instead.
   */
  public void write(Application app, ApplicationStatus status) {
    awaitPending(app);
    Application base = latest(app);
    String rv = base.getMetadata().getResourceVersion();
    if (rv != null && base.getStatus() != null) {
      JsonNode before = MAPPER.valueToTree(base.getStatus());
      JsonNode after = MAPPER.valueToTree(status);
      ArrayNode patch = MAPPER.createArrayNode();
      patch
          .addObject()
          .put("op", "replace")
          .put("path", "/metadata/resourceVersion")
          .put("value", rv);
      statusPatch(before, after, patch);
      if (patch.size() == 1) {
        return; // nothing changed
      }
      try {
        long start = System.nanoTime();
        String body = patch.toString();
        remember(
            app,
            client
                .resources(Application.class)
                .inNamespace(app.getMetadata().getNamespace())
                .resource(named(app)) // named, so that the client does not read it first
                .subresource("status")
                .patch(PatchContext.of(PatchType.JSON), body));
        LOG.debugf(
            "status of %s/%s: %d operations, %d bytes, written in %d ms",
            app.getMetadata().getNamespace(),
            app.getMetadata().getName(),
            patch.size(),
            body.length(),
            (System.nanoTime() - start) / 1_000_000);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 && e.getCode() != 422) {
          throw e;
        }
        // changed meanwhile: write against the latest object
      }
    }
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
    remove(app, "/operation");
  }

  /**
   * A refresh was done: remove its annotation, unless it changed meanwhile (a newer request, say a
   * webhook another replica handed over while this one fetched), which the next reconcile serves.
   */
  public void removeAnnotation(Application app, String annotation) {
    awaitPending(app);
    sendAnnotationRemoval(app, annotation);
  }

  private void sendAnnotationRemoval(Application app, String annotation) {
    String pointer = "/metadata/annotations/" + annotation.replace("~", "~0").replace("/", "~1");
    ArrayNode patch = MAPPER.createArrayNode();
    String seen =
        app.getMetadata().getAnnotations() == null
            ? null
            : app.getMetadata().getAnnotations().get(annotation);
    if (seen != null) {
      patch.addObject().put("op", "test").put("path", pointer).put("value", seen);
    }
    patch.addObject().put("op", "remove").put("path", pointer);
    send(app, patch.toString());
  }

  /**
   * {@link #removeAnnotation}, sent while the reconcile goes on (a write of a large Application
   * takes as long as rendering it); the app's next write waits for it, so that it is made against
   * the object the removal left.
   */
  public void removeAnnotationSoon(Application app, String annotation) {
    String key = app.getMetadata().getNamespace() + "/" + app.getMetadata().getName();
    awaitPending(app);
    java.util.concurrent.CompletableFuture<Void> removal =
        java.util.concurrent.CompletableFuture.runAsync(
            () -> {
              try {
                sendAnnotationRemoval(app, annotation);
              } catch (RuntimeException e) {
                LOG.warnf(
                    "could not remove annotation %s from application %s: %s",
                    annotation, key, e.getMessage());
              }
            },
            background);
    pending.put(key, removal);
    removal.whenComplete((ok, e) -> pending.remove(key, removal));
  }

  private void awaitPending(Application app) {
    java.util.concurrent.CompletableFuture<Void> removal =
        pending.get(app.getMetadata().getNamespace() + "/" + app.getMetadata().getName());
    if (removal != null && !removal.isDone()) {
      removal.join(); // never fails: the task reports its own errors
    }
  }

  private void remove(Application app, String pointer) {
    awaitPending(app);
    send(app, "[{\"op\":\"remove\",\"path\":\"" + pointer + "\"}]");
  }

  private void send(Application app, String patch) {
    try {
      remember(
          latest(app),
          client
              .resources(Application.class)
              .inNamespace(app.getMetadata().getNamespace())
              .resource(named(app)) // named, so that the client does not read it first
              .patch(PatchContext.of(PatchType.JSON), patch));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 422 && e.getCode() != 404) {
        throw e;
      }
      // already removed (by another reconcile, the API's terminate, or kubectl)
    }
  }

  /**
   * Top-level status fields that changed, and the changed entries of lists whose length did not
   * change (the resources of a large app, of which a sync changes a few): a general JSON diff would
   * align the lists, quadratic in their length.
   */
  static void statusPatch(JsonNode before, JsonNode after, ArrayNode patch) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    before.fieldNames().forEachRemaining(names::add);
    after.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      JsonNode was = before.get(name);
      JsonNode now = after.get(name);
      String path = "/status/" + name.replace("~", "~0").replace("/", "~1");
      if (now == null) {
        patch.addObject().put("op", "remove").put("path", path);
      } else if (was == null) {
        patch.addObject().put("op", "add").put("path", path).set("value", now);
      } else if (was.isArray() && now.isArray() && was.size() == now.size()) {
        for (int i = 0; i < now.size(); i++) {
          if (!was.get(i).equals(now.get(i))) {
            patch
                .addObject()
                .put("op", "replace")
                .put("path", path + "/" + i)
                .set("value", now.get(i));
          }
        }
      } else if (!was.equals(now)) {
        // "add" replaces a member that exists and adds one that does not: the copy this status
        // was read from may show a default (an empty list) that the stored object omits
        patch.addObject().put("op", "add").put("path", path).set("value", now);
      }
    }
  }

  private static Application named(Application app) {
    Application stub = new Application();
    stub.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(app.getMetadata().getName())
            .withNamespace(app.getMetadata().getNamespace())
            .build());
    return stub;
  }

  private void remember(Application before, Application after) {
    written.remember(before, after);
  }
}
