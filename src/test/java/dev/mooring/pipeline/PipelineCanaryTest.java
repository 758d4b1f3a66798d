package dev.mooring.pipeline;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.model.Pipeline;
import dev.mooring.model.PipelineStatus;
import dev.mooring.testing.DeploymentSimulator;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.function.Predicate;
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

  private static String deployment(String image) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: podinfo}
        spec:
          replicas: 1
          selector: {matchLabels: {app: podinfo}}
          template:
            metadata: {labels: {app: podinfo}}
            spec:
              containers: [{name: podinfo, image: %s}]
        """
        .formatted(image);
  }

  private void namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(n -> n.update());
  }

  private void app(String name, String repo, String overlay, String destination) {
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    ApplicationSpec spec = new ApplicationSpec();
    spec.source = new ApplicationSpec.Source();
    spec.source.repoURL = repo;
    spec.source.path = "k8s/overlays/" + overlay;
    spec.destination = new ApplicationSpec.Destination();
    spec.destination.namespace = destination;
    spec.refreshInterval = "1s";
    spec.syncPolicy = new ApplicationSpec.SyncPolicy();
    spec.syncPolicy.automated = new ApplicationSpec.Automated();
    spec.syncPolicy.automated.prune = true;
    spec.syncPolicy.automated.selfHeal = true;
    app.setSpec(spec);
    client.resource(app).create();
  }

  private String image(String ns, String deployment) {
    Deployment d = client.apps().deployments().inNamespace(ns).withName(deployment).get();
    return d == null ? null : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private PipelineStatus.StageStatus production() {
    Pipeline p = client.resources(Pipeline.class).inNamespace(NS).withName("shop").get();
    return p == null || p.getStatus() == null
        ? null
        : p.getStatus().stages.stream()
            .filter(s -> "production".equals(s.name))
            .findFirst()
            .orElse(null);
  }

  private PipelineStatus.StageStatus awaitProduction(Predicate<PipelineStatus.StageStatus> ok) {
    return await()
        .atMost(LONG)
        .pollInterval(Duration.ofMillis(200))
        .until(this::production, s -> s != null && ok.test(s));
  }

  @Test
  void aFailedAnalysisQuarantinesTheRevisionAndProductionGoesBackToTheOneThatPassed()
      throws Exception {
    GitRepo repo = GitRepo.init(Files.createTempDirectory("mooring-pipe-canary").resolve("shop"));
    repo.write("k8s/base/kustomization.yaml", "resources: [deploy.yaml]\n")
        .write("k8s/base/deploy.yaml", deployment("podinfo:1"))
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
    namespace(NS);
    namespace("pc-dev");
    namespace("pc-prod");
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
                  """
                      .formatted(repo.url()),
                  Pipeline.class))
          .create();
      app("shop-dev", repo.url(), "dev", "pc-dev");
      app("shop-prod", repo.url(), "production", "pc-prod");

      // c1: the first revision of production is verified by its Canary's initialization
      PipelineStatus.StageStatus first =
          awaitProduction(s -> "Succeeded".equals(s.phase) && c1.equals(s.revision));
      assertThat(first.lastGoodRevision).isEqualTo(c1);
      assertThat(image("pc-prod", "podinfo-primary")).isEqualTo("podinfo:1");

      // c2 passes dev; its analysis in production fails
      hooks.stubFor(post(urlEqualTo("/check")).willReturn(aResponse().withStatus(500)));
      repo.write("k8s/base/deploy.yaml", deployment("podinfo:2"));
      String c2 = repo.commit("podinfo 2");
      await().atMost(LONG).until(() -> "podinfo:2".equals(image("pc-dev", "podinfo")));
      PipelineStatus.StageStatus failed = awaitProduction(s -> "RolledBack".equals(s.phase));
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
          .satisfies(q -> assertThat(q.revision).isEqualTo(c2));
      // production runs c1's manifests again; dev keeps c2
      await().atMost(LONG).until(() -> "podinfo:1".equals(image("pc-prod", "podinfo")));
      Application prodApp =
          client.resources(Application.class).inNamespace(NS).withName("shop-prod").get();
      assertThat(prodApp.getStatus().sync.revision).isEqualTo(c1);
      assertThat(image("pc-dev", "podinfo")).isEqualTo("podinfo:2");

      // the fix flows again
      hooks.stubFor(post(urlEqualTo("/check")).willReturn(aResponse().withStatus(200)));
      repo.write("k8s/base/deploy.yaml", deployment("podinfo:3"));
      String c3 = repo.commit("podinfo 3");
      awaitProduction(s -> "Succeeded".equals(s.phase) && c3.equals(s.revision));
      await().atMost(LONG).until(() -> "podinfo:3".equals(image("pc-prod", "podinfo-primary")));
    }
  }
}
