package dev.mooring.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.testing.AuditLog;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.RealApiServer;
import dev.mooring.testing.RealKubernetes;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST API of the contract, against the mock API server and real Git repositories. */
@QuarkusTest
@WithRealKubernetes
class ApplicationsApiTest {
  static final String ADMIN = "Bearer admin-token";
  static final String VIEWER = "Bearer viewer-token";

  @RealKubernetes RealApiServer kube;
  @Inject KubernetesClient client;

  @TestHTTPResource("/api/v1/events")
  URL events;

  Path tmp;

  @BeforeEach
  void setUp() throws Exception {
    tmp = Files.createTempDirectory("mooring-api");
  }

  static String configMap(String name, String value) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "
        + name
        + "}\ndata: {v: \""
        + value
        + "\"}\n";
  }

  private String manualApp(String ns, GitRepo repo) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .createOr(n -> n.update());
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace(ns).build());
    ApplicationSpec spec = new ApplicationSpec();
    spec.source = new ApplicationSpec.Source();
    spec.source.repoURL = repo.url();
    spec.destination = new ApplicationSpec.Destination();
    spec.destination.namespace = ns;
    spec.refreshInterval = "1s";
    app.setSpec(spec);
    client.resource(app).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              Response r = given().get("/api/v1/applications/" + ns + "/web");
              return r.statusCode() == 200 && r.jsonPath().getString("status.sync.status") != null;
            });
    return "/api/v1/applications/" + ns + "/web";
  }

  private Response sync(String path, String body) {
    return given()
        .header("Authorization", ADMIN)
        .contentType("application/json")
        .body(body)
        .post(path + "/sync");
  }

  private void awaitSynced(String path, String revision) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              Response r = given().get(path);
              return "Synced".equals(r.jsonPath().getString("status.sync.status"))
                  && revision.equals(
                      r.jsonPath().getString("status.operationState.syncResult.revision"))
                  && r.jsonPath().get("operation") == null;
            });
  }

  @Test
  void listAndGetShowRepoRevisionSyncAndHealthAndUnknownAppsAre404() {
    GitRepo repo = GitRepo.init(tmp.resolve("list"));
    repo.write("cm.yaml", configMap("a", "1")).commit("one");
    String path = manualApp("api-list", repo);

    List<Map<String, Object>> list = given().get("/api/v1/applications").jsonPath().getList("$");
    assertThat(list)
        .anySatisfy(
            a -> {
              assertThat(a)
                  .containsEntry("namespace", "api-list")
                  .containsEntry("name", "web")
                  .containsEntry("repo", repo.url())
                  .containsEntry("sync", "OutOfSync");
              assertThat(a).containsKey("health");
            });
    assertThat(given().get(path).jsonPath().getString("spec.source.repoURL")).isEqualTo(repo.url());

    Response missing = given().get("/api/v1/applications/nope/nothing");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.jsonPath().getString("error")).isEqualTo("NotFound");
    assertThat(missing.jsonPath().getString("message")).contains("nope/nothing");
  }

  @Test
  void aSyncIsAcceptedRunByTheControllerAndRecordedWithTheTokenName() {
    GitRepo repo = GitRepo.init(tmp.resolve("sync"));
    String sha = repo.write("cm.yaml", configMap("a", "1")).commit("one");
    String path = manualApp("api-sync", repo);

    Response accepted = sync(path, "{\"prune\": true}");
    assertThat(accepted.statusCode()).isEqualTo(202);
    assertThat(accepted.jsonPath().getString("operation.initiatedBy.username")).isEqualTo("admin");

    awaitSynced(path, sha);
    assertThat(client.configMaps().inNamespace("api-sync").withName("a").get()).isNotNull();
    assertThat(given().get(path + "/history").jsonPath().getList("initiatedBy"))
        .containsExactly("admin");
    assertThat(given().get(path + "/resources").jsonPath().getList("name")).containsExactly("a");
  }

  @Test
  void aSecondSyncWhileOneRunsGets409AndTheRunningOneCanBeTerminated() {
    GitRepo repo = GitRepo.init(tmp.resolve("conflict"));
    // the mock runs no pods: the Deployment of wave 0 never becomes healthy, so the sync waits
    repo.write(
            "deploy.yaml",
            String.join(
                "\n",
                "apiVersion: apps/v1",
                "kind: Deployment",
                "metadata: {name: web}",
                "spec:",
                "  selector: {matchLabels: {app: web}}",
                "  template:",
                "    metadata: {labels: {app: web}}",
                "    spec: {containers: [{name: web, image: nginx}]}",
                ""))
        .write(
            "cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: later\n"
                + "  annotations: {mooring.dev/sync-wave: \"1\"}\ndata: {v: \"1\"}\n")
        .commit("two waves");
    String path = manualApp("api-conflict", repo);

    assertThat(sync(path, "{}").statusCode()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "Running"
                    .equals(given().get(path).jsonPath().getString("status.operationState.phase")));
    Response second = sync(path, "{}");
    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(second.jsonPath().getString("error")).isEqualTo("Conflict");

    assertThat(given().header("Authorization", ADMIN).delete(path + "/operation").statusCode())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "Terminated"
                    .equals(given().get(path).jsonPath().getString("status.operationState.phase")));
    assertThat(client.configMaps().inNamespace("api-conflict").withName("later").get()).isNull();
  }

  @Test
  void aDryRunReturnsThePlanAndWritesNothing() throws Exception {
    GitRepo repo = GitRepo.init(tmp.resolve("dry"));
    repo.write("cm.yaml", configMap("a", "1") + "---\n" + configMap("b", "2")).commit("one");
    String path = manualApp("api-dry", repo);
    long mark = kube.audit().mark();

    Response plan = sync(path, "{\"dryRun\": true, \"prune\": true}");

    assertThat(plan.statusCode()).isEqualTo(200);
    assertThat(plan.jsonPath().getList("resources.action")).containsOnly("created");
    assertThat(plan.jsonPath().getList("resources.name")).containsExactlyInAnyOrder("a", "b");
    Thread.sleep(500);
    List<AuditLog.Entry> writes =
        kube.audit()
            .since(
                mark,
                e ->
                    e.write()
                        && "api-dry".equals(e.namespace())
                        && !"events".equals(e.resource())
                        && !"applications".equals(e.resource()));
    assertThat(writes).as("only server-side dry runs").allMatch(AuditLog.Entry::dryRun);
    assertThat(client.configMaps().inNamespace("api-dry").withName("a").get()).isNull();
  }

  @Test
  void theDiffShowsDesiredLiveAndAUnifiedDiffWithSecretValuesMasked() {
    GitRepo repo = GitRepo.init(tmp.resolve("diff"));
    repo.write("cm.yaml", configMap("a", "1"))
        .write(
            "secret.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {password: c2VjcmV0LXZhbHVl}\n")
        .commit("one");
    String path = manualApp("api-diff", repo);
    String sha = given().get(path).jsonPath().getString("status.sync.revision");
    sync(path, "{}");
    awaitSynced(path, sha);
    client
        .configMaps()
        .inNamespace("api-diff")
        .withName("a")
        .edit(
            c -> {
              c.getData().put("v", "changed");
              return c;
            });
    client
        .secrets()
        .inNamespace("api-diff")
        .withName("s")
        .edit(
            s -> {
              s.getData().put("password", "b3RoZXItc2VjcmV0");
              return s;
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> "OutOfSync".equals(given().get(path).jsonPath().getString("status.sync.status")));

    Response diff = given().get(path + "/diff");
    assertThat(diff.statusCode()).isEqualTo(200);
    String text = diff.asString();
    assertThat(text).doesNotContain("c2VjcmV0LXZhbHVl").doesNotContain("b3RoZXItc2VjcmV0");
    List<Map<String, Object>> resources = diff.jsonPath().getList("resources");
    assertThat(resources)
        .anySatisfy(
            r -> {
              assertThat(r).containsEntry("name", "a").containsEntry("status", "OutOfSync");
              assertThat((String) r.get("diff")).contains("-  v: changed").contains("+  v: \"1\"");
            });
  }

  @Test
  void rollbackSyncsAHistoryEntryAndIsRefusedWhileAutomated() {
    GitRepo repo = GitRepo.init(tmp.resolve("rollback"));
    String first = repo.write("cm.yaml", configMap("a", "first")).commit("one");
    String path = manualApp("api-rollback", repo);
    sync(path, "{}");
    awaitSynced(path, first);
    String second = repo.write("cm.yaml", configMap("a", "second")).commit("two");
    given().header("Authorization", ADMIN).post(path + "/refresh").then().statusCode(202);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> second.equals(given().get(path).jsonPath().getString("status.sync.revision")));
    sync(path, "{}");
    awaitSynced(path, second);
    assertThat(given().get(path + "/history").jsonPath().getList("revision"))
        .containsExactly(first, second);

    Response rollback =
        given()
            .header("Authorization", ADMIN)
            .contentType("application/json")
            .body("{\"id\": 1}")
            .post(path + "/rollback");
    assertThat(rollback.statusCode()).isEqualTo(202);
    // after a rollback the app is OutOfSync with its target revision, as in Argo CD
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                first.equals(
                        given()
                            .get(path)
                            .jsonPath()
                            .getString("status.operationState.syncResult.revision"))
                    && "Succeeded"
                        .equals(
                            given().get(path).jsonPath().getString("status.operationState.phase")));
    assertThat(client.configMaps().inNamespace("api-rollback").withName("a").get().getData())
        .containsEntry("v", "first");

    client
        .resources(Application.class)
        .inNamespace("api-rollback")
        .withName("web")
        .edit(
            a -> {
              a.getSpec().syncPolicy = new ApplicationSpec.SyncPolicy();
              a.getSpec().syncPolicy.automated = new ApplicationSpec.Automated();
              return a;
            });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> given().get(path).jsonPath().get("spec.syncPolicy.automated") != null);
    Response refused =
        given()
            .header("Authorization", ADMIN)
            .contentType("application/json")
            .body("{\"id\": 1}")
            .post(path + "/rollback");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.jsonPath().getString("message")).contains("automated");
    Response missing =
        given()
            .header("Authorization", ADMIN)
            .contentType("application/json")
            .body("{}")
            .post(path + "/rollback");
    assertThat(missing.statusCode()).isEqualTo(400);
  }

  @Test
  void terminatingWithoutARunningOperationGets409() {
    GitRepo repo = GitRepo.init(tmp.resolve("terminate"));
    repo.write("cm.yaml", configMap("a", "1")).commit("one");
    String path = manualApp("api-terminate", repo);
    Response r = given().header("Authorization", ADMIN).delete(path + "/operation");
    assertThat(r.statusCode()).isEqualTo(409);
  }

  @Test
  void tokensDecideWhoMayReadAndWrite() {
    GitRepo repo = GitRepo.init(tmp.resolve("tokens"));
    repo.write("cm.yaml", configMap("a", "1")).commit("one");
    String path = manualApp("api-tokens", repo);

    assertThat(given().get(path).statusCode()).isEqualTo(200); // anonymous may read
    assertThat(given().header("Authorization", VIEWER).get(path).statusCode()).isEqualTo(200);
    assertThat(given().contentType("application/json").body("{}").post(path + "/sync").statusCode())
        .isEqualTo(401);
    Response readOnly =
        given()
            .header("Authorization", VIEWER)
            .contentType("application/json")
            .body("{}")
            .post(path + "/sync");
    assertThat(readOnly.statusCode()).isEqualTo(403);
    assertThat(readOnly.jsonPath().getString("error")).isEqualTo("Forbidden");
    assertThat(given().header("Authorization", "Bearer wrong").get(path).statusCode())
        .isEqualTo(401);
    assertThat(given().header("Authorization", "Bearer wrong").get(path).asString())
        .doesNotContain("admin-token")
        .doesNotContain("viewer-token");
  }

  @Test
  void theEventStreamDeliversASyncWithinASecond() throws Exception {
    GitRepo repo = GitRepo.init(tmp.resolve("sse"));
    repo.write("cm.yaml", configMap("a", "1")).commit("one");
    String path = manualApp("api-sse", repo);
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<java.io.InputStream> stream =
        http.send(
            HttpRequest.newBuilder(URI.create(events.toString()))
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    CompletableFuture<String> seen =
        CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader reader =
                  new BufferedReader(
                      new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  if (line.startsWith("data:")
                      && line.contains("api-sse")
                      && line.contains("\"operationPhase\":\"Succeeded\"")
                      && line.contains("\"sync\":\"Synced\"")) {
                    return line;
                  }
                }
              } catch (Exception e) {
                return null;
              }
              return null;
            });
    Thread.sleep(200);
    long start = System.nanoTime();
    sync(path, "{}");
    String event = seen.get(10, TimeUnit.SECONDS);
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(event).contains("\"sync\":\"Synced\"");
    assertThat(took).as("sync request to event").isLessThan(5000);
    stream.body().close();
  }
}
