package dev.mooring.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Live state of managed objects: one informer per kind in use, selected by Mooring's managed-by
 * label and shared by every Application. Reads never go to the API server. Writes Mooring just made
 * are overlaid until the informer catches up, so that a reconcile right after a write does not see
 * the old object and write again.
 */
public class LiveCache implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LiveCache.class);
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "mooring";

  private final KubernetesClient client;
  private final Consumer<ObjectNode> onChange;
  private final String indexedLabel;
  private final String managedBy;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<ResourceType, SharedIndexInformer<GenericKubernetesResource>> informers =
      new ConcurrentHashMap<>();

  /** Kinds whose informer could not list, with why and when to try again. */
  private final Map<ResourceType, Unavailable> unavailable = new ConcurrentHashMap<>();

  private volatile Predicate<ResourceType> served = t -> true;
  private volatile Consumer<ResourceType> gone = t -> {};
  private volatile boolean closed;

  private record Unavailable(String reason, long retryAt) {}

  private volatile long retryNanos = 10_000_000_000L;
  private final Map<String, Overlay> overlay = new ConcurrentHashMap<>();
  private final Object changed = new Object();

  /**
   * A write the informer may not have delivered yet: valid while the informer still shows the
   * version the write replaced (resourceVersions are opaque, so only equality is used), and for a
   * short while when the informer has no object at all yet.
   */
  private record Overlay(
      ObjectNode object, java.util.Set<String> replaced, boolean deleted, long expiresAt) {}

  private static final long OVERLAY_TTL_NANOS = 30_000_000_000L;

  /**
   * @param indexedLabel the label {@link #listByLabel} looks up through an informer index, so that
   *     finding one app's objects does not walk every cached object
   */
  public LiveCache(KubernetesClient client, Consumer<ObjectNode> onChange, String indexedLabel) {
    this(client, onChange, indexedLabel, MANAGED_BY_VALUE);
  }

  /**
   * A cache of the objects labelled {@code app.kubernetes.io/managed-by=<managedBy>}, e.g. the
   * canary controller's own objects.
   */
  public LiveCache(
      KubernetesClient client,
      Consumer<ObjectNode> onChange,
      String indexedLabel,
      String managedBy) {
    this.client = client;
    this.onChange = onChange;
    this.indexedLabel = indexedLabel;
    this.managedBy = managedBy;
  }

  /**
   * Only kinds the API server serves get an informer (a list of a kind not served fails, and the
   * informer would stop for good); others simply have no objects.
   */
  public void servedBy(Predicate<ResourceType> served, Consumer<ResourceType> gone) {
    this.served = served;
    this.gone = gone;
  }

  /** How long a kind that could not be listed is reported unavailable before a new attempt. */
  public void retryUnavailableAfter(java.time.Duration wait) {
    this.retryNanos = wait.toNanos();
  }

  /**
   * Starts the informer for a kind on first use and waits for its first list. A kind the server
   * does not serve gets none (yet); one that cannot be listed (403) is reported by {@link #get} and
   * tried again later; an informer that stopped is started again on the next use.
   */
  public void watch(ResourceType type) {
    if (informers.containsKey(type)) {
      return;
    }
    Unavailable down = unavailable.get(type);
    if (down != null && System.nanoTime() < down.retryAt()) {
      throw new KindUnavailableException(down.reason());
    }
    if (!served.test(type)) {
      return;
    }
    informers.computeIfAbsent(type, this::start);
    down = unavailable.get(type);
    if (down != null && !informers.containsKey(type)) {
      throw new KindUnavailableException(down.reason());
    }
  }

  private SharedIndexInformer<GenericKubernetesResource> start(ResourceType type) {
    var op = client.genericKubernetesResources(type.context());
    var selected =
        type.namespaced()
            ? op.inAnyNamespace().withLabel(MANAGED_BY_LABEL, managedBy)
            : op.withLabel(MANAGED_BY_LABEL, managedBy);
    SharedIndexInformer<GenericKubernetesResource> informer =
        selected.runnableInformer(0).addEventHandler(new Handler());
    // transient errors are retried by the informer; a kind that is gone (404) or forbidden (403)
    // stops it, and the next use starts it again
    informer.exceptionHandler(
        (started, t) -> {
          KubernetesClientException failure = clientFailure(t);
          int code = failure == null ? 0 : failure.getCode();
          if (code == 404) {
            // the kind is gone (its CRD deleted): no objects of it, and discovery must look again
            gone.accept(type);
            return false;
          }
          if (code == 403 || code == 401) {
            unavailable.put(
                type,
                new Unavailable(
                    "cannot list "
                        + type.plural()
                        + "."
                        + (type.group().isEmpty() ? "core" : type.group())
                        + ": "
                        + reason(failure),
                    System.nanoTime() + retryNanos));
            return false;
          }
          // the server is unreachable or erring: keep trying, before and after the first list
          return !ExceptionHandler.isDeserializationException(t);
        });
    informer.addIndexers(
        Map.of(
            indexedLabel,
            r -> {
              Map<String, String> labels = r.getMetadata().getLabels();
              String value = labels == null ? null : labels.get(indexedLabel);
              return value == null ? List.of() : List.of(value);
            }));
    unavailable.remove(type);
    try {
      informer.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (unavailable.containsKey(type)) {
        informer.close();
        LOG.warnf("%s", unavailable.get(type).reason());
        return null; // computeIfAbsent keeps nothing: the next use tries again
      }
      if (informer.stopped().toCompletableFuture().isDone()) {
        // it gave up (the kind went away, say): nothing is cached, the next use tries again
        informer.close();
        LOG.warnf(
            "informer for %s/%s stopped before its first list: %s",
            type.apiVersion(), type.kind(), e);
        return null;
      }
      LOG.warnf("informer for %s/%s not synced yet: %s", type.apiVersion(), type.kind(), e);
    }
    informer
        .stopped()
        .whenComplete(
            (done, error) -> {
              if (!closed && informers.remove(type, informer) && error != null) {
                LOG.warnf(
                    "informer for %s %s stopped: %s; it starts again on next use",
                    type.apiVersion(), type.kind(), error.getMessage());
              }
            });
    LOG.infof(
        "watching %s %s (label %s=%s)",
        type.apiVersion(), type.kind(), MANAGED_BY_LABEL, managedBy);
    return informer;
  }

  /**
   * The live object, or null when it does not exist (or is not managed by Mooring yet, or its kind
   * is not served).
   *
   * @throws KindUnavailableException when the kind cannot be listed (RBAC)
   */
  public ObjectNode get(ResourceType type, String namespace, String name) {
    Found found = find(type, namespace, name);
    if (found.written() != null) {
      return found.written().deleted ? null : found.written().object.deepCopy();
    }
    return found.cached() == null ? null : mapper.valueToTree(found.cached());
  }

  /**
   * Which version of the object {@link #get} would return, without converting it: its
   * resourceVersion (marked when it is Mooring's own write not yet seen by the watch), or null when
   * {@code get} returns null. Equal versions mean {@code get} returns equal objects.
   */
  public String versionOf(ResourceType type, String namespace, String name) {
    Found found = find(type, namespace, name);
    if (found.written() != null) {
      return found.written().deleted
          ? null
          : "written:" + found.written().object.path("metadata").path("resourceVersion").asText();
    }
    GenericKubernetesResource cached = found.cached();
    return cached == null
        ? null
        : cached.getMetadata().getUid() + "@" + cached.getMetadata().getResourceVersion();
  }

  /** What the cache holds for an object: Mooring's own newer write, else the watched object. */
  private record Found(GenericKubernetesResource cached, Overlay written) {}

  private Found find(ResourceType type, String namespace, String name) {
    watch(type);
    String key = key(type, namespace, name);
    SharedIndexInformer<GenericKubernetesResource> informer = informers.get(type);
    GenericKubernetesResource cached =
        informer == null ? null : informer.getStore().getByKey(storeKey(type, namespace, name));
    Overlay written = overlay.get(key);
    if (written != null) {
      boolean stale =
          cached == null
              ? System.nanoTime() < written.expiresAt && !written.deleted
              : written.replaced.contains(cached.getMetadata().getResourceVersion());
      if (stale) {
        return new Found(cached, written);
      }
      overlay.remove(key, written);
    }
    return new Found(cached, null);
  }

  /** Every cached object whose indexed label has this value, across all watched kinds. */
  public List<ObjectNode> listByLabel(String value) {
    List<ObjectNode> result = new ArrayList<>();
    informers.forEach(
        (type, informer) -> {
          for (GenericKubernetesResource r : informer.getIndexer().byIndex(indexedLabel, value)) {
            ObjectNode live;
            try {
              live = get(type, r.getMetadata().getNamespace(), r.getMetadata().getName());
            } catch (KindUnavailableException e) {
              return; // reported where the app's objects of that kind are compared
            }
            if (live != null) {
              result.add(live);
            }
          }
        });
    return result;
  }

  /**
   * Records Mooring's own write; {@code before} are the versions it replaced (the one the cache
   * showed, and any Mooring read or wrote on the way), or null for a create.
   */
  public void recordWrite(ResourceType type, ObjectNode written, ObjectNode... before) {
    String ns = written.path("metadata").path("namespace").asText(null);
    String name = written.path("metadata").path("name").asText();
    java.util.Set<String> replaced = new java.util.HashSet<>();
    for (ObjectNode b : before) {
      replaced.add(resourceVersion(b));
    }
    overlay.put(
        key(type, ns, name),
        new Overlay(written.deepCopy(), replaced, false, System.nanoTime() + OVERLAY_TTL_NANOS));
  }

  public void recordDelete(ResourceType type, String namespace, String name, ObjectNode last) {
    overlay.put(
        key(type, namespace, name),
        new Overlay(
            null,
            java.util.Set.of(resourceVersion(last)),
            true,
            System.nanoTime() + OVERLAY_TTL_NANOS));
  }

  /** The API server's answer inside whatever the informer wrapped it in. */
  private static KubernetesClientException clientFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof KubernetesClientException k) {
        return k;
      }
    }
    return null;
  }

  private static String reason(Throwable t) {
    if (t instanceof KubernetesClientException k
        && k.getStatus() != null
        && k.getStatus().getMessage() != null) {
      return k.getStatus().getMessage();
    }
    return t.getMessage();
  }

  private static String resourceVersion(ObjectNode object) {
    return object == null ? "" : object.path("metadata").path("resourceVersion").asText("");
  }

  /** Blocks until any watched object changes or the timeout passes. */
  public void awaitChange(long millis) throws InterruptedException {
    synchronized (changed) {
      changed.wait(millis);
    }
  }

  @Override
  public void close() {
    closed = true;
    informers.values().forEach(SharedIndexInformer::close);
    informers.clear();
  }

  private static String storeKey(ResourceType type, String namespace, String name) {
    return type.namespaced()
        ? Cache.namespaceKeyFunc(namespace, name)
        : Cache.namespaceKeyFunc(null, name);
  }

  private static String key(ResourceType type, String namespace, String name) {
    return type.group()
        + "/"
        + type.kind()
        + "/"
        + (type.namespaced() ? namespace : "")
        + "/"
        + name;
  }

  private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource obj) {
      kindsChanged(obj, true);
      fire(obj);
    }

    @Override
    public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
      kindsChanged(newObj, false);
      fire(newObj);
    }

    @Override
    public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
      kindsChanged(obj, true);
      fire(obj);
    }

    /**
     * A CRD came or went: the watch of its kind began against the old one (after a delete and a
     * create, it would go on with a resourceVersion the new storage never had), so it starts again,
     * and discovery looks again.
     */
    private void kindsChanged(GenericKubernetesResource obj, boolean restart) {
      if (!"CustomResourceDefinition".equals(obj.getKind())) {
        return;
      }
      JsonNode spec = mapper.valueToTree(obj).path("spec");
      String group = spec.path("group").asText();
      String kind = spec.path("names").path("kind").asText();
      for (JsonNode v : spec.path("versions")) {
        String version = v.path("name").asText();
        for (ResourceType type : List.copyOf(informers.keySet())) {
          if (type.group().equals(group)
              && type.version().equals(version)
              && type.kind().equals(kind)) {
            gone.accept(type);
            SharedIndexInformer<GenericKubernetesResource> old =
                restart ? informers.remove(type) : null;
            if (old != null) {
              old.close();
              LOG.infof(
                  "CRD %s changed: the watch of %s %s starts again",
                  obj.getMetadata().getName(), type.apiVersion(), kind);
            }
          }
        }
        gone.accept(
            new ResourceType(
                group, version, kind, spec.path("names").path("plural").asText(), true));
      }
    }

    private void fire(GenericKubernetesResource obj) {
      synchronized (changed) {
        changed.notifyAll();
      }
      try {
        onChange.accept(mapper.valueToTree(obj));
      } catch (RuntimeException e) {
        LOG.warnf(e, "change handler failed for %s", obj.getMetadata().getName());
      }
    }
  }
}
