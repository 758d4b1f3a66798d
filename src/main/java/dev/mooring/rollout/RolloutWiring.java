package dev.mooring.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.api.AppIndex;
import dev.mooring.api.InformerIndex;
import dev.mooring.canary.hooks.WebhookExecutor;
import dev.mooring.canary.routing.Ownership;
import dev.mooring.cluster.KindResolver;
import dev.mooring.cluster.KubeClusterOps;
import dev.mooring.cluster.LiveCache;
import dev.mooring.controller.MooringConfig;
import dev.mooring.model.MetricTemplate;
import dev.mooring.sync.Applier;
import dev.mooring.sync.ForeignFields;
import dev.mooring.sync.Tracking;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the canary controller's edges once, for CDI: informer caches of Deployments and
 * MetricTemplates (started on first use), the cache of the objects Canaries own, and the writers.
 */
@ApplicationScoped
public class RolloutWiring {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final KubernetesClient client;
  private final MooringConfig config;
  private final InformerIndex<Deployment> deployments = new InformerIndex<>();
  private final InformerIndex<io.fabric8.kubernetes.api.model.apps.DaemonSet> daemonSets =
      new InformerIndex<>();
  private final InformerIndex<MetricTemplate> templates = new InformerIndex<>();
  private volatile LiveCache owned;
  private boolean started;

  private final dev.mooring.controller.AppEvents events;
  private final dev.mooring.controller.Leadership leadership;

  public RolloutWiring(
      KubernetesClient client,
      MooringConfig config,
      dev.mooring.controller.AppEvents events,
      dev.mooring.controller.Leadership leadership) {
    this.client = client;
    this.config = config;
    this.events = events;
    this.leadership = leadership;
    templates.onChange((before, after) -> reportTemplate(before, after));
  }

  /**
   * MetricTemplates are watched from the start, so that an unusable one is said on it (a Warning
   * Event, once per generation) whether or not a Canary uses it yet.
   */
  void watchTemplates(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
    startTemplates();
  }

  private void reportTemplate(MetricTemplate before, MetricTemplate after) {
    if (after == null
        || !leadership.isLeader()
        || (before != null
            && java.util.Objects.equals(
                before.getMetadata().getGeneration(), after.getMetadata().getGeneration()))) {
      return;
    }
    String problem =
        CanaryChecks.templateProblem(
            after.getMetadata().getNamespace(), after.getMetadata().getName(), after.getSpec());
    if (problem != null) {
      events.warning(after, "InvalidSpec", problem);
    }
  }

  private synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    deployments.start(client, Deployment.class, AppIndex.watchedNamespaces(config));
    daemonSets.start(
        client,
        io.fabric8.kubernetes.api.model.apps.DaemonSet.class,
        AppIndex.watchedNamespaces(config));
    startTemplates();
  }

  private boolean templatesStarted;

  private synchronized void startTemplates() {
    if (!templatesStarted) {
      templatesStarted = true;
      templates.start(client, MetricTemplate.class, AppIndex.watchedNamespaces(config));
    }
  }

  ObjectNode deployment(String namespace, String name) {
    start();
    return deployments
        .get(namespace, name)
        .map(d -> (ObjectNode) MAPPER.valueToTree(d))
        .orElse(null);
  }

  ObjectNode daemonSet(String namespace, String name) {
    start();
    return daemonSets
        .get(namespace, name)
        .map(d -> (ObjectNode) MAPPER.valueToTree(d))
        .orElse(null);
  }

  @Produces
  @ApplicationScoped
  CanaryWorkloads workloads(KindResolver kinds) {
    owned = new LiveCache(client, o -> {}, Tracking.APP_LABEL, Ownership.MANAGED_BY_VALUE);
    KubeClusterOps ops = new KubeClusterOps(client);
    return new CanaryWorkloads(
        ops,
        kinds,
        owned,
        new Applier(ops, owned, ForeignFields.NONE, Ownership.MANAGED_BY_VALUE),
        this::deployment,
        this::daemonSet);
  }

  @Produces
  @ApplicationScoped
  CanaryChecks checks() {
    return new CanaryChecks(
        (ns, name) -> {
          startTemplates();
          return templates.get(ns, name);
        },
        this::secretData,
        config.canary().prometheus().address(),
        Clock.systemUTC());
  }

  @Produces
  @ApplicationScoped
  WebhookExecutor webhooks() {
    return new WebhookExecutor(
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
  }

  @Produces
  @ApplicationScoped
  CanaryMeters meters(MeterRegistry registry) {
    return new CanaryMeters(registry);
  }

  private Optional<Map<String, String>> secretData(String namespace, String name) {
    return dev.mooring.cluster.Secrets.read(client, namespace, name);
  }

  @PreDestroy
  void close() {
    deployments.stop();
    daemonSets.stop();
    templates.stop();
    if (owned != null) {
      owned.close();
    }
  }
}
