package dev.mooring.canary.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.canary.HookSpec;
import dev.mooring.canary.WebhookResult;
import dev.mooring.controller.Durations;
import dev.mooring.metrics.InsecureTls;
import dev.mooring.model.CanaryAnalysis.Webhook;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Calls a Canary's webhooks as Flagger does: a JSON POST of {@code {name, namespace, phase,
 * checksum, metadata}}; an answer of 202 or below is ok, anything above 202, a timeout or a
 * connection error is a failure.
 *
 * <p>Retries follow Flagger's HTTP client (go-retryablehttp): only connection errors, timeouts, 429
 * and 5xx other than 501 are retried, since a 4xx or a 203 will not change on a second ask. The
 * timeout applies to each attempt.
 *
 * <p>A hook with {@code disableTLS} is called through a second client that accepts any certificate
 * (Flagger's InsecureSkipVerify for that hook); every other hook keeps full verification.
 *
 * <p>Thread-safe; one instance (and its {@link HttpClient}) serves all canaries.
 */
public final class WebhookExecutor {
  /** Flagger's default when a webhook has no (or a too short) {@code timeout}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** Bodies longer than this are never put into a message: they end up in events and status. */
  static final int MAX_ECHOED_BODY = 200;

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
  private static final int BODY_READ_LIMIT = 1024;

  /** A failure on one of these stops the hooks after it: the gate is closed anyway. */
  private static final Set<String> GATING_TYPES =
      Set.of(
          HookSpec.CONFIRM_ROLLOUT,
          HookSpec.PRE_ROLLOUT,
          HookSpec.ROLLOUT,
          HookSpec.CONFIRM_TRAFFIC_INCREASE,
          HookSpec.CONFIRM_PROMOTION);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final Clock clock;
  private final Duration backoff;
  private volatile HttpClient insecure;

  /** An executor with a 200 ms first backoff, doubling up to 2 s. */
  public WebhookExecutor(HttpClient client) {
    this(client, Clock.systemUTC(), Duration.ofMillis(200));
  }

  /**
   * @param clock for the {@code timestamp} of event payloads
   * @param backoff the wait before the first retry; it doubles for each next one, up to 2 s
   */
  public WebhookExecutor(HttpClient client, Clock clock, Duration backoff) {
    this.client = Objects.requireNonNull(client, "client");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  /**
   * POSTs {@code {name, namespace, phase, checksum, metadata}} to the hook's URL, with the hook's
   * {@code timeout} (Go duration, default 10s) per attempt and up to {@code retries} more attempts.
   *
   * @return ok for a status up to 202; otherwise a message naming the status or the error
   */
  public WebhookResult call(HookCall call) {
    return send(call, call.hook().metadata);
  }

  /**
   * Tells an event hook about an event, like Flagger: the hook's metadata plus {@code
   * eventMessage}, {@code eventType} and {@code timestamp} (milliseconds since the epoch), which
   * win over metadata keys of the same name.
   */
  public WebhookResult event(HookCall call, String eventType, String message) {
    Map<String, String> metadata = new LinkedHashMap<>();
    if (call.hook().metadata != null) {
      metadata.putAll(call.hook().metadata);
    }
    metadata.put("eventMessage", message == null ? "" : message);
    metadata.put("eventType", eventType == null ? "" : eventType);
    metadata.put("timestamp", Long.toString(clock.millis()));
    return send(call, metadata);
  }

  /**
   * Calls every webhook of {@code type} (a blank type counts as {@code rollout}) in the order
   * written, and returns one result per hook of that type, so that the state machine sees the type
   * as complete.
   *
   * <p>For gating types (confirm-rollout, pre-rollout, rollout, confirm-traffic-increase,
   * confirm-promotion) the first failure stops the calls; for {@code rollback} the first ok does
   * (one is enough to roll back). Hooks not called get a not-ok result saying why. Post-rollout and
   * event hooks are all called.
   *
   * @param template the canary, phase and checksum for the payload; its hook is ignored
   */
  public List<WebhookResult> runAll(HookCall template, List<Webhook> webhooks, String type) {
    String wanted = typeOf(type);
    List<WebhookResult> results = new ArrayList<>();
    String stoppedBy = null;
    for (Webhook hook : webhooks == null ? List.<Webhook>of() : webhooks) {
      if (!typeOf(hook.type).equals(wanted)) {
        continue;
      }
      if (stoppedBy != null) {
        results.add(new WebhookResult(hook.name, wanted, false, "not called: " + stoppedBy));
        continue;
      }
      WebhookResult result = call(template.withHook(hook));
      results.add(result);
      if (!result.ok() && GATING_TYPES.contains(wanted)) {
        stoppedBy = wanted + " hook " + hook.name + " failed before it";
      } else if (result.ok() && HookSpec.ROLLBACK.equals(wanted)) {
        stoppedBy = "rollback hook " + hook.name + " already asked for a rollback";
      }
    }
    return results;
  }

  private WebhookResult send(HookCall call, Map<String, String> metadata) {
    Webhook hook = call.hook();
    String type = typeOf(hook.type);
    Duration timeout = timeoutOf(hook.timeout);
    if (timeout == null) {
      return failure(
          hook, type, "invalid timeout \"" + hook.timeout + "\" (expected e.g. 30s, 1m)");
    }
    URI uri;
    try {
      uri = URI.create(hook.url == null ? "" : hook.url.strip());
    } catch (IllegalArgumentException e) {
      return failure(hook, type, "invalid url");
    }
    if (uri.getScheme() == null
        || !Set.of("http", "https").contains(uri.getScheme().toLowerCase())
        || uri.getHost() == null) {
      return failure(hook, type, "invalid url " + Redaction.url(uri) + " (expected http or https)");
    }
    byte[] body;
    try {
      body =
          JSON.writeValueAsBytes(
              new WebhookPayload(
                  call.canaryName(), call.namespace(), call.phase(), call.checksum(), metadata));
    } catch (JsonProcessingException e) {
      return failure(hook, type, "cannot write the payload: " + e.getOriginalMessage());
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .version(HttpClient.Version.HTTP_1_1)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpClient http = Boolean.TRUE.equals(hook.disableTLS) ? insecure() : client;
    int attempts = 1 + Math.max(0, hook.retries == null ? 0 : hook.retries);
    Attempt last = null;
    for (int i = 0; i < attempts; i++) {
      if (i > 0 && !sleep(i)) {
        return failure(hook, type, "interrupted before attempt " + (i + 1));
      }
      last = attempt(http, request, timeout, uri);
      if (last.ok() || !last.retryable()) {
        break;
      }
    }
    String message = last.message();
    if (!last.ok() && attempts > 1 && last.retryable()) {
      message = message + " (after " + attempts + " attempts)";
    }
    return new WebhookResult(hook.name, type, last.ok(), message);
  }

  private Attempt attempt(HttpClient http, HttpRequest request, Duration timeout, URI uri) {
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      int status = response.statusCode();
      String said = Redaction.body(readSome(response.body()));
      String message = "HTTP " + status + (said.isEmpty() ? "" : ": " + said);
      boolean retryable = status == 429 || (status >= 500 && status != 501);
      return new Attempt(status >= 200 && status <= 202, retryable, message);
    } catch (HttpTimeoutException e) {
      return new Attempt(
          false, true, "no answer from " + Redaction.url(uri) + " within " + text(timeout));
    } catch (ConnectException e) {
      return new Attempt(false, true, "cannot connect to " + Redaction.url(uri) + ": " + reason(e));
    } catch (IOException e) {
      return new Attempt(false, true, "call to " + Redaction.url(uri) + " failed: " + reason(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Attempt(false, false, "interrupted while calling " + Redaction.url(uri));
    }
  }

  /**
   * The client for hooks with {@code disableTLS}: the shared client's settings, but trusting any
   * certificate and host name. Made on first use, so that only such hooks ever skip verification.
   */
  private HttpClient insecure() {
    HttpClient made = insecure;
    if (made == null) {
      synchronized (this) {
        made = insecure;
        if (made == null) {
          HttpClient.Builder builder =
              HttpClient.newBuilder()
                  .sslContext(InsecureTls.context())
                  .followRedirects(client.followRedirects())
                  .version(client.version());
          client.connectTimeout().ifPresent(builder::connectTimeout);
          made = builder.build();
          insecure = made;
        }
      }
    }
    return made;
  }

  /** Reads the start of the body only: a hook answering megabytes must not cost memory. */
  private static String readSome(InputStream in) throws IOException {
    try (in) {
      return new String(in.readNBytes(BODY_READ_LIMIT), StandardCharsets.UTF_8);
    }
  }

  private boolean sleep(int retry) {
    long millis = Math.min(backoff.toMillis() << Math.min(retry - 1, 20), MAX_BACKOFF.toMillis());
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Flagger treats a timeout shorter than two characters ("", "5") as absent. */
  static Duration timeoutOf(String text) {
    if (text == null || text.strip().length() < 2) {
      return DEFAULT_TIMEOUT;
    }
    Duration parsed = Durations.parse(text, null);
    return parsed == null || parsed.isZero() ? null : parsed;
  }

  private static String typeOf(String type) {
    return type == null || type.isBlank() ? HookSpec.ROLLOUT : type.strip();
  }

  private static WebhookResult failure(Webhook hook, String type, String message) {
    return new WebhookResult(hook.name, type, false, message);
  }

  private static String reason(IOException e) {
    String message = e.getMessage();
    if ((message == null || message.isBlank()) && e.getCause() != null) {
      message = e.getCause().getMessage();
    }
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static String text(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  private record Attempt(boolean ok, boolean retryable, String message) {}
}
