package dev.mooring.pipeline;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.Pipeline;
import dev.mooring.model.PipelineStatus;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The seed workflow on a real API server, through the approval gates: three Applications from one
 * repository's Kustomize overlays; a commit flows to dev at once, waits for one approval for
 * staging and two distinct approvals for production; the Applications never sync what the pipeline
 * did not promote, whatever their targetRevision says.
 */
@QuarkusTest
@WithRealKubernetes
class PipelineFlowTest {
  private static final Duration LONG = Duration.ofSeconds(40);
  @Inject KubernetesClient client;

  private PipelineFixture fx() {
    return new PipelineFixture(client, "pipe", "shop");
  }

  private void namespace(String name) {
    fx().namespace(name);
  }

  private void app(String name, String repo, String overlay, String destination) {
    namespace(destination);
    fx().app(name, repo, "k8s/overlays/" + overlay, destination, null);
  }

  private String version(String ns) {
    ConfigMap cm = client.configMaps().inNamespace(ns).withName("shop").get();
    return cm == null ? null : cm.getData().get("version");
  }

  private Pipeline pipeline() {
    return client.resources(Pipeline.class).inNamespace("pipe").withName("shop").get();
  }

  private PipelineStatus.StageStatus stage(Pipeline p, String name) {
    return p.getStatus() == null
        ? null
        : p.getStatus().stages.stream().filter(s -> name.equals(s.name)).findFirst().orElse(null);
  }

  private Pipeline awaitStage(String name, Predicate<PipelineStatus.StageStatus> ok) {
    return await()
        .atMost(LONG)
        .pollInterval(Duration.ofMillis(200))
        .until(this::pipeline, p -> p != null && stage(p, name) != null && ok.test(stage(p, name)));
  }

  private Response decide(String token, String stage, String verb, String revision) {
    return fx().decide(token, stage, verb, revision);
  }

