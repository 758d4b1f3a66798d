package dev.mooring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.RealApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mooring started and stopped the way users and the kubelet do it, against a real API server: with
 * a kubeconfig whose context names no namespace (kind's, minikube's), with one that names one, with
 * the Lease namespace set, with leader election off, and as a pod with its service account and the
 * RBAC of {@code config/rbac/}; and SIGTERM ends it within a pod's grace period even when the API
 * server is gone.
 */
class StartAndStopIT {
  /** A pod's default terminationGracePeriodSeconds. */
  static final Duration GRACE = Duration.ofSeconds(30);

  static RealApiServer kube;
  static KubernetesClient client;
  static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    kube = RealApiServer.start();
    kube.installMooringCrds();
    client = kube.newClient();
    tmp = Files.createTempDirectory("mooring-start");
  }

  @AfterAll
  static void stop() {
    client.close();
    kube.close();
  }

  @Test
  void aKubeconfigContextWithoutANamespaceStartsWithTheLeaseInDefault() throws Exception {
    Path kubeconfig = tmp.resolve("no-namespace.kubeconfig");
    Files.writeString(
        kubeconfig, kube.kubeconfigYaml().replaceAll("(?m)^\\s*namespace: default\\s*$\\n", ""));
    assertThat(Files.readString(kubeconfig)).doesNotContain("namespace:");
    try (MooringProcess mooring =
        MooringProcess.start(launch("no-namespace").env("KUBECONFIG", kubeconfig.toString()))) {
      awaitLease(mooring, "default");
      syncsAnApplication(mooring, "plain");
      assertThat(mooring.terminate(GRACE)).as("exits on SIGTERM").isNotNull();
    }
  }

  @Test
  void theKubeconfigNamespaceOrTheSettingNamesTheLeaseNamespace() throws Exception {
    namespace("ops");
    namespace("mooring-system");
    Path kubeconfig = tmp.resolve("ops.kubeconfig");
    Files.writeString(
        kubeconfig, kube.kubeconfigYaml().replace("namespace: default", "namespace: ops"));
    try (MooringProcess mooring =
        MooringProcess.start(launch("ops").env("KUBECONFIG", kubeconfig.toString()))) {
      awaitLease(mooring, "ops");
      assertThat(mooring.terminate(GRACE)).isNotNull();
    }
    try (MooringProcess mooring =
        MooringProcess.start(
            launch("setting")
                .env("KUBECONFIG", kubeconfig.toString())
                .env("MOORING_LEADER_ELECTION_NAMESPACE", "mooring-system")
                .env("MOORING_LEADER_ELECTION_LEASE_NAME", "mooring-it"))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> lease("mooring-system", "mooring-it") != null);
      assertThat(mooring.terminate(GRACE)).isNotNull();
    }
  }

  @Test
  void withLeaderElectionOffItReconcilesWithoutALease() throws Exception {
    Path kubeconfig = tmp.resolve("off.kubeconfig");
    Files.writeString(
        kubeconfig, kube.kubeconfigYaml().replace("namespace: default", "namespace: off"));
    namespace("off");
    try (MooringProcess mooring =
        MooringProcess.start(
            launch("off")
                .env("KUBECONFIG", kubeconfig.toString())
                .env("MOORING_LEADER_ELECTION_ENABLED", "false"))) {
      syncsAnApplication(mooring, "unelected");
      assertThat(lease("off", "mooring-controller")).isNull();
      assertThat(mooring.log()).contains("leader election is off");
      assertThat(mooring.terminate(GRACE)).isNotNull();
    }
  }

  @Test
  void inAPodWithItsServiceAccountAndTheShippedRbacItStartsAndSyncs() throws Exception {
    namespace("mooring");
    try (InputStream rbac = Files.newInputStream(Path.of("config", "rbac", "mooring-rbac.yaml"))) {
      client.load(rbac).serverSideApply();
    }
    String token =
        client
            .serviceAccounts()
            .inNamespace("mooring")
            .withName("mooring")
            .tokenRequest(
                new TokenRequestBuilder()
                    .withNewSpec()
                    .withExpirationSeconds(3600L)
                    .endSpec()
                    .build())
            .getStatus()
            .getToken();
    Path secrets = Files.createDirectories(tmp.resolve("serviceaccount"));
    Files.writeString(secrets.resolve("token"), token);
    Files.writeString(secrets.resolve("namespace"), "mooring");
    Files.copy(Path.of(kube.config().getCaCertFile()), secrets.resolve("ca.crt"));
    java.net.URI server = java.net.URI.create(kube.url());
    try (MooringProcess mooring =
        MooringProcess.start(
            launch("pod")
                .env("KUBERNETES_SERVICE_HOST", server.getHost())
                .env("KUBERNETES_SERVICE_PORT", String.valueOf(server.getPort()))
                .prop("kubernetes.auth.serviceAccount.token", secrets.resolve("token").toString())
                .prop("kubernetes.certs.ca.file", secrets.resolve("ca.crt").toString())
                .prop("kubenamespace", secrets.resolve("namespace").toString()))) {
      awaitLease(mooring, "mooring");
      syncsAnApplication(mooring, "in-pod");
      assertThat(mooring.log()).doesNotContain(token);
      assertThat(mooring.terminate(GRACE)).isNotNull();
    }
  }

  @Test
  void sigtermEndsItWithinTheGracePeriodEvenWhenTheApiServerIsGone() throws Exception {
    RealApiServer doomed = RealApiServer.start(List.of());
    doomed.installMooringCrds();
    Path kubeconfig = tmp.resolve("doomed.kubeconfig");
    Files.writeString(kubeconfig, doomed.kubeconfigYaml());
    try (MooringProcess mooring =
            MooringProcess.start(launch("doomed").env("KUBECONFIG", kubeconfig.toString()));
        KubernetesClient doomedClient = doomed.newClient()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  doomedClient
                          .resources(Lease.class)
                          .inNamespace("default")
                          .withName("mooring-controller")
                          .get()
                      != null);
      doomed.close();
      Thread.sleep(2000); // let it notice: renewals and watches now fail
      long t0 = System.nanoTime();
      Integer code = mooring.terminate(GRACE);
      long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
      assertThat(code)
          .as("exited within %s after SIGTERM; log:%n%s", GRACE, mooring.log())
          .isNotNull();
      System.out.printf(
          "SIGTERM with the API server gone: exited in %d s (code %d)%n", seconds, code);
    }
  }

  private MooringProcess.Launch launch(String name) throws Exception {
    return new MooringProcess.Launch(name, Files.createDirectories(tmp.resolve(name)));
  }

  private void awaitLease(MooringProcess mooring, String namespace) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(mooring.alive()).as("running; log:%n%s", mooring.log()).isTrue();
              Lease lease = lease(namespace, "mooring-controller");
              assertThat(lease).as("Lease in %s", namespace).isNotNull();
              assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
            });
    assertThat(mooring.log()).contains("Lease " + namespace + "/mooring-controller");
  }

  private Lease lease(String namespace, String name) {
    return client.resources(Lease.class).inNamespace(namespace).withName(name).get();
  }

  /** An Application created now is synced by this process. */
  private void syncsAnApplication(MooringProcess mooring, String ns) throws Exception {
    namespace(ns);
    GitRepo repo = GitRepo.init(tmp.resolve("repo-" + ns));
    repo.write(
            "cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {color: blue}\n")
        .commit("first");
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace(ns).build());
    ApplicationSpec spec = new ApplicationSpec();
    spec.source = new ApplicationSpec.Source();
    spec.source.repoURL = repo.url();
    spec.source.path = "";
    spec.destination = new ApplicationSpec.Destination();
    spec.destination.namespace = ns;
    spec.syncPolicy = new ApplicationSpec.SyncPolicy();
    spec.syncPolicy.automated = new ApplicationSpec.Automated();
    app.setSpec(spec);
    client.resource(app).create();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(mooring.alive()).as("running; log:%n%s", mooring.log()).isTrue();
              ConfigMap cm = client.configMaps().inNamespace(ns).withName("settings").get();
              assertThat(cm).as("synced by %s", mooring).isNotNull();
            });
  }

  private void namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(n -> n.update());
  }
}
