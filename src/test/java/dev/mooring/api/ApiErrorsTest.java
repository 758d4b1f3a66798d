package dev.mooring.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An API that never surprises, on the real API server: typos and type errors are 400s naming the
 * field, every error (400, 404, 405, 413, 414, 500) is the JSON error shape, the limits hold, and
 * concurrent sync requests get one 202 and 409s.
 */
@QuarkusTest
@WithRealKubernetes
class ApiErrorsTest {
  static final String ADMIN = "Bearer admin-token";

  @Inject KubernetesClient client;

  @TestHTTPResource("/")
  URL root;

  String path;

  @BeforeEach
  void app() throws Exception {
    if (client.resources(Application.class).inNamespace("api-errors").withName("web").get()
        != null) {
      path = "/api/v1/applications/api-errors/web";
      return;
    }
    Path tmp = Files.createTempDirectory("mooring-errors");
    GitRepo repo = GitRepo.init(tmp.resolve("repo"));
    repo.write(
            "cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {v: \"1\"}\n")
        .commit("the first settings");
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("api-errors").endMetadata().build())
        .createOr(n -> n.update());
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("api-errors").build());
    app.setSpec(new ApplicationSpec());
    app.getSpec().source = new ApplicationSpec.Source();
    app.getSpec().source.repoURL = repo.url();
    app.getSpec().destination = new ApplicationSpec.Destination();
    app.getSpec().destination.namespace = "api-errors";
    app.getSpec().refreshInterval = "10m";
    client.resource(app).create();
    path = "/api/v1/applications/api-errors/web";
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> given().get(path).jsonPath().getString("status.sync.status") != null);
  }

  private Response post(String suffix, String body) {
    return given()
        .header("Authorization", ADMIN)
        .contentType("application/json")
        .body(body)
        .post(path + suffix);
  }

  private static void assertError(Response r, int status, String error, String inMessage) {
    assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/json");
    assertThat(r.jsonPath().getString("error")).isEqualTo(error);
    assertThat(r.jsonPath().getString("message")).contains(inMessage);
  }

  @Test
  void aTypoInASyncBodyIsA400NamingTheFieldAndNothingRuns() {
    Response r = post("/sync", "{\"dryrun\": true}");
    assertError(r, 400, "BadRequest", "unknown field \"dryrun\"");
    assertThat(r.jsonPath().getString("message")).contains("dryRun");
    assertThat(given().get(path).jsonPath().getMap("operation")).isNull();
    assertThat(given().get(path).jsonPath().getString("status.operationState")).isNull();

    assertError(
        post("/sync", "{\"resources\": [{\"kind\": \"ConfigMap\", \"nam\": \"a\"}]}"),
        400,
        "BadRequest",
        "unknown field \"resources[0].nam\"");
    assertError(post("/rollback", "{\"id\": 1, \"force\": true}"), 400, "BadRequest", "force");
  }

  @Test
  void typeErrorsArraysAndMalformedJsonAreJson400s() {
    assertError(
        post("/sync", "{\"prune\": \"yes\"}"),
        400,
        "BadRequest",
        "\"prune\" must be true or false");
    assertError(
        post("/rollback", "{\"id\": \"three\"}"), 400, "BadRequest", "\"id\" must be a number");
    assertError(post("/sync", "[1, 2]"), 400, "BadRequest", "the body must be an object");
    assertError(post("/sync", "{\"prune\": tru"), 400, "BadRequest", "JSON");
    assertError(
        post("/sync", "{\"resources\": {\"kind\": \"ConfigMap\"}}"),
        400,
        "BadRequest",
        "\"resources\" must be an array");
  }

  @Test
  void limitsOnBodySizeUriLengthAndResourceCountAreJsonErrors() throws Exception {
    // 3 MB of resource references: refused by size before it is parsed, never written
    StringBuilder big = new StringBuilder("{\"resources\": [");
    for (int i = 0; i < 25_000; i++) {
      big.append(i == 0 ? "" : ",")
          .append("{\"kind\": \"ConfigMap\", \"namespace\": \"api-errors\", \"name\": \"cm-")
          .append(i)
          .append("-padding-padding-padding-padding-padding-padding-padding\"}");
    }
    big.append("]}");
    assertThat(big.length()).isGreaterThan(3_000_000);
    assertError(post("/sync", big.toString()), 413, "PayloadTooLarge", "mooring.api.max-body");

    // the same without a Content-Length (chunked): refused while it is read
    HttpRequest chunked =
        HttpRequest.newBuilder(root.toURI().resolve(path.substring(1) + "/sync"))
            .header("Authorization", ADMIN)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> (InputStream) new ByteArrayInputStream(big.toString().getBytes())))
            .build();
    HttpResponse<String> answer =
        HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(413);
    assertThat(answer.body()).contains("\"error\":\"PayloadTooLarge\"");
    assertThat(given().get(path).jsonPath().getMap("operation")).isNull();

    // more resources than a sync may name, in a body under the size limit
    StringBuilder many = new StringBuilder("{\"dryRun\": true, \"resources\": [");
    for (int i = 0; i < 1001; i++) {
      many.append(i == 0 ? "" : ",")
          .append("{\"kind\": \"ConfigMap\", \"name\": \"c")
          .append(i)
          .append("\"}");
    }
    many.append("]}");
    assertError(
        post("/sync", many.toString()), 400, "BadRequest", "mooring.api.max-sync-resources");

    assertError(
        given().queryParam("q", "x".repeat(9000)).get("/api/v1/applications"),
        414,
        "URITooLong",
        "mooring.api.max-uri-length");
  }

  @Test
  void notFoundWrongMethodAndABugAreJsonToo() {
    assertError(given().get("/api/v1/nothing-here"), 404, "NotFound", "");
    assertError(
        given().header("Authorization", ADMIN).put(path + "/sync"), 405, "MethodNotAllowed", "");
    Response bug = given().get("/api/v1/test-only/failure");
    assertError(bug, 500, "InternalError", "the log has error");
    assertThat(bug.asString()).doesNotContain("hunter2");
  }

  @Test
  void aRefreshAnswersWithTheSummary() {
    Response r = given().header("Authorization", ADMIN).post(path + "/refresh");
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.jsonPath().getString("namespace")).isEqualTo("api-errors");
    assertThat(r.jsonPath().getString("name")).isEqualTo("web");
    assertThat(r.jsonPath().getString("sync")).isIn("Synced", "OutOfSync");
    assertThat(r.jsonPath().getString("repo")).startsWith("file:");
  }

  @Test
  void concurrentSyncRequestsGetOne202AndQuick409s() throws Exception {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                given().get(path).jsonPath().getMap("operation") == null
                    && !"Running"
                        .equals(
                            given().get(path).jsonPath().getString("status.operationState.phase")));
    int n = 20;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<long[]>> answers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      answers.add(
          pool.submit(
              () -> {
                start.await();
                long t = System.nanoTime();
                int code = post("/sync", "{}").statusCode();
                return new long[] {code, (System.nanoTime() - t) / 1_000_000};
              }));
    }
    start.countDown();
    int accepted = 0;
    int conflicts = 0;
    long slowest = 0;
    for (Future<long[]> f : answers) {
      long[] a = f.get();
      accepted += a[0] == 202 ? 1 : 0;
      conflicts += a[0] == 409 ? 1 : 0;
      slowest = Math.max(slowest, a[1]);
    }
    pool.shutdown();
    System.out.printf(
        "20 concurrent sync requests: %d x 202, %d x 409, slowest %d ms%n",
        accepted, conflicts, slowest);
    assertThat(accepted).isEqualTo(1);
    assertThat(conflicts).isEqualTo(n - 1);
    CompletableFuture.runAsync(() -> {}).join();
  }
}
