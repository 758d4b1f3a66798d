package dev.mooring.api;

import dev.mooring.controller.MooringConfig;
import dev.mooring.model.Application;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.List;

/**
 * Applications for the API, the webhook matcher, the page and the event stream, from an informer
 * cache.
 */
@ApplicationScoped
public class AppIndex extends InformerIndex<Application> {
  private final KubernetesClient client;
  private final MooringConfig config;

  public AppIndex(KubernetesClient client, MooringConfig config) {
    this.client = client;
    this.config = config;
  }

  void start(@Observes StartupEvent event) {
    start(client, Application.class, watchedNamespaces(config));
  }

  @PreDestroy
  void close() {
    stop();
  }

  /** mooring.watch-namespaces as a list; empty means all namespaces. */
  public static List<String> watchedNamespaces(MooringConfig config) {
    return config.watchNamespaces().stream()
        .flatMap(n -> Arrays.stream(n.split(",")))
        .map(String::trim)
        .filter(n -> !n.isEmpty())
        .toList();
  }
}
