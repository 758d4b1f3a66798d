package dev.mooring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.Hmac;
import dev.mooring.testing.RealApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas against one real API server: one holds the Lease and reconciles; a push webhook that
 * reaches the other one is handed to the leader through the Application's refresh annotation; when
 * the leader stops, the other takes over within the lease duration.
 */
class TwoReplicasIT {
  static final Duration LEASE = Duration.ofSeconds(8);
  static final Pattern IDENTITY = Pattern.compile("leader election: Lease \\S+, identity (\\S+)");

  static RealApiServer kube;
  static KubernetesClient client;
  static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    kube = RealApiServer.start();
    kube.installMooringCrds();
    client = kube.newClient();
    tmp = Files.createTempDirectory("mooring-replicas");
  }

  @AfterAll
  static void stop() {
    client.close();
    kube.close();
  }

  @Test
  void oneLeadsAWebhookToTheOtherReachesItAndTheOtherTakesOverWhenItStops() throws Exception {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build())
        .create();
    GitRepo repo = GitRepo.init(tmp.resolve("repo"));
    repo.write("cm.yaml", configMap("v1")).commit("v1");
    createApp(repo);
    Path kubeconfig = tmp.resolve("kubeconfig");
    Files.writeString(kubeconfig, kube.kubeconfigYaml());

    try (MooringProcess a = MooringProcess.start(replica("a", kubeconfig));
        MooringProcess b = MooringProcess.start(replica("b", kubeconfig))) {
      String holder = awaitHolder(null);
      MooringProcess leader = identity(a).equals(holder) ? a : b;
      MooringProcess standby = leader == a ? b : a;
      assertThat(identity(standby)).isNotEqualTo(holder);
      awaitColor("v1");
      assertThat(standby.log()).doesNotContain("SyncStarted").doesNotContain(": sync to ");

      // a push whose webhook reaches the standby: the leader fetches and applies it
      String v2 = repo.write("cm.yaml", configMap("v2")).commit("v2");
      assertThat(webhook(standby, repo.url(), v2)).isEqualTo(202);
      awaitColor("v2");
      assertThat(standby.log()).doesNotContain(": sync to ");

      // the leader stops; the standby takes the lease over within its duration
      long stopped = System.nanoTime();
      assertThat(leader.terminate(Duration.ofSeconds(30))).isNotNull();
      String next = awaitHolder(holder);
      Duration takeover = Duration.ofNanos(System.nanoTime() - stopped);
      assertThat(next).isEqualTo(identity(standby));
      assertThat(takeover).isLessThan(LEASE.plusSeconds(5));
      System.out.printf(
          "standby took the lease over %d ms after the leader stopped%n", takeover.toMillis());

      String v3 = repo.write("cm.yaml", configMap("v3")).commit("v3");
      assertThat(webhook(standby, repo.url(), v3)).isEqualTo(202);
      try {
        awaitColor("v3");
      } catch (RuntimeException | AssertionError e) {
        System.out.println("---- log of the new leader\n" + standby.log());
        throw e;
      }
    }
  }

  private MooringProcess.Launch replica(String name, Path kubeconfig) throws Exception {
    return new MooringProcess.Launch(name, Files.createDirectories(tmp.resolve(name)))
        .env("KUBECONFIG", kubeconfig.toString())
        .env("MOORING_LEADER_ELECTION_LEASE_DURATION", LEASE.toSeconds() + "s")
        .env("MOORING_LEADER_ELECTION_RENEW_DEADLINE", "5s")
        .env("MOORING_LEADER_ELECTION_RETRY_PERIOD", "1s");
  }

  /** The replica's identity, from its log (a replica still starting writes it a bit later). */
  private static String identity(MooringProcess p) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Matcher m = IDENTITY.matcher(p.log());
              return m.find() ? m.group(1) : null;
            },
            id -> id != null);
  }

  /** Waits for a holder of the Lease other than {@code previous}. */
  private String awaitHolder(String previous) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Lease lease =
                  client
                      .resources(Lease.class)
                      .inNamespace("default")
                      .withName("mooring-controller")
                      .get();
              return lease == null ? null : lease.getSpec().getHolderIdentity();
            },
            h -> h != null && !h.isBlank() && !h.equals(previous));
  }

  private void awaitColor(String color) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              ConfigMap cm = client.configMaps().inNamespace("team").withName("settings").get();
              return cm == null ? null : cm.getData().get("color");
            },
            color::equals);
  }

  private static int webhook(MooringProcess to, String repoUrl, String sha) throws Exception {
    String body =
        "{\"repoURL\":\"" + repoUrl + "\",\"ref\":\"refs/heads/main\",\"after\":\"" + sha + "\"}";
    String sig = Hmac.sha256Hex("it-secret", body.getBytes(StandardCharsets.UTF_8));
    return to.post(
        "/api/webhook",
        body,
        Map.of("Content-Type", "application/json", "X-Mooring-Signature", "sha256=" + sig));
  }

  private static void createApp(GitRepo repo) {
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("team").build());
    ApplicationSpec spec = new ApplicationSpec();
    spec.source = new ApplicationSpec.Source();
    spec.source.repoURL = repo.url();
    spec.source.path = "";
    spec.destination = new ApplicationSpec.Destination();
    spec.destination.namespace = "team";
    spec.syncPolicy = new ApplicationSpec.SyncPolicy();
    spec.syncPolicy.automated = new ApplicationSpec.Automated();
    // no polling during the test: only webhooks bring new commits
    spec.refreshInterval = "1h";
    app.setSpec(spec);
    client.resource(app).create();
  }

  private static String configMap(String color) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {color: "
        + color
        + "}\n";
  }
}
