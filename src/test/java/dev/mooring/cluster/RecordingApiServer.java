package dev.mooring.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in API server that records every request and answers 200 with the request body as JSON
 * (or with {@link #respond canned} JSON), so that tests can read exactly what the client sent.
 */
public final class RecordingApiServer implements AutoCloseable {

  /** One request as it arrived; query is URL-decoded. */
  public record Recorded(
      String method, String path, String query, String contentType, String body) {}

  private record Canned(int status, String json) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private final HttpServer server;
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile String canned;
  private final Map<String, Canned> byMethod = new ConcurrentHashMap<>();

  public RecordingApiServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  /** From now on answer with this status and JSON body instead of echoing the request. */
  public void respond(int status, String json) {
    this.status = status;
    this.canned = json;
  }

  /** From now on answer requests of this method (GET, POST...) with this status and JSON body. */
  public void respond(String method, int status, String json) {
    byMethod.put(method, new Canned(status, json));
  }

  public List<Recorded> requests() {
    return List.copyOf(requests);
  }

  public Recorded only() {
    if (requests.size() != 1) {
      throw new AssertionError("expected one request, got " + requests);
    }
    return requests.get(0);
  }

  public KubernetesClient client() {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .withRequestRetryBackoffLimit(0)
                .build())
        .build();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String rawQuery = exchange.getRequestURI().getRawQuery();
      requests.add(
          new Recorded(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              rawQuery == null ? "" : URLDecoder.decode(rawQuery, StandardCharsets.UTF_8),
              exchange.getRequestHeaders().getFirst("Content-Type"),
              body));
      Canned forMethod = byMethod.get(exchange.getRequestMethod());
      String answer = forMethod != null ? forMethod.json() : canned != null ? canned : echo(body);
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(forMethod != null ? forMethod.status() : status, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  private static String echo(String body) throws IOException {
    if (body.isBlank()) {
      return "{}";
    }
    JsonNode tree = YAML.readTree(body); // YAML is a superset of JSON: reads either
    return JSON.writeValueAsString(tree);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
