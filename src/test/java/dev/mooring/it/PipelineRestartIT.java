package dev.mooring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.model.Pipeline;
import dev.mooring.model.PipelineStatus;
import dev.mooring.testing.DeploymentSimulator;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.RealApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged Mooring restarted in the middle of each wait of a pipeline, each time with an empty
 * Git cache: an approval given before the restart still counts, a revision being verified is
 * verified by the next process, and a soak goes on from when the stage before became Healthy.
 * Nothing lives in the process: the Pipeline's status holds it all.
 */
class PipelineRestartIT {
  static RealApiServer kube;
  static KubernetesClient client;
  static Path tmp;
  static Path kubeconfig;
  int starts;

  @BeforeAll
  static void start() throws Exception {
    kube = RealApiServer.start();
    kube.installMooringCrds();
    client = kube.newClient();
    tmp = Files.createTempDirectory("mooring-pipe-restart");
    kubeconfig = tmp.resolve("kubeconfig");
    Files.writeString(kubeconfig, kube.kubeconfigYaml());
  }

  @AfterAll
  static void stop() {
    client.close();
    kube.close();
  }

  private MooringProcess mooring() throws Exception {
    String name = "mooring-" + ++starts;
    MooringProcess mooring =
        MooringProcess.start(
            new MooringProcess.Launch(name, Files.createDirectories(tmp.resolve(name)))
                .env("KUBECONFIG", kubeconfig.toString())
                .env("MOORING_LEADER_ELECTION_ENABLED", "false")
                .env("MOORING_API_TOKENS", "alice:alice-token,bob:bob-token"));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> mooring.get("/q/health/live") == 200 || !mooring.alive());
    assertThat(mooring.alive()).as("started; log:%n%s", mooring.log()).isTrue();
    return mooring;
  }

  private static void namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(n -> n.update());
  }

  private static void app(String name, String repo, String overlay) {
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("restart").build());
    ApplicationSpec spec = new ApplicationSpec();
    spec.source = new ApplicationSpec.Source();
    spec.source.repoURL = repo;
    spec.source.path = "k8s/overlays/" + overlay;
    spec.destination = new ApplicationSpec.Destination();
    spec.destination.namespace = "rs-" + overlay;
    spec.refreshInterval = "1s";
    spec.syncPolicy = new ApplicationSpec.SyncPolicy();
    spec.syncPolicy.automated = new ApplicationSpec.Automated();
    app.setSpec(spec);
    client.resource(app).create();
  }

  private static PipelineStatus.StageStatus stage(String name) {
    Pipeline p = client.resources(Pipeline.class).inNamespace("restart").withName("shop").get();
    return p == null || p.getStatus() == null
        ? null
        : p.getStatus().stages.stream().filter(s -> name.equals(s.name)).findFirst().orElse(null);
  }

  private static PipelineStatus.StageStatus awaitStage(
      MooringProcess mooring, String name, Predicate<PipelineStatus.StageStatus> ok) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              assertThat(mooring.alive()).as("running; log:%n%s", mooring.log()).isTrue();
              return stage(name);
            },
            s -> s != null && ok.test(s));
  }

  private static int approve(MooringProcess mooring, String token, String stage, String rev)
      throws Exception {
    return mooring.post(
        "/api/v1/pipelines/restart/shop/stages/" + stage + "/approvals",
        "{\"revision\": \"" + rev + "\"}",
        Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"));
  }

  @Test
  void aRestartInTheMiddleOfEachWaitLosesNothing() throws Exception {
    for (String ns : new String[] {"restart", "rs-dev", "rs-staging", "rs-production"}) {
      namespace(ns);
    }
    GitRepo repo = GitRepo.init(tmp.resolve("shop"));
    repo.write("k8s/base/kustomization.yaml", "resources: [deploy.yaml]\n")
        .write(
            "k8s/base/deploy.yaml",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: podinfo}
            spec:
              replicas: 1
              selector: {matchLabels: {app: podinfo}}
              template:
                metadata: {labels: {app: podinfo}}
                spec:
                  containers: [{name: podinfo, image: podinfo:1}]
            """);
    for (String overlay : new String[] {"dev", "staging", "production"}) {
      repo.write("k8s/overlays/" + overlay + "/kustomization.yaml", "resources: [../../base]\n");
    }
    String c1 = repo.commit("podinfo 1");
    client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: mooring.dev/v1alpha1
                kind: Pipeline
                metadata: {name: shop, namespace: restart}
                spec:
                  source: {repoURL: %s, targetRevision: main}
                  stages:
                  - {name: dev, application: shop-dev}
                  - name: staging
                    application: shop-staging
                    approvals: {required: 2}
                  - name: production
                    application: shop-production
                    soak: 25s
                """
                    .formatted(repo.url()),
                Pipeline.class))
        .create();
    app("shop-dev", repo.url(), "dev");
    app("shop-staging", repo.url(), "staging");
    app("shop-production", repo.url(), "production");

    try (DeploymentSimulator dev = DeploymentSimulator.start(client, "rs-dev");
        DeploymentSimulator staging = DeploymentSimulator.start(client, "rs-staging");
        DeploymentSimulator prod = DeploymentSimulator.start(client, "rs-production")) {
      staging.holdUnready("podinfo");

      // waiting for approvals: one given, then a restart
      try (MooringProcess first = mooring()) {
        awaitStage(first, "staging", s -> "WaitingApproval".equals(s.phase));
        assertThat(approve(first, "alice-token", "staging", c1)).isEqualTo(200);
        awaitStage(
            first, "staging", s -> s.waitingFor != null && s.waitingFor.startsWith("1 more"));
        assertThat(first.terminate(Duration.ofSeconds(30))).isNotNull();
      }
      // verifying: the second approval promotes; the Deployment is not ready yet; a crash
      try (MooringProcess second = mooring()) {
        PipelineStatus.StageStatus still = awaitStage(second, "staging", s -> s.candidate != null);
        assertThat(still.candidate.approvals).extracting(a -> a.by).containsExactly("alice");
        assertThat(approve(second, "bob-token", "staging", c1)).isEqualTo(200);
        PipelineStatus.StageStatus verifying =
            awaitStage(second, "staging", s -> "Verifying".equals(s.phase));
        assertThat(verifying.revision).isEqualTo(c1);
        assertThat(verifying.history)
            .singleElement()
            .satisfies(h -> assertThat(h.approvedBy).containsExactly("alice", "bob"));
      } // closed: killed, no SIGTERM
      // the next process verifies it; the soak of production starts when staging is Healthy
      Instant healthySince;
      try (MooringProcess third = mooring()) {
        staging.release("podinfo");
        PipelineStatus.StageStatus good =
            awaitStage(third, "staging", s -> "Succeeded".equals(s.phase));
        assertThat(good.lastGoodRevision).isEqualTo(c1);
        awaitStage(third, "production", s -> "Soaking".equals(s.phase));
        healthySince = Instant.parse(stage("staging").healthySince);
        assertThat(third.terminate(Duration.ofSeconds(30))).isNotNull();
      }
      // soaking: the soak goes on from staging's healthySince, not from the restart
      try (MooringProcess fourth = mooring()) {
        PipelineStatus.StageStatus promoted =
            awaitStage(fourth, "production", s -> "Succeeded".equals(s.phase));
        assertThat(promoted.revision).isEqualTo(c1);
        assertThat(Instant.parse(stage("staging").healthySince)).isEqualTo(healthySince);
        assertThat(Instant.parse(promoted.promotedAt))
            .isAfterOrEqualTo(healthySince.plusSeconds(25));
        assertThat(fourth.log()).doesNotContain("alice-token").doesNotContain("bob-token");
      }
    }
  }
}
