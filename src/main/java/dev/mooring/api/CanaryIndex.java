package dev.mooring.api;

import dev.mooring.controller.MooringConfig;
import dev.mooring.model.Canary;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Canaries for the API and the event stream, from an informer cache. */
@ApplicationScoped
public class CanaryIndex extends InformerIndex<Canary> {
  private final KubernetesClient client;
  private final MooringConfig config;

  public CanaryIndex(KubernetesClient client, MooringConfig config) {
    this.client = client;
    this.config = config;
  }

  void start(@Observes StartupEvent event) {
    start(client, Canary.class, AppIndex.watchedNamespaces(config));
  }

  @PreDestroy
  void close() {
    stop();
  }
}
