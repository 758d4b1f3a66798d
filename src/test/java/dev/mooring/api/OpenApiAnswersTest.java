package dev.mooring.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryService;
import dev.mooring.model.CanarySpec;
import dev.mooring.model.Pipeline;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.Hmac;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document matches what the API answers: every documented operation is called (good and
 * bad requests), every answer's status is documented for it, and every JSON body validates against
 * the schema documented for that status (no undocumented field, no wrong type).
 */
@QuarkusTest
@WithRealKubernetes
class OpenApiAnswersTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = "Bearer admin-token";

  @Inject KubernetesClient client;

  JsonNode doc;
  final Set<String> called = new TreeSet<>();
  final List<String> problems = new ArrayList<>();

  private void namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(n -> n.update());
  }

  /** One call: its documented operation, and the request. */
  private void call(String method, String template, String path, String token, String body) {
    RequestSpecification request = given().urlEncodingEnabled(false);
    if (token != null) {
      request = request.header("Authorization", token);
    }
    if (body != null) {
      request = request.contentType("application/json").body(body);
    }
    Response r = request.request(method, path);
    String op = method.toUpperCase() + " " + template;
    called.add(op);
    JsonNode operation = doc.path("paths").path(template).path(method.toLowerCase());
    if (operation.isMissingNode()) {
      problems.add(op + ": not in the document");
      return;
    }
    String status = String.valueOf(r.statusCode());
    JsonNode response = operation.path("responses").path(status);
    if (response.isMissingNode()) {
      problems.add(
          op + " (" + path + "): answered " + status + ", not documented: " + r.asString());
      return;
    }
    String text = r.asString();
    if (text.isEmpty()) {
      return;
    }
    JsonNode schema = response.path("content").path("application/json").path("schema");
    if (schema.isMissingNode()) {
      problems.add(op + ": " + status + " has a JSON body but no documented schema: " + text);
      return;
    }
    try {
      validate(JSON.readTree(text), schema, op + " " + status + " $", new LinkedHashSet<>());
    } catch (Exception e) {
      problems.add(op + ": " + status + " body is not JSON: " + text);
    }
  }

  private JsonNode resolve(JsonNode schema) {
    while (schema.has("$ref")) {
      String ref = schema.get("$ref").asText();
      schema = doc.at(ref.substring(1));
    }
    return schema;
  }

  private void validate(JsonNode value, JsonNode schemaRef, String where, Set<String> seen) {
    JsonNode schema = resolve(schemaRef);
    if (value.isNull()) {
      return; // nullable or absent: the document does not say more
    }
    for (String combinator : new String[] {"allOf", "anyOf", "oneOf"}) {
      if (schema.has(combinator)) {
        for (JsonNode part : schema.get(combinator)) {
          validate(value, part, where, seen);
        }
        return;
      }
    }
    List<String> types = new ArrayList<>();
    JsonNode type = schema.path("type");
    if (type.isArray()) {
      type.forEach(t -> types.add(t.asText()));
    } else if (type.isTextual()) {
      types.add(type.asText());
    }
    if (types.isEmpty() && schema.has("properties")) {
      types.add("object");
    }
    if (types.isEmpty()) {
      return; // any value
    }
    String actual =
        value.isObject()
            ? "object"
            : value.isArray()
                ? "array"
                : value.isTextual()
                    ? "string"
                    : value.isBoolean()
                        ? "boolean"
                        : value.isIntegralNumber() ? "integer" : "number";
    boolean ok =
        types.contains(actual)
            || ("integer".equals(actual) && types.contains("number"))
            || types.contains("null") && value.isNull();
    if (!ok) {
      problems.add(where + ": " + actual + " where the document says " + types);
      return;
    }
    if (value.isObject()) {
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.path("additionalProperties");
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (properties.has(field.getKey())) {
          validate(
              field.getValue(), properties.get(field.getKey()), where + "." + field.getKey(), seen);
        } else if (additional.isObject()) {
          validate(field.getValue(), additional, where + "." + field.getKey(), seen);
        } else if (!additional.asBoolean(false)) {
          problems.add(where + ": field " + field.getKey() + " is not documented");
        }
      }
    } else if (value.isArray() && schema.has("items")) {
      int i = 0;
      for (JsonNode item : value) {
        if (i++ < 3) {
          validate(item, schema.get("items"), where + "[" + (i - 1) + "]", seen);
        }
      }
    }
  }

  @Test
  void everyEndpointAnswersAsTheDocumentSays() throws Exception {
    doc = JSON.readTree(given().queryParam("format", "json").get("/q/openapi").asString());
    namespace("oas");
    Path tmp = Files.createTempDirectory("mooring-oas");
    GitRepo repo = GitRepo.init(tmp.resolve("repo"));
    repo.write(
            "base/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {v: \"1\"}\n")
        .write("base/kustomization.yaml", "resources: [cm.yaml]\n");
    String c1 = repo.commit("one");
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("oas").build());
    app.setSpec(new ApplicationSpec());
    app.getSpec().source = new ApplicationSpec.Source();
    app.getSpec().source.repoURL = repo.url();
    app.getSpec().source.path = "base";
    app.getSpec().destination = new ApplicationSpec.Destination();
    app.getSpec().destination.namespace = "oas";
    app.getSpec().refreshInterval = "10m";
    client.resource(app).create();
    Canary canary = new Canary();
    canary.setMetadata(new ObjectMetaBuilder().withName("podinfo").withNamespace("oas").build());
    canary.setSpec(new CanarySpec());
    canary.getSpec().targetRef = new CanarySpec.ObjectRef("apps/v1", "Deployment", "podinfo");
    canary.getSpec().service = new CanaryService();
    canary.getSpec().service.port = 80;
    client.resource(canary).create();
    client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: mooring.dev/v1alpha1
                kind: Pipeline
                metadata: {name: shop, namespace: oas}
                spec:
                  source: {repoURL: %s, targetRevision: main}
                  stages:
                  - {name: dev, application: shop-dev}
                """
                    .formatted(repo.url()),
                Pipeline.class))
        .create();
    String apps = "/api/v1/applications/{namespace}/{name}";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                given()
                        .get("/api/v1/applications/oas/web")
                        .jsonPath()
                        .getString("status.sync.status")
                    != null);

    call("GET", "/api/v1/applications", "/api/v1/applications", null, null);
    call("GET", apps, "/api/v1/applications/oas/web", null, null);
    call("GET", apps, "/api/v1/applications/oas/nothing", null, null);
    call("GET", apps + "/diff", "/api/v1/applications/oas/web/diff", null, null);
    call("GET", apps + "/resources", "/api/v1/applications/oas/web/resources", null, null);
    call("GET", apps + "/events", "/api/v1/applications/oas/web/events", null, null);
    call("POST", apps + "/sync", "/api/v1/applications/oas/web/sync", ADMIN, "{\"dryRun\": true}");
    call("POST", apps + "/sync", "/api/v1/applications/oas/web/sync", ADMIN, "{\"dryrun\": true}");
    call("POST", apps + "/sync", "/api/v1/applications/oas/web/sync", null, "{}");
    call("POST", apps + "/sync", "/api/v1/applications/oas/web/sync", "Bearer viewer-token", "{}");
    call("POST", apps + "/sync", "/api/v1/applications/oas/web/sync", ADMIN, "{}");
    call("POST", apps + "/sync", "/api/v1/applications/oas/web/sync", ADMIN, "{}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                given().get("/api/v1/applications/oas/web/history").jsonPath().getList("$").size()
                    == 1);
    call("GET", apps + "/history", "/api/v1/applications/oas/web/history", null, null);
    call("POST", apps + "/refresh", "/api/v1/applications/oas/web/refresh", ADMIN, null);
    call("POST", apps + "/rollback", "/api/v1/applications/oas/web/rollback", ADMIN, "{\"id\": 1}");
    call(
        "POST", apps + "/rollback", "/api/v1/applications/oas/web/rollback", ADMIN, "{\"id\": 99}");
    call("DELETE", apps + "/operation", "/api/v1/applications/oas/web/operation", ADMIN, null);
    call("GET", "/api/v1/applications", "/api/v1/applications?q=" + "x".repeat(9000), null, null);

    call("GET", "/api/v1/canaries", "/api/v1/canaries", null, null);
    call("GET", "/api/v1/canaries/{namespace}/{name}", "/api/v1/canaries/oas/podinfo", null, null);
    call("GET", "/api/v1/canaries/{namespace}/{name}", "/api/v1/canaries/oas/none", null, null);
    call(
        "GET",
        "/api/v1/canaries/{namespace}/{name}/events",
        "/api/v1/canaries/oas/podinfo/events",
        null,
        null);

    String pipes = "/api/v1/pipelines/{namespace}/{name}";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> given().get("/api/v1/pipelines/oas/shop").statusCode() == 200);
    call("GET", "/api/v1/pipelines", "/api/v1/pipelines", null, null);
    call("GET", pipes, "/api/v1/pipelines/oas/shop", null, null);
    call("GET", pipes + "/events", "/api/v1/pipelines/oas/shop/events", null, null);
    call(
        "POST",
        pipes + "/stages/{stage}/approvals",
        "/api/v1/pipelines/oas/shop/stages/dev/approvals",
        "Bearer alice-token",
        "{\"revision\": \"" + c1 + "\"}");
    call(
        "POST",
        pipes + "/stages/{stage}/approvals",
        "/api/v1/pipelines/oas/shop/stages/dev/approvals",
        "Bearer alice-token",
        "{\"revison\": \"x\"}");
    call(
        "POST",
        pipes + "/stages/{stage}/rejections",
        "/api/v1/pipelines/oas/shop/stages/dev/rejections",
        "Bearer alice-token",
        "{\"revision\": \"" + c1 + "\"}");
    call(
        "DELETE",
        pipes + "/quarantine/{revision}",
        "/api/v1/pipelines/oas/shop/quarantine/" + c1,
        ADMIN,
        null);

    String body =
        "{\"repoURL\": \""
            + repo.url()
            + "\", \"ref\": \"refs/heads/main\", \"after\": \""
            + c1
            + "\"}";
    call("POST", "/api/webhook", "/api/webhook", null, body);
    Response signed =
        given()
            .header(
                "X-Mooring-Signature",
                "sha256="
                    + Hmac.sha256Hex(
                        "hunter2-Webhook-Key-7f3a",
                        body.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .contentType("application/json")
            .body(body)
            .post("/api/webhook");
    assertThat(signed.statusCode()).isIn(200, 202);
    called.add(
        "GET /api/v1/events"); // a stream: its answer is text/event-stream, see EventsResource

    Set<String> documented = new TreeSet<>();
    doc.path("paths")
        .fields()
        .forEachRemaining(
            p -> {
              if (p.getKey().startsWith("/api")) {
                p.getValue()
                    .fieldNames()
                    .forEachRemaining(m -> documented.add(m.toUpperCase() + " " + p.getKey()));
              }
            });
    documented.remove("GET /api/v1/test-only/failure");
    assertThat(called).as("every documented operation is called").containsAll(documented);
    assertThat(problems).as("answers that do not match the document").isEmpty();
  }
}
