package dev.mooring.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.mooring.model.Application;
import dev.mooring.model.Pipeline;
import dev.mooring.model.PipelineStatus;
import dev.mooring.testing.DeploymentSimulator;
import dev.mooring.testing.GitHttpServer;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.PrometheusServer;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The seed workflow end to end, on the real API server, with real Git over smart HTTP and a real
 * Prometheus: three Applications from one repository's Kustomize overlays; dev takes every commit,
 * staging one approval, production two distinct approvals and a canary analysis of the shop's error
 * rate. A revision with bad metrics in production is quarantined, production goes back to the last
 * good revision, a revert commit is pushed to the branch, and the fix flows again. Every stage
 * event reaches a notification receiver (WireMock).
 */
@QuarkusTest
@WithRealKubernetes
@QuarkusTestResource(value = ShopPrometheus.class, restrictToAnnotatedClass = true)
class PipelineWorkflowTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NS = "pipeflow";
  private static final String DEV = "pf-dev";
  private static final String STAGING = "pf-staging";
  private static final String PROD = "pf-prod";

  @Inject KubernetesClient client;

  private void secret(String name, String... pairs) {
    SecretBuilder b =
        new SecretBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata();
    for (int i = 0; i < pairs.length; i += 2) {
      b.addToStringData(pairs[i], pairs[i + 1]);
    }
    client.resource(b.build()).create();
  }

  private List<JsonNode> notifications(WireMockServer receiver) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (LoggedRequest r : receiver.findAll(postRequestedFor(urlEqualTo("/notify")))) {
      out.add(JSON.readTree(r.getBodyAsString()));
    }
    return out;
  }

  @Test
  void commitsFlowThroughApprovalsAndABadCanaryIsRolledBackAndRevertedInGit() throws Exception {
    Assumptions.assumeTrue(
        PrometheusServer.binary().isPresent(), "no Prometheus (apt-get install -y prometheus)");
    Path tmp = Files.createTempDirectory("mooring-pipe-flow");
    GitRepo work = GitRepo.init(tmp.resolve("work"));
    work.write("k8s/base/kustomization.yaml", "resources: [deploy.yaml]\n")
        .write("k8s/base/deploy.yaml", PipelineFixture.deployment("podinfo:1"))
        .write("k8s/overlays/dev/kustomization.yaml", "resources: [../../base]\n")
        .write("k8s/overlays/staging/kustomization.yaml", "resources: [../../base]\n")
        .write(
            "k8s/overlays/production/kustomization.yaml",
            "resources: [../../base, canary.yaml, error-rate.yaml]\n")
        .write(
            "k8s/overlays/production/error-rate.yaml",
            """
            apiVersion: mooring.dev/v1alpha1
            kind: MetricTemplate
            metadata: {name: error-rate}
            spec:
              provider: {type: prometheus}
              query: |
                100 * sum(rate(shop_requests_total{status="500"}[{{ interval }}]))
                  / sum(rate(shop_requests_total[{{ interval }}]))
            """)
        .write(
            "k8s/overlays/production/canary.yaml",
            """
            apiVersion: mooring.dev/v1alpha1
            kind: Canary
            metadata: {name: podinfo}
            spec:
              provider: kubernetes
              targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
              service: {port: 80}
              analysis:
                interval: 2s
                threshold: 1
                stepWeight: 50
                metrics:
                - name: error-rate
                  templateRef: {name: error-rate}
                  thresholdRange: {max: 5}
                  interval: 10s
            """);
    String c1 = work.commit("podinfo 1");
    GitRepo.initBare(tmp.resolve("root/org/shop.git"));
    work.git("remote", "add", "origin", tmp.resolve("root/org/shop.git").toUri().toString());
    work.push("origin", "main");
    WireMockServer receiver = new WireMockServer(options().dynamicPort());
    receiver.start();
    receiver.stubFor(post(urlEqualTo("/notify")).willReturn(aResponse().withStatus(200)));
    PipelineFixture fx = new PipelineFixture(client, NS, "shop");
    try (GitHttpServer git = GitHttpServer.start(tmp.resolve("root"), "mooring", "push-pw-7");
        DeploymentSimulator dev = DeploymentSimulator.start(client, DEV);
        DeploymentSimulator staging = DeploymentSimulator.start(client, STAGING);
        DeploymentSimulator prod = DeploymentSimulator.start(client, PROD)) {
      String url = git.url("org/shop.git");
      for (String ns : List.of(DEV, STAGING, PROD)) {
        fx.namespace(ns);
      }
      secret("shop-git", "username", "mooring", "password", "push-pw-7", "authorName", "Shop Bot");
      secret("notify", "url", receiver.baseUrl() + "/notify", "token", "notify-token-9");
      client
          .resource(
              Serialization.unmarshal(
                  """
                  apiVersion: mooring.dev/v1alpha1
                  kind: Pipeline
                  metadata: {name: shop, namespace: pipeflow}
                  spec:
                    source: {repoURL: %s, targetRevision: main}
                    stages:
                    - {name: dev, application: shop-dev}
                    - name: staging
                      application: shop-staging
                      approvals: {required: 1}
                    - name: production
                      application: shop-prod
                      approvals: {required: 2, approvers: [alice, bob, carol]}
                      analysis: {canaries: [podinfo]}
                      progressDeadline: 3m
                    onFailure: {rollback: true, revertCommit: true, pushSecretRef: {name: shop-git}}
                    notifications: {url: "https://hooks.example.com/replaced", secretRef: {name: notify}}
                  """
                      .formatted(url),
                  Pipeline.class))
          .create();
      fx.app("shop-dev", url, "k8s/overlays/dev", DEV, "shop-git");
      fx.app("shop-staging", url, "k8s/overlays/staging", STAGING, "shop-git");
      fx.app("shop-prod", url, "k8s/overlays/production", PROD, "shop-git");

      // commit 1 flows to dev at once; staging waits for one approval and syncs nothing before it
      fx.awaitStage("dev", s -> "Succeeded".equals(s.phase) && c1.equals(s.revision));
      assertThat(fx.image(DEV, "podinfo")).isEqualTo("podinfo:1");
      fx.awaitStage("staging", s -> "WaitingApproval".equals(s.phase));
      assertThat(fx.image(STAGING, "podinfo")).isNull();
      Application stagingApp =
          client.resources(Application.class).inNamespace(NS).withName("shop-staging").get();
      assertThat(stagingApp.getStatus().conditions)
          .anyMatch(c -> "Pipeline".equals(c.type) && c.message.contains("staging"));
      assertThat(fx.decide("viewer-token", "staging", "approvals", c1).statusCode()).isEqualTo(403);
      assertThat(fx.decide("alice-token", "staging", "approvals", c1).statusCode()).isEqualTo(200);
      fx.awaitStage("staging", s -> "Succeeded".equals(s.phase) && c1.equals(s.revision));

      // production: two distinct names; the same one twice counts once
      fx.awaitStage("production", s -> "WaitingApproval".equals(s.phase));
      assertThat(fx.decide("alice-token", "production", "approvals", c1).statusCode())
          .isEqualTo(200);
      assertThat(fx.decide("alice-token", "production", "approvals", c1).statusCode())
          .isEqualTo(200);
      fx.awaitStage("production", s -> s.waitingFor != null && s.waitingFor.startsWith("1 more"));
      assertThat(fx.image(PROD, "podinfo")).isNull();
      assertThat(fx.decide("bob-token", "production", "approvals", c1).statusCode()).isEqualTo(200);
      // a first revision is verified by its Canary's initialization
      fx.awaitStage("production", s -> "Succeeded".equals(s.phase) && c1.equals(s.revision));
      assertThat(fx.image(PROD, "podinfo-primary")).isEqualTo("podinfo:1");

      // commit 2, good metrics: the canary analysis passes and production takes it
      work.write("k8s/base/deploy.yaml", PipelineFixture.deployment("podinfo:2"));
      String c2 = work.commit("podinfo 2");
      work.push("origin", "main");
      fx.awaitStage("staging", s -> s.candidate != null && c2.equals(s.candidate.revision));
      fx.decide("carol-token", "staging", "approvals", c2);
      fx.awaitStage("production", s -> s.candidate != null && c2.equals(s.candidate.revision));
      fx.decide("alice-token", "production", "approvals", c2);
      fx.decide("carol-token", "production", "approvals", c2);
      fx.awaitStage("production", s -> "Succeeded".equals(s.phase) && c2.equals(s.revision));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> "podinfo:2".equals(fx.image(PROD, "podinfo-primary")));

      // commit 3 passes dev and staging; in production its error rate is 71%: the canary fails
      work.write("k8s/base/deploy.yaml", PipelineFixture.deployment("podinfo:3"));
      String c3 = work.commit("podinfo 3");
      work.push("origin", "main");
      fx.awaitStage("staging", s -> s.candidate != null && c3.equals(s.candidate.revision));
      fx.decide("alice-token", "staging", "approvals", c3);
      fx.awaitStage("production", s -> s.candidate != null && c3.equals(s.candidate.revision));
      ShopPrometheus.errors(50);
      fx.decide("alice-token", "production", "approvals", c3);
      fx.decide("bob-token", "production", "approvals", c3);
      PipelineStatus.StageStatus failed =
          fx.awaitStage("production", s -> "RolledBack".equals(s.phase));
      ShopPrometheus.errors(0);
      assertThat(failed.revision).isEqualTo(c2);
      assertThat(failed.history)
          .last()
          .satisfies(
              h -> {
                assertThat(h.revision).isEqualTo(c3);
                assertThat(h.result).isEqualTo("RolledBack");
                assertThat(h.message).startsWith("canary podinfo failed").contains("error-rate");
              });
      // production is back on commit 2's manifests; staging and dev keep commit 3
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> "podinfo:2".equals(fx.image(PROD, "podinfo")));
      assertThat(fx.image(STAGING, "podinfo")).isEqualTo("podinfo:3");

      // commit 3 is quarantined, and a revert commit of it is on the branch
      Pipeline p =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  fx::get,
                  x ->
                      !x.getStatus().quarantine.isEmpty()
                          && x.getStatus().quarantine.get(0).revertMessage != null);
      PipelineStatus.Quarantined q = p.getStatus().quarantine.get(0);
      assertThat(q.revision).isEqualTo(c3);
      assertThat(q.stage).isEqualTo("production");
      assertThat(q.revertCommit).as(q.revertMessage).isNotNull();
      work.git("pull", "-q", "--ff-only", "origin", "main");
      assertThat(work.head()).isEqualTo(q.revertCommit);
      assertThat(Files.readString(work.dir().resolve("k8s/base/deploy.yaml")))
          .contains("image: podinfo:2");
      assertThat(work.git("log", "-1", "--format=%an%n%B"))
          .startsWith("Shop Bot\nRevert \"podinfo 3\"")
          .contains(
              "Pipeline pipeflow/shop, stage production: " + c3 + " failed: canary podinfo failed")
          .contains("Mooring-Reverts: " + c3);

      // the revert flows into dev; the fix replaces it as staging's candidate and flows again
      String revert = q.revertCommit;
      fx.awaitStage("staging", s -> s.candidate != null && revert.equals(s.candidate.revision));
      fx.decide("alice-token", "staging", "approvals", revert);
      work.write("k8s/base/deploy.yaml", PipelineFixture.deployment("podinfo:4"));
      String c4 = work.commit("podinfo 4: the fix");
      work.push("origin", "main");
      PipelineStatus.StageStatus replaced =
          fx.awaitStage("staging", s -> s.candidate != null && c4.equals(s.candidate.revision));
      assertThat(replaced.candidate.approvals).isEmpty();
      assertThat(fx.decide("alice-token", "staging", "approvals", revert).statusCode())
          .isEqualTo(409);
      fx.decide("alice-token", "staging", "approvals", c4);
      fx.awaitStage("production", s -> s.candidate != null && c4.equals(s.candidate.revision));
      fx.decide("bob-token", "production", "approvals", c4);
      fx.decide("carol-token", "production", "approvals", c4);
      fx.awaitStage("production", s -> "Succeeded".equals(s.phase) && c4.equals(s.revision));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> "podinfo:4".equals(fx.image(PROD, "podinfo-primary")));

      // every stage event reached the receiver, with the Secret's token and none of its values
      List<JsonNode> sent =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () -> notifications(receiver),
                  n ->
                      n.stream()
                          .anyMatch(
                              x ->
                                  c4.equals(x.path("revision").asText())
                                      && "production".equals(x.path("stage").asText())
                                      && "StageSucceeded".equals(x.path("event").asText())));
      assertThat(sent)
          .extracting(n -> n.path("event").asText())
          .contains(
              "WaitingApproval",
              "Promoted",
              "StageSucceeded",
              "StageFailed",
              "RolledBack",
              "RevertPushed");
      assertThat(sent)
          .filteredOn(n -> "StageFailed".equals(n.path("event").asText()))
          .singleElement()
          .satisfies(
              n -> {
                assertThat(n.path("revision").asText()).isEqualTo(c3);
                assertThat(n.path("text").asText())
                    .startsWith("Pipeline pipeflow/shop: stage production: ");
                assertThat(n.path("pipeline").path("name").asText()).isEqualTo("shop");
              });
      receiver.verify(
          postRequestedFor(urlEqualTo("/notify"))
              .withHeader("Authorization", equalTo("Bearer notify-token-9")));
      assertThat(receiver.findAll(postRequestedFor(urlEqualTo("/notify"))))
          .allSatisfy(
              r ->
                  assertThat(r.getBodyAsString())
                      .doesNotContain("push-pw-7")
                      .doesNotContain("notify-token-9"));
      List<String> reasons =
          client.v1().events().inNamespace(NS).list().getItems().stream()
              .filter(e -> "Pipeline".equals(e.getInvolvedObject().getKind()))
              .map(e -> e.getReason())
              .toList();
      String metrics = io.restassured.RestAssured.get("/q/metrics").asString();
      assertThat(metrics)
          .containsPattern("mooring_pipeline_events_total\\{event=\"RolledBack\"[^}]*\\} 1\\.0")
          .containsPattern("mooring_pipeline_notifications_total\\{result=\"sent\"[^}]*\\} [1-9]");
      assertThat(reasons)
          .contains("WaitingApproval", "Promoted", "StageFailed", "RolledBack", "RevertPushed");
    } finally {
      receiver.stop();
    }
  }
}
