package dev.mooring.api;

import dev.mooring.controller.AppEvents;
import dev.mooring.controller.Leadership;
import dev.mooring.controller.ReconcileTrigger;
import dev.mooring.controller.SourceTracker;
import dev.mooring.model.Application;
import dev.mooring.source.GitSource;
import dev.mooring.sync.Tracking;
import dev.mooring.webhook.PushEvent;
import dev.mooring.webhook.PushMatcher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Turns a verified push into refreshes: finds the Applications on that repository and ref whose
 * path the push touched (from the informer cache, in memory), and queues one fetch of the
 * repository, after which exactly those apps reconcile. The request thread never touches Git.
 */
@ApplicationScoped
public class WebhookDispatcher {
  private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
  private final AppIndex index;
  private final SourceTracker tracker;
  private final ReconcileTrigger trigger;
  private final AppEvents events;
  private final MeterRegistry registry;
  private final Leadership leadership;
  private final KubernetesClient client;
  private final Map<String, String> normalized = new ConcurrentHashMap<>();
  private final ExecutorService handOver =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "mooring-webhook-handover");
            t.setDaemon(true);
            return t;
          });

  public WebhookDispatcher(
      AppIndex index,
      SourceTracker tracker,
      ReconcileTrigger trigger,
      AppEvents events,
      MeterRegistry registry,
      Leadership leadership,
      KubernetesClient client) {
    this.index = index;
    this.tracker = tracker;
    this.trigger = trigger;
    this.events = events;
    this.registry = registry;
    this.leadership = leadership;
    this.client = client;
  }

  /** The Applications a push concerns, as "namespace/name". */
  public List<Application> match(PushEvent push) {
    Set<String> urls = new HashSet<>();
    for (String url : push.repoURLs()) {
      String n = normalize(url);
      if (n != null) {
        urls.add(n);
      }
    }
    List<Application> matched = new ArrayList<>();
    for (Application app : index.list()) {
      if (app.getSpec() == null || app.getSpec().source == null) {
        continue;
      }
      String repo = app.getSpec().source.repoURL;
      String norm = normalize(repo);
      if (norm == null || !urls.contains(norm)) {
        continue;
      }
      if (!PushMatcher.refMatches(
          push, app.getSpec().source.targetRevision, tracker.headBranch(repo))) {
        continue;
      }
      if (readsOutsideItsFolder(app)
          || PushMatcher.pathTouched(app.getSpec().source.path, push.changedFiles())) {
        matched.add(app);
      }
    }
    return matched;
  }

  /**
   * A Kustomize or Helm app may read files anywhere in the repository (a base in {@code ../base},
   * value files, components): any push to its branch may change it, and the render cache makes a
   * push that does not cheap.
   */
  static boolean readsOutsideItsFolder(Application app) {
    var source = app.getSpec().source;
    String type = app.getStatus() == null ? null : app.getStatus().sourceType;
    return source.kustomize != null
        || source.helm != null
        || "Kustomize".equals(type)
        || "Helm".equals(type);
  }

  /**
   * Queues the fetch and the refreshes; returns at once. A replica that does not lead hands the
   * refreshes to the leader: it sets the refresh annotation on each matched Application, which the
   * leader's watch turns into a fetch and a reconcile.
   */
  public void dispatch(PushEvent push, List<Application> apps, long receivedNanos) {
    if (!leadership.isLeader()) {
      handOver.execute(() -> handToLeader(push, apps));
      return;
    }
    Map<String, List<Application>> byRepo = new ConcurrentHashMap<>();
    for (Application app : apps) {
      byRepo.computeIfAbsent(app.getSpec().source.repoURL, k -> new ArrayList<>()).add(app);
    }
    byRepo.forEach(
        (repo, list) -> tracker.fetchSoon(repo, () -> refresh(push, list, receivedNanos)));
  }

  private void refresh(PushEvent push, List<Application> apps, long receivedNanos) {
    Timer latency =
        registry.timer("mooring.webhook.refresh.latency", "provider", push.provider().configKey());
    latency.record(Duration.ofNanos(System.nanoTime() - receivedNanos));
    String sha =
        push.after() == null ? "" : push.after().substring(0, Math.min(7, push.after().length()));
    for (Application app : apps) {
      trigger.trigger(app.getMetadata().getNamespace(), app.getMetadata().getName());
      events.normal(
          app,
          "WebhookRefresh",
          "push to "
              + push.ref()
              + " ("
              + sha
              + ") from "
              + push.provider().configKey()
              + ", delivery "
              + (push.deliveryId() == null ? "unknown" : push.deliveryId()));
    }
  }

  private void handToLeader(PushEvent push, List<Application> apps) {
    String value =
        "webhook "
            + push.provider().configKey()
            + " "
            + (push.deliveryId() == null ? "" : push.deliveryId() + " ")
            + Instant.now();
    // built as JSON, never by concatenation: the delivery id is a header nobody signed
    com.fasterxml.jackson.databind.node.ObjectNode body =
        new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    body.putObject("metadata").putObject("annotations").put(Tracking.REFRESH, value);
    String patch = body.toString();
    for (Application app : apps) {
      try {
        client
            .resources(Application.class)
            .inNamespace(app.getMetadata().getNamespace())
            .withName(app.getMetadata().getName())
            .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      } catch (KubernetesClientException e) {
        LOG.warnf(
            "webhook: could not hand the refresh of %s/%s to the leader: %s",
            app.getMetadata().getNamespace(), app.getMetadata().getName(), e.getMessage());
      }
    }
  }

  private String normalize(String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    String n =
        normalized.computeIfAbsent(
            url,
            u -> {
              try {
                return GitSource.normalizeUrl(u);
              } catch (IllegalArgumentException e) {
                return "";
              }
            });
    return n.isEmpty() ? null : n;
  }
}
