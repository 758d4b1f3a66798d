package dev.mooring.api;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * An informer cache of one custom resource kind in the watched namespaces (all when none are
 * given), with change listeners. Reads never cost a request to the API server.
 */
public class InformerIndex<T extends HasMetadata> {
  private final List<SharedIndexInformer<T>> informers = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<T, T>> listeners = new CopyOnWriteArrayList<>();
  private volatile String problem;

  /** Starts the informers; a kind the cluster does not serve is reported, not fatal. */
  public void start(KubernetesClient client, Class<T> type, List<String> namespaces) {
    try {
      if (namespaces.isEmpty()) {
        informers.add(client.resources(type).inAnyNamespace().inform(new Handler(), 0));
      } else {
        for (String ns : namespaces) {
          informers.add(client.resources(type).inNamespace(ns).inform(new Handler(), 0));
        }
      }
    } catch (KubernetesClientException e) {
      problem =
          HasMetadata.getPlural(type)
              + "."
              + HasMetadata.getGroup(type)
              + " is not served by the cluster (is its CRD installed?): "
              + e.getMessage();
    }
  }

  /** Why the index is unavailable, or null. */
  public String problem() {
    return problem;
  }

  /** Called with (old, new) on every change; old is null on add, new is null on delete. */
  public void onChange(BiConsumer<T, T> listener) {
    listeners.add(listener);
  }

  /** Sorted by namespace, then name. */
  public List<T> list() {
    List<T> all = new ArrayList<>();
    informers.forEach(i -> all.addAll(i.getStore().list()));
    all.sort(
        Comparator.comparing((T r) -> r.getMetadata().getNamespace())
            .thenComparing(r -> r.getMetadata().getName()));
    return all;
  }

  /** Every cached object, unsorted (for hot paths). */
  public void forEach(Consumer<T> action) {
    informers.forEach(i -> i.getStore().list().forEach(action));
  }

  public Optional<T> get(String namespace, String name) {
    for (SharedIndexInformer<T> i : informers) {
      T found = i.getStore().getByKey(namespace + "/" + name);
      if (found != null) {
        return Optional.of(found);
      }
    }
    return Optional.empty();
  }

  public void stop() {
    informers.forEach(SharedIndexInformer::close);
  }

  private final class Handler implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T obj) {
      listeners.forEach(l -> l.accept(null, obj));
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
      listeners.forEach(l -> l.accept(oldObj, newObj));
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {
      listeners.forEach(l -> l.accept(obj, null));
    }
  }
}
