package dev.mooring.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.mooring.model.Application;
import dev.mooring.model.Pipeline;
import dev.mooring.model.PipelineStatus;
import dev.mooring.testing.DeploymentSimulator;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pipeline's production stage verified by the real canary controller on a real API server: a
 * revision whose analysis fails is quarantined and production goes back to the revision that
 * passed, while dev keeps what it runs; the fix flows again. The analysis is a rollout webhook
 * (WireMock), which the test turns from 200 to 500.
 */
@QuarkusTest
@WithRealKubernetes
class PipelineCanaryTest {
  private static final Duration LONG = Duration.ofSeconds(60);
  private static final String NS = "pipecanary";

  @Inject KubernetesClient client;
  WireMockServer hooks;

  @BeforeEach
  void start() {
    hooks = new WireMockServer(options().dynamicPort());
    hooks.start();
    hooks.stubFor(post(urlEqualTo("/check")).willReturn(aResponse().withStatus(200)));
  }

  @AfterEach
  void stop() {
    hooks.stop();
  }

  @Test
  void aFailedAnalysisQuarantinesTheRevisionAndProductionGoesBackToTheOneThatPassed()
      throws Exception {
    GitRepo repo = GitRepo.init(Files.createTempDirectory("mooring-pipe-canary").resolve("shop"));
    repo.write("k8s/base/kustomization.yaml", "resources: [deploy.yaml]\n")
        .write("k8s/base/deploy.yaml", PipelineFixture.deployment("podinfo:1"))
        .write("k8s/overlays/dev/kustomization.yaml", "resources: [../../base]\n")
        .write(
            "k8s/overlays/production/kustomization.yaml", "resources: [../../base, canary.yaml]\n")
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
                interval: 1s
                threshold: 1
                stepWeight: 50
                webhooks: [{name: smoke, type: rollout, url: %s/check}]
            """
                .formatted(hooks.baseUrl()));
    String c1 = repo.commit("podinfo 1");
    PipelineFixture fx = new PipelineFixture(client, NS, "shop");
    fx.patience = LONG;
    fx.namespace("pc-dev");
    fx.namespace("pc-prod");
    try (DeploymentSimulator dev = DeploymentSimulator.start(client, "pc-dev");
        DeploymentSimulator prod = DeploymentSimulator.start(client, "pc-prod")) {
      client
          .resource(
              Serialization.unmarshal(
                  """
                  apiVersion: mooring.dev/v1alpha1
                  kind: Pipeline
                  metadata: {name: shop, namespace: pipecanary}
                  spec:
                    source: {repoURL: %s, targetRevision: main}
                    stages:
                    - {name: dev, application: shop-dev}
                    - name: production
                      application: shop-prod
                      analysis: {canaries: [podinfo]}
                      progressDeadline: 2m
                    onFailure: {rollback: true, revertCommit: true, pushSecretRef: {name: missing}}
                  """
                      .formatted(repo.url()),
                  Pipeline.class))
          .create();
      fx.app("shop-dev", repo.url(), "k8s/overlays/dev", "pc-dev", null);
      fx.app("shop-prod", repo.url(), "k8s/overlays/production", "pc-prod", null);

      // c1: the first revision of production is verified by its Canary's initialization
      PipelineStatus.StageStatus first =
          fx.awaitStage("production", s -> "Succeeded".equals(s.phase) && c1.equals(s.revision));
      assertThat(first.lastGoodRevision).isEqualTo(c1);
      assertThat(fx.image("pc-prod", "podinfo-primary")).isEqualTo("podinfo:1");

      // c2 passes dev; its analysis in production fails
      hooks.stubFor(post(urlEqualTo("/check")).willReturn(aResponse().withStatus(500)));
      repo.write("k8s/base/deploy.yaml", PipelineFixture.deployment("podinfo:2"));
      String c2 = repo.commit("podinfo 2");
      await().atMost(LONG).until(() -> "podinfo:2".equals(fx.image("pc-dev", "podinfo")));
      PipelineStatus.StageStatus failed =
          fx.awaitStage("production", s -> "RolledBack".equals(s.phase));
      assertThat(failed.revision).isEqualTo(c1);
      assertThat(failed.history)
          .last()
          .satisfies(
              h -> {
                assertThat(h.revision).isEqualTo(c2);
                assertThat(h.result).isEqualTo("RolledBack");
                assertThat(h.message)
                    .startsWith("canary podinfo failed")
                    .contains("rolled back to " + c1.substring(0, 7));
              });
      Pipeline p = client.resources(Pipeline.class).inNamespace(NS).withName("shop").get();
      assertThat(p.getStatus().quarantine)
          .singleElement()
          .satisfies(
              q -> {
                assertThat(q.revision).isEqualTo(c2);
                // a revert that cannot be pushed is reported; the rollback happened anyway
                assertThat(q.revertCommit).isNull();
                assertThat(q.revertMessage)
                    .isEqualTo(
                        "not pushed: Secret pipecanary/missing (onFailure.pushSecretRef) not found");
              });
      // production runs c1's manifests again; dev keeps c2
      await().atMost(LONG).until(() -> "podinfo:1".equals(fx.image("pc-prod", "podinfo")));
      Application prodApp =
          client.resources(Application.class).inNamespace(NS).withName("shop-prod").get();
      assertThat(prodApp.getStatus().sync.revision).isEqualTo(c1);
      assertThat(fx.image("pc-dev", "podinfo")).isEqualTo("podinfo:2");

      // the fix flows again
      hooks.stubFor(post(urlEqualTo("/check")).willReturn(aResponse().withStatus(200)));
      repo.write("k8s/base/deploy.yaml", PipelineFixture.deployment("podinfo:3"));
      String c3 = repo.commit("podinfo 3");
      fx.awaitStage("production", s -> "Succeeded".equals(s.phase) && c3.equals(s.revision));
      await().atMost(LONG).until(() -> "podinfo:3".equals(fx.image("pc-prod", "podinfo-primary")));
    }
  }
}
