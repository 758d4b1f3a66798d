package dev.mooring.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.cluster.Secrets;
import dev.mooring.controller.AppEvents;
import dev.mooring.model.Pipeline;
import dev.mooring.model.PipelineSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Tells a Pipeline's {@code spec.notifications.url} about its stage events (waiting for approval,
 * promoted, succeeded, failed, rolled back, revert pushed): one JSON POST per event with a
 * Slack-compatible {@code text}, retried on connection errors, 429 and 5xx. Sent from one thread of
 * its own with a bounded queue, so a slow receiver never holds a pipeline step. The Secret's URL
 * and token never appear in a payload, an Event or a log.
 */
@ApplicationScoped
public class PipelineNotifier {
  private static final Logger LOG = Logger.getLogger(PipelineNotifier.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int ATTEMPTS = 4;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final AppEvents events;
  private final HttpClient http;
  private final Duration backoff;
  private final Counter sent;
  private final Counter failed;
  private final ThreadPoolExecutor executor =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.MILLISECONDS,
          new ArrayBlockingQueue<>(1000),
          r -> {
            Thread t = new Thread(r, "mooring-pipeline-notify");
            t.setDaemon(true);
            return t;
          });

  @Inject
  public PipelineNotifier(KubernetesClient client, AppEvents events, MeterRegistry registry) {
    this(client, events, registry, Duration.ofSeconds(1));
  }

  PipelineNotifier(
      KubernetesClient client, AppEvents events, MeterRegistry registry, Duration backoff) {
    this.client = client;
    this.events = events;
    this.backoff = backoff;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.sent =
        Counter.builder("mooring.pipeline.notifications")
            .description("Pipeline notifications POSTed")
            .tag("result", "sent")
            .register(registry);
    this.failed =
        Counter.builder("mooring.pipeline.notifications")
            .description("Pipeline notifications POSTed")
            .tag("result", "failed")
            .register(registry);
  }

  /**
   * The JSON of one event: {@code text} (for Slack and compatible receivers), {@code event} (the
   * Event reason), {@code pipeline} ({@code namespace}, {@code name}), {@code stage}, {@code
   * revision}, {@code message} and {@code at}.
   */
  static Map<String, Object> payload(
      String namespace, String name, PipelinePlanner.Notice notice, Instant at) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("text", "Pipeline " + namespace + "/" + name + ": " + notice.message());
    body.put("event", notice.reason());
    body.put("pipeline", Map.of("namespace", namespace, "name", name));
    body.put("stage", notice.stage());
    body.put("revision", notice.revision());
    body.put("message", notice.message());
    body.put("severity", notice.warning() ? "warning" : "info");
    body.put("at", at.toString());
    return body;
  }

  /** Queues one POST per notice when the Pipeline has a notification URL. */
  public void notify(Pipeline pipeline, List<PipelinePlanner.Notice> notices) {
    PipelineSpec.Notifications n =
        pipeline.getSpec() == null ? null : pipeline.getSpec().notifications;
    if (n == null || notices.isEmpty()) {
      return;
    }
    String ns = pipeline.getMetadata().getNamespace();
    String name = pipeline.getMetadata().getName();
    String url = n.url;
    String token = null;
    if (n.secretRef != null && n.secretRef.name != null && !n.secretRef.name.isBlank()) {
      Map<String, String> secret;
      try {
        secret = Secrets.read(client, ns, n.secretRef.name).orElse(null);
      } catch (KubernetesClientException e) {
        secret = null;
      }
      if (secret == null) {
        events.warning(
            pipeline,
            "NotificationFailed",
            "Secret "
                + ns
                + "/"
                + n.secretRef.name
                + " of spec.notifications cannot be read: "
                + notices.size()
                + " notification(s) not sent");
        failed.increment(notices.size());
        return;
      }
      url = secret.getOrDefault("url", url);
      token = secret.get("token");
    }
    if (url == null || url.isBlank()) {
      return;
    }
    URI uri;
    try {
      uri = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      events.warning(pipeline, "NotificationFailed", "the notification URL is not a URL");
      failed.increment(notices.size());
      return;
    }
    Instant now = Instant.now();
    for (PipelinePlanner.Notice notice : notices) {
      byte[] body;
      try {
        body = JSON.writeValueAsBytes(payload(ns, name, notice, now));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      String bearer = token;
      try {
        executor.execute(
            () -> {
              String error = deliver(uri, bearer, body);
              if (error == null) {
                sent.increment();
              } else {
                failed.increment();
                LOG.warnf("pipeline %s/%s: notification %s: %s", ns, name, notice.reason(), error);
                events.warning(
                    pipeline,
                    "NotificationFailed",
                    "notification of " + notice.reason() + " not delivered: " + error);
              }
            });
      } catch (RejectedExecutionException e) {
        failed.increment();
        LOG.warnf("pipeline %s/%s: notification queue full, %s dropped", ns, name, notice.reason());
      }
    }
  }

  /**
   * POSTs the body, retrying connection errors, 429 and 5xx with a doubling backoff.
   *
   * @return null when delivered, else why not (the URL shown without query or user info)
   */
  String deliver(URI uri, String token, byte[] body) {
    String shown = dev.mooring.canary.hooks.Redaction.url(uri);
    String error = null;
    Duration wait = backoff;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri)
              .timeout(TIMEOUT)
              .header("Content-Type", "application/json")
              .header("User-Agent", "mooring")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (token != null && !token.isBlank()) {
        request.header("Authorization", "Bearer " + token);
      }
      boolean retry;
      try {
        int status =
            http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status < 300) {
          return null;
        }
        error = shown + " answered " + status;
        retry = status == 429 || status >= 500;
      } catch (IOException e) {
        error = shown + ": " + e.getClass().getSimpleName();
        retry = true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return shown + ": interrupted";
      }
      if (!retry) {
        return error;
      }
      if (attempt < ATTEMPTS) {
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return error;
        }
        wait = wait.multipliedBy(2);
      }
    }
    return error + " (after " + ATTEMPTS + " attempts)";
  }

  @PreDestroy
  void close() {
    executor.shutdownNow();
  }
}
