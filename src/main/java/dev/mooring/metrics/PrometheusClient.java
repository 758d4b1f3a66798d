package dev.mooring.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Runs PromQL instant queries over Prometheus' HTTP API ({@code GET /api/v1/query}) and reduces the
 * answer to one number, as Flagger's Prometheus provider does, with the endpoint's extra headers
 * (e.g. {@code X-Scope-OrgID} for a multi-tenant Mimir or Thanos) on every request.
 */
public final class PrometheusClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY_IN_MESSAGE = 300;

  private final PrometheusEndpoint endpoint;
  private final String base;
  private final HttpClient http;

  public PrometheusClient(PrometheusEndpoint endpoint) {
    this.endpoint = endpoint;
    String address = endpoint.address().strip();
    this.base = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(endpoint.timeout())
            .followRedirects(HttpClient.Redirect.NORMAL);
    if (endpoint.insecureSkipVerify()) {
      builder.sslContext(InsecureTls.context());
    }
    this.http = builder.build();
  }

  public PrometheusEndpoint endpoint() {
    return endpoint;
  }

  /**
   * Runs an instant query.
   *
   * @return the value of the single series or of the scalar (may be NaN or infinite), or empty when
   *     the query matched no series
   * @throws MetricException on an unreachable server, a timeout, an HTTP or Prometheus error, an
   *     answer that is not JSON, or more than one series
   */
  public OptionalDouble query(String promql) throws MetricException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    base
                        + "/api/v1/query?query="
                        + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
            .timeout(endpoint.timeout())
            .header("Accept", "application/json")
            .GET();
    for (Map.Entry<String, List<String>> header : endpoint.headers().entrySet()) {
      for (String value : header.getValue()) {
        try {
          request.header(header.getKey(), value);
        } catch (IllegalArgumentException e) {
          // the JDK refuses some names (Host, Connection, ...) and control characters; the
          // message names the header only, its value may be a secret
          throw new MetricException(
              "header \"" + header.getKey() + "\" of the metric provider cannot be sent");
        }
      }
    }
    if (endpoint.hasBearerToken()) {
      request.setHeader("Authorization", "Bearer " + endpoint.bearerToken());
    } else if (endpoint.hasBasicAuth()) {
      String pair = endpoint.username() + ":" + endpoint.password();
      request.setHeader(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new MetricException(
          "Prometheus at " + base + " did not answer within " + endpoint.timeout(), e);
    } catch (IOException e) {
      throw new MetricException("Prometheus at " + base + " is unreachable: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetricException("interrupted while querying Prometheus at " + base, e);
    }
    return PrometheusResponse.value(base, response.statusCode(), response.body());
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  static String abbreviate(String body) {
    if (body == null) {
      return "";
    }
    String flat = body.strip().replaceAll("\\s+", " ");
    return flat.length() <= MAX_BODY_IN_MESSAGE
        ? flat
        : flat.substring(0, MAX_BODY_IN_MESSAGE) + "...";
  }

  static ObjectMapper json() {
    return JSON;
  }

  /** Parses {@code {"status":..., "data":{"resultType":..., "result":...}}}. */
  static final class PrometheusResponse {
    private PrometheusResponse() {}

    static OptionalDouble value(String base, int status, String body) throws MetricException {
      JsonNode root;
      try {
        root = JSON.readTree(body == null ? "" : body);
      } catch (IOException e) {
        root = null;
      }
      if (status / 100 != 2) {
        String detail =
            root != null && root.hasNonNull("error")
                ? root.path("errorType").asText("error") + ": " + root.get("error").asText()
                : abbreviate(body);
        throw new MetricException(
            "Prometheus at "
                + base
                + " answered HTTP "
                + status
                + (detail.isEmpty() ? "" : ": " + detail));
      }
      if (root == null || !root.isObject()) {
        throw new MetricException(
            "Prometheus at "
                + base
                + " answered something that is not a query result: "
                + abbreviate(body));
      }
      if (!"success".equals(root.path("status").asText())) {
        throw new MetricException(
            "Prometheus at "
                + base
                + " reported "
                + root.path("errorType").asText("an error")
                + ": "
                + root.path("error").asText(abbreviate(body)));
      }
      JsonNode data = root.path("data");
      String type = data.path("resultType").asText();
      JsonNode result = data.path("result");
      switch (type) {
        case "scalar":
          return OptionalDouble.of(sample(base, result));
        case "vector":
          if (!result.isArray()) {
            throw malformed(base, body);
          }
          if (result.isEmpty()) {
            return OptionalDouble.empty();
          }
          if (result.size() > 1) {
            throw new MetricException(
                "query returned "
                    + result.size()
                    + " series, e.g. "
                    + result.get(0).path("metric")
                    + " and "
                    + result.get(1).path("metric")
                    + "; aggregate it to a single value, e.g. with sum(...)");
          }
          return OptionalDouble.of(sample(base, result.get(0).path("value")));
        default:
          throw new MetricException(
              "query returned a "
                  + (type.isEmpty() ? "malformed result" : type)
                  + " where a single number was expected: "
                  + abbreviate(body));
      }
    }

    // A sample is [unixTime, "value"]; Prometheus writes NaN and infinities as strings.
    private static double sample(String base, JsonNode pair) throws MetricException {
      if (!pair.isArray() || pair.size() != 2) {
        throw malformed(base, pair.toString());
      }
      String text = pair.get(1).asText();
      switch (text) {
        case "NaN":
          return Double.NaN;
        case "+Inf":
        case "Inf":
          return Double.POSITIVE_INFINITY;
        case "-Inf":
          return Double.NEGATIVE_INFINITY;
        default:
          try {
            return Double.parseDouble(text);
          } catch (NumberFormatException e) {
            throw malformed(base, pair.toString());
          }
      }
    }

    private static MetricException malformed(String base, String body) {
      return new MetricException(
          "Prometheus at " + base + " answered a malformed query result: " + abbreviate(body));
    }
  }
}
