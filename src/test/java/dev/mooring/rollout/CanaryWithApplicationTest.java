package dev.mooring.rollout;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.mooring.rollout.CanaryFixture.image;
import static dev.mooring.rollout.CanaryFixture.replicas;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.testing.DeploymentSimulator;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Canary and its target Deployment applied from Git by an automated, self-healing Application:
 * the two controllers do not fight, and the Application's health follows the analysis.
 */
@QuarkusTest
@WithRealKubernetes
class CanaryWithApplicationTest {
  private static final Duration LONG = Duration.ofSeconds(60);
  private static final String NS = "interplay";

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
        metadata:
          name: podinfo
        spec:
          replicas: 2
          selector:
            matchLabels: {app: podinfo}
          template:
            metadata:
              labels: {app: podinfo}
            spec:
              containers:
                - name: podinfo
                  image: %s
        """
        .formatted(image);
  }

  private String canary() {
    return """
        apiVersion: mooring.dev/v1alpha1
        kind: Canary
        metadata:
          name: podinfo
        spec:
          provider: kubernetes
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
          service: {port: 80}
          analysis:
            interval: 1s
            threshold: 1
            stepWeight: 50
            webhooks:
              - name: smoke
                type: rollout
                url: %s/check
        """
        .formatted(hooks.baseUrl());
  }

  @Test
  void theApplicationNeitherFightsTheCanaryNorHidesItsHealth() throws Exception {
    GitRepo repo = GitRepo.init(Files.createTempDirectory("mooring-interplay").resolve("repo"));
    repo.write("app/deploy.yaml", deployment("podinfo:1"))
        .write("app/canary.yaml", canary())
        .commit("podinfo with a canary");
    client
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(NS)
                .endMetadata()
                .build())
        .createOr(n -> n.update());
    // the Canary kind must be served for the Application to apply one
    try (var crd = getClass().getResourceAsStream("/crd/canaries.mooring.dev-v1.yml")) {
      client
          .resource(
              io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                  crd,
                  io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class))
          .createOr(c -> c.update());
    }
    try (DeploymentSimulator pods = DeploymentSimulator.start(client, NS)) {
      client.resource(application(repo.url())).create();
      CanaryFixture fx = new CanaryFixture(client, NS);
      fx.awaitPhase("podinfo", "Initialized", LONG);
      await().atMost(LONG).until(() -> replicas(fx.deploymentNamed("podinfo")) == 0);

      // self-heal runs every second: the scaled-down target stays down and the app stays Synced
      awaitApp(a -> "Synced".equals(syncStatus(a)) && "Healthy".equals(health(a)));
      CanaryFixture.sleep(Duration.ofSeconds(4));
      assertThat(replicas(fx.deploymentNamed("podinfo"))).isZero();
      Application steady = app();
      assertThat(syncStatus(steady)).isEqualTo("Synced");
      // the canary's own objects are not the app's: not listed, not pruned
      assertThat(steady.getStatus().resources)
          .extracting(r -> r.kind + "/" + r.name)
          .containsExactlyInAnyOrder("Deployment/podinfo", "Canary/podinfo");
      assertThat(fx.deploymentNamed("podinfo-primary")).isNotNull();
      assertThat(fx.service("podinfo-canary")).isNotNull();

      // a new image from Git: the app applies it without touching replicas, the canary analyses it
      repo.write("app/deploy.yaml", deployment("podinfo:2")).commit("podinfo 2");
      awaitApp(a -> "Progressing".equals(health(a)));
      fx.awaitPhase("podinfo", "Succeeded", LONG);
      assertThat(image(fx.deploymentNamed("podinfo-primary"))).isEqualTo("podinfo:2");
      assertThat(replicas(fx.deploymentNamed("podinfo-primary"))).isEqualTo(2);
      awaitApp(a -> "Healthy".equals(health(a)) && "Synced".equals(syncStatus(a)));
      await().atMost(LONG).until(() -> replicas(fx.deploymentNamed("podinfo")) == 0);

      // a revision whose smoke test fails is rolled back, and the app says Degraded
      hooks.stubFor(post(urlEqualTo("/check")).willReturn(aResponse().withStatus(500)));
      repo.write("app/deploy.yaml", deployment("podinfo:3")).commit("podinfo 3");
      fx.awaitPhase("podinfo", "Failed", LONG);
      Application degraded = awaitApp(a -> "Degraded".equals(health(a)));
      assertThat(degraded.getStatus().health.message).contains("rolled back");
      assertThat(syncStatus(degraded)).isEqualTo("Synced");
      assertThat(image(fx.deploymentNamed("podinfo-primary"))).isEqualTo("podinfo:2");
      await().atMost(LONG).until(() -> replicas(fx.deploymentNamed("podinfo")) == 0);
    }
  }

  private Application application(String repoURL) {
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("podinfo").withNamespace(NS).build());
    ApplicationSpec spec = new ApplicationSpec();
    spec.source = new ApplicationSpec.Source();
    spec.source.repoURL = repoURL;
    spec.source.path = "app";
    spec.destination = new ApplicationSpec.Destination();
    spec.destination.namespace = NS;
    spec.refreshInterval = "1s";
    spec.syncPolicy = new ApplicationSpec.SyncPolicy();
    spec.syncPolicy.automated = new ApplicationSpec.Automated();
    spec.syncPolicy.automated.prune = true;
    spec.syncPolicy.automated.selfHeal = true;
    app.setSpec(spec);
    return app;
  }

  private Application app() {
    return client.resources(Application.class).inNamespace(NS).withName("podinfo").get();
  }

  private Application awaitApp(Predicate<Application> condition) {
    return await()
        .atMost(LONG)
        .pollInterval(Duration.ofMillis(100))
        .until(this::app, a -> a != null && a.getStatus() != null && condition.test(a));
  }

  private static String syncStatus(Application a) {
    return a.getStatus().sync == null ? null : a.getStatus().sync.status;
  }

  private static String health(Application a) {
    return a.getStatus().health == null ? null : a.getStatus().health.status;
  }
}
