package dev.mooring.canary.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Posts alert payloads as JSON, as Flagger's notifier does: one attempt, a 5 s timeout by default,
 * through the provider's HTTP proxy if it names one, with a bearer token if it has one. Any 2xx is
 * delivered; Slack's Web API (a bot token) also answers errors with a 200, so its {@code "ok":
 * false} is a failure too.
 *
 * <p>Error messages name the address by its host only and never carry the token: a Slack or Teams
 * webhook URL lets anyone who has it post. Thread-safe; one {@link HttpClient} per proxy.
 */
public final class AlertSender {
  /** Flagger's timeout for one notification. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private static final int BODY_READ_LIMIT = 1024;
  private static final int MAX_ECHOED_BODY = 200;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DIRECT = "";

  private final Duration timeout;
  private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

  public AlertSender() {
    this(DEFAULT_TIMEOUT);
  }

  /**
   * @param timeout for connecting and, again, for the whole answer
   */
  public AlertSender(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** Posts the body; empty when delivered, else why not. */
  public Optional<String> post(Destination to, JsonNode body) {
    HttpClient client;
    try {
      client = client(to.proxy());
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(to.address())
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    if (to.token() != null) {
      request.header("Authorization", "Bearer " + to.token());
    }
    try {
      HttpResponse<InputStream> answer =
          client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      String text = read(answer.body());
      if (answer.statusCode() / 100 != 2) {
        return Optional.of(
            scrub(to, "HTTP " + answer.statusCode() + echo(text) + " from " + to.endpoint()));
      }
      return to.slackApi() ? slackApiError(to, text) : Optional.empty();
    } catch (HttpTimeoutException e) {
      return Optional.of("no answer from " + to.endpoint() + " within " + seconds(timeout));
    } catch (ConnectException e) {
      return Optional.of("cannot connect to " + to.endpoint() + via(to) + reason(to, e));
    } catch (IOException e) {
      return Optional.of("posting to " + to.endpoint() + via(to) + " failed" + reason(to, e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while posting to " + to.endpoint());
    }
  }

  /** The client for a proxy URL (null: direct); a bad proxy is an IllegalArgumentException. */
  private HttpClient client(String proxy) {
    String key = proxy == null ? DIRECT : proxy;
    HttpClient existing = clients.get(key);
    if (existing != null) {
      return existing;
    }
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(
                proxy == null
                    ? HttpClient.Builder.NO_PROXY
                    : ProxySelector.of(proxyAddress(proxy)));
    return clients.computeIfAbsent(key, k -> builder.build());
  }

  /**
   * {@code http://host:port} or {@code host:port} (Flagger's examples write both); the proxy is
   * spoken to in plain HTTP, so an {@code https://} proxy or one with credentials is refused rather
   * than used differently than written.
   */
  static InetSocketAddress proxyAddress(String proxy) {
    String written = proxy.contains("://") ? proxy : "http://" + proxy;
    URI uri;
    try {
      uri = new URI(written);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the proxy is not a URL");
    }
    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("the proxy must be an http://host:port URL");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("proxy credentials are not supported");
    }
    return InetSocketAddress.createUnresolved(
        uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort());
  }

  private static Optional<String> slackApiError(Destination to, String text) {
    JsonNode answer;
    try {
      answer = JSON.readTree(text);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (answer != null && answer.path("ok").isBoolean() && !answer.path("ok").asBoolean()) {
      String error = answer.path("error").asText("");
      return Optional.of(
          scrub(to, "Slack API at " + to.endpoint() + " answered ok=false: " + error));
    }
    return Optional.empty();
  }

  private static String read(InputStream body) throws IOException {
    try (InputStream in = body) {
      return new String(in.readNBytes(BODY_READ_LIMIT), StandardCharsets.UTF_8);
    }
  }

  /** A short one-line answer is worth showing (Slack says "invalid_token"); a page is not. */
  private static String echo(String text) {
    String line = text.replaceAll("\\p{Cntrl}+", " ").strip();
    return line.isEmpty() || line.length() > MAX_ECHOED_BODY ? "" : ": " + line;
  }

  private static String via(Destination to) {
    return to.proxy() == null ? "" : " through the proxy";
  }

  private static String reason(Destination to, IOException e) {
    Throwable t = e;
    while (t.getMessage() == null && t.getCause() != null) {
      t = t.getCause();
    }
    String why = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return ": " + scrub(to, why);
  }

  /** Takes the address's path and query and the token out of a text from elsewhere. */
  static String scrub(Destination to, String text) {
    String out = text;
    for (String secret :
        new String[] {
          to.address().toString(),
          to.address().getRawPath(),
          to.address().getRawQuery(),
          to.token(),
          to.proxy()
        }) {
      if (secret != null && secret.length() > 1) {
        out = out.replace(secret, "…");
      }
    }
    return out;
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
