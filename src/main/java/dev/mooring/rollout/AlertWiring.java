package dev.mooring.rollout;

import dev.mooring.api.AppIndex;
import dev.mooring.api.InformerIndex;
import dev.mooring.canary.alerts.AlertSender;
import dev.mooring.canary.alerts.Alerts;
import dev.mooring.controller.MooringConfig;
import dev.mooring.model.AlertProvider;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.Optional;

/**
 * Builds {@link Alerts} for CDI: AlertProviders from an informer cache over the watched namespaces
 * (started on the first alert, so a cluster without the CRD costs nothing until a Canary has
 * alerts), Secrets read when an alert is sent, so that a rotated webhook URL is used at once.
 */
@ApplicationScoped
public class AlertWiring {
  private final KubernetesClient client;
  private final MooringConfig config;
  private final InformerIndex<AlertProvider> providers = new InformerIndex<>();
  private boolean started;

  public AlertWiring(KubernetesClient client, MooringConfig config) {
    this.client = client;
    this.config = config;
  }

  private synchronized void start() {
    if (!started) {
      started = true;
      providers.start(client, AlertProvider.class, AppIndex.watchedNamespaces(config));
    }
  }

  @Produces
  @ApplicationScoped
  Alerts alerts() {
    Alerts.Providers lookup =
        new Alerts.Providers() {
          @Override
          public Optional<AlertProvider> get(String namespace, String name) {
            start();
            return providers.get(namespace, name);
          }

          @Override
          public String problem() {
            return providers.problem();
          }
        };
    return new Alerts(
        lookup,
        (namespace, name) -> dev.mooring.cluster.Secrets.read(client, namespace, name),
        new AlertSender(),
        Clock.systemUTC());
  }

  @PreDestroy
  void close() {
    providers.stop();
  }
}