  @Test
  void aCommitFlowsToDevThenThroughOneApprovalToStagingAndTwoToProduction() throws Exception {
    Path tmp = Files.createTempDirectory("mooring-pipeline");
    GitRepo repo = GitRepo.init(tmp.resolve("shop"));
    repo.write("k8s/base/kustomization.yaml", "resources: [config.yaml]\n")
        .write(
            "k8s/base/config.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shop}\ndata: {version: \"1\"}\n");
    for (String overlay : new String[] {"dev", "staging", "production"}) {
      repo.write("k8s/overlays/" + overlay + "/kustomization.yaml", "resources: [../../base]\n");
    }
    String c1 = repo.commit("version 1");
    namespace("pipe");
    client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: mooring.dev/v1alpha1
                kind: Pipeline
                metadata: {name: shop, namespace: pipe}
                spec:
                  source: {repoURL: %s, targetRevision: main}
                  stages:
                  - {name: dev, application: shop-dev}
                  - {name: staging, application: shop-staging, approvals: {required: 1}}
                  - name: production
                    application: shop-prod
                    approvals: {required: 2, approvers: [alice, bob, carol]}
                """
                    .formatted(repo.url()),
                Pipeline.class))
        .create();
    // the Applications do not exist yet: said on the pipeline, nothing promoted
    Pipeline waiting =
        await()
            .atMost(LONG)
            .until(
                this::pipeline,
                p ->
                    p.getStatus() != null
                        && p.getStatus().conditions.stream()
                            .anyMatch(
                                c -> "False".equals(c.status) && c.message.contains("not found")));
    assertThat(waiting.getStatus().conditions.get(0).message)
        .isEqualTo("stage dev: Application pipe/shop-dev not found");

    app("shop-dev", repo.url(), "dev", "pipe-dev");
    app("shop-staging", repo.url(), "staging", "pipe-staging");
    app("shop-prod", repo.url(), "production", "pipe-prod");

    // commit 1 flows to dev at once; staging waits for an approval, and syncs nothing meanwhile
    await().atMost(LONG).until(() -> "1".equals(version("pipe-dev")));
    Pipeline p = awaitStage("staging", s -> "WaitingApproval".equals(s.phase));
    assertThat(stage(p, "dev").phase).isEqualTo("Succeeded");
    assertThat(stage(p, "staging").waitingFor)
        .isEqualTo("1 more approval of " + c1.substring(0, 7));
    assertThat(version("pipe-staging")).isNull();
    Application held =
        client.resources(Application.class).inNamespace("pipe").withName("shop-staging").get();
    assertThat(held.getStatus().conditions)
        .anySatisfy(
            c -> {
              assertThat(c.type).isEqualTo("Ready");
              assertThat(c.reason).isEqualTo("AwaitingPromotion");
            })
        .anySatisfy(
            c -> {
              assertThat(c.type).isEqualTo("Pipeline");
              assertThat(c.message)
                  .isEqualTo(
                      "syncs what stage staging of pipeline shop promotes (nothing yet), not"
                          + " spec.source.targetRevision");
            });

    // who may approve what
    assertThat(decide(null, "staging", "approvals", c1).statusCode()).isEqualTo(401);
    assertThat(decide("viewer-token", "staging", "approvals", c1).statusCode()).isEqualTo(403);
    Response wrong = decide("alice-token", "staging", "approvals", "0000000");
    assertThat(wrong.statusCode()).isEqualTo(409);
    assertThat(wrong.jsonPath().getString("message"))
        .isEqualTo(
            "0000000 is not the candidate of stage staging; the candidate is "
                + c1.substring(0, 7));
    assertThat(decide("alice-token", "staging", "approvals", c1.substring(0, 7)).statusCode())
        .isEqualTo(200);
    await().atMost(LONG).until(() -> "1".equals(version("pipe-staging")));

    // production: two distinct approvers; the same name twice counts once
    p = awaitStage("production", s -> "WaitingApproval".equals(s.phase));
    assertThat(decide("admin-token", "production", "approvals", c1).statusCode())
        .as("admin is not among production's approvers")
        .isEqualTo(403);
    assertThat(decide("alice-token", "production", "approvals", c1).statusCode()).isEqualTo(200);
    assertThat(decide("alice-token", "production", "approvals", c1).statusCode()).isEqualTo(200);
    p = awaitStage("production", s -> s.waitingFor != null && s.waitingFor.startsWith("1 more"));
    assertThat(stage(p, "production").candidate.approvals)
        .extracting(a -> a.by)
        .containsExactly("alice");
    assertThat(version("pipe-prod")).isNull();
    assertThat(decide("bob-token", "production", "approvals", c1).statusCode()).isEqualTo(200);
    await().atMost(LONG).until(() -> "1".equals(version("pipe-prod")));
    p = awaitStage("production", s -> "Succeeded".equals(s.phase));
    assertThat(stage(p, "production").history)
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.revision).isEqualTo(c1);
              assertThat(h.approvedBy).containsExactly("alice", "bob");
              assertThat(h.result).isEqualTo("Succeeded");
            });

    // commit 2 flows to dev; a rejection holds it at staging; main is never synced unpromoted
    repo.write(
        "k8s/base/config.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shop}\ndata: {version: \"2\"}\n");
    String c2 = repo.commit("version 2");
    await().atMost(LONG).until(() -> "2".equals(version("pipe-dev")));
    awaitStage("staging", s -> s.candidate != null && c2.equals(s.candidate.revision));
    assertThat(decide("carol-token", "staging", "rejections", c2).statusCode()).isEqualTo(200);
    p =
        awaitStage(
            "staging", s -> s.waitingFor != null && s.waitingFor.contains("rejected by carol"));
    // recorded in the stage's history and as Events, with who and the comment
    assertThat(stage(p, "staging").history)
        .last()
        .satisfies(
            h -> {
              assertThat(h.revision).isEqualTo(c2);
              assertThat(h.result).isEqualTo("Rejected");
              assertThat(h.message).startsWith("rejected by carol at ").endsWith(": from the test");
            });
    assertThat(
            client.v1().events().inNamespace("pipe").list().getItems().stream()
                .filter(e -> "Pipeline".equals(e.getInvolvedObject().getKind()))
                .map(e -> e.getReason() + " " + e.getMessage())
                .toList())
        .anyMatch(m -> m.startsWith("Approved alice approved "))
        .anyMatch(
            m ->
                m.equals(
                    "Rejected carol rejected "
                        + c2.substring(0, 7)
                        + " for stage staging: from the test"));
    Thread.sleep(3000);
    assertThat(version("pipe-staging")).isEqualTo("1");
    assertThat(version("pipe-prod")).isEqualTo("1");
    // a sync asking for main itself is refused on a stage Application
    given()
        .header("Authorization", "Bearer admin-token")
        .contentType("application/json")
        .body("{\"revision\": \"" + c2 + "\"}")
        .post("/api/v1/applications/pipe/shop-prod/sync");
    Application refused =
        await()
            .atMost(LONG)
            .until(
                () ->
                    client
                        .resources(Application.class)
                        .inNamespace("pipe")
                        .withName("shop-prod")
                        .get(),
                a ->
                    a.getStatus() != null
                        && a.getStatus().operationState != null
                        && a.getStatus().operationState.message != null
                        && a.getStatus().operationState.message.contains("was not promoted"));
    assertThat(refused.getStatus().operationState.message)
        .contains("this Application syncs only " + c1.substring(0, 7));
    assertThat(version("pipe-prod")).isEqualTo("1");
  }
}
