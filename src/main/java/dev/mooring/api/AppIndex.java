package dev.mooring.api;

import dev.mooring.controller.MooringConfig;
import dev.mooring.model.Application;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * An informer cache of Applications for the API, the webhook matcher and the event stream:
 * answering never costs a request to the API server.
 */
@ApplicationScoped
public class AppIndex {
  private final KubernetesClient client;
  private final MooringConfig config;
  private final List<SharedIndexInformer<Application>> informers = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<Application, Application>> listeners = new CopyOnWriteArrayList<>();

  public AppIndex(KubernetesClient client, MooringConfig config) {
    this.client = client;
    this.config = config;
  }

  void start(@Observes StartupEvent event) {
    List<String> namespaces =
        config.watchNamespaces().map(n -> Arrays.asList(n.split(","))).orElse(List.of());
    if (namespaces.isEmpty() || namespaces.stream().allMatch(String::isBlank)) {
      informers.add(client.resources(Application.class).inAnyNamespace().inform(new Handler(), 0));
    } else {
      for (String ns : namespaces) {
        if (!ns.isBlank()) {
          informers.add(
              client.resources(Application.class).inNamespace(ns.trim()).inform(new Handler(), 0));
        }
      }
    }
  }

  /** Called with (old, new) on every change; old is null on add, new is null on delete. */
  public void onChange(BiConsumer<Application, Application> listener) {
    listeners.add(listener);
  }

  public List<Application> list() {
    List<Application> all = new ArrayList<>();
    informers.forEach(i -> all.addAll(i.getStore().list()));
    all.sort(
        (a, b) -> {
          int ns = a.getMetadata().getNamespace().compareTo(b.getMetadata().getNamespace());
          return ns != 0 ? ns : a.getMetadata().getName().compareTo(b.getMetadata().getName());
        });
    return all;
  }

  /** Every cached Application, unsorted (for the hot webhook path). */
  public void forEach(java.util.function.Consumer<Application> action) {
    informers.forEach(i -> i.getStore().list().forEach(action));
  }

  public Optional<Application> get(String namespace, String name) {
    for (SharedIndexInformer<Application> i : informers) {
      Application app = i.getStore().getByKey(namespace + "/" + name);
      if (app != null) {
        return Optional.of(app);
      }
    }
    return Optional.empty();
  }

  @PreDestroy
  void stop() {
    informers.forEach(SharedIndexInformer::close);
  }

  private final class Handler implements ResourceEventHandler<Application> {
    @Override
    public void onAdd(Application app) {
      listeners.forEach(l -> l.accept(null, app));
    }

    @Override
    public void onUpdate(Application oldApp, Application newApp) {
      listeners.forEach(l -> l.accept(oldApp, newApp));
    }

    @Override
    public void onDelete(Application app, boolean deletedFinalStateUnknown) {
      listeners.forEach(l -> l.accept(app, null));
    }
  }
}
