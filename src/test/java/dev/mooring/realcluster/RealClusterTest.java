package dev.mooring.realcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.testing.GitRepo;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Opt-in: against a real cluster, for users who have one ({@code MOORING_IT_REAL_CLUSTER=true} with
 * a working {@code KUBECONFIG}; run {@code ./mvnw verify -Dtest=RealClusterTest}). Checks what the
 * mock API server cannot: a real server-side apply with Mooring's field manager, the server folding
 * stringData into data with no second write, and prune with foreground deletion. It works in
 * namespace {@code mooring-it} and deletes it afterwards.
 */
@QuarkusTest
@TestProfile(RealClusterTest.RealCluster.class)
@EnabledIfEnvironmentVariable(named = "MOORING_IT_REAL_CLUSTER", matches = "true")
class RealClusterTest {
  static final String NS = "mooring-it";

  /** A profile of its own: no test server, the kubeconfig's cluster. */
  public static class RealCluster implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("mooring.git.allow-local-repos", "true", "mooring.watch-namespaces", NS);
    }
  }

  @Inject KubernetesClient client;

  @Test
  void serverSideApplyStringDataAndPruneOnARealApiServer() throws Exception {
    try (InputStream crd = getClass().getResourceAsStream("/crd/applications.mooring.dev-v1.yml")) {
      client
          .resource(Serialization.unmarshal(crd, CustomResourceDefinition.class))
          .serverSideApply();
    }
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
    Path tmp = Files.createTempDirectory("mooring-real");
    GitRepo repo = GitRepo.init(tmp.resolve("repo"));
    repo.write(
            "ssa.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n"
                + "  annotations: {mooring.dev/sync-options: ServerSideApply=true}\ndata: {v: \"1\"}\n")
        .write(
            "secret.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: v}\n")
        .write(
            "gone.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gone}\ndata: {v: \"1\"}\n")
        .commit("one");

    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("it").withNamespace(NS).build());
    ApplicationSpec spec = new ApplicationSpec();
    spec.source = new ApplicationSpec.Source();
    spec.source.repoURL = repo.url();
    spec.destination = new ApplicationSpec.Destination();
    spec.destination.namespace = NS;
    spec.refreshInterval = "2s";
    spec.syncPolicy = new ApplicationSpec.SyncPolicy();
    spec.syncPolicy.automated = new ApplicationSpec.Automated();
    spec.syncPolicy.automated.prune = true;
    app.setSpec(spec);
    client.resource(app).create();

    await().atMost(Duration.ofMinutes(2)).until(() -> synced());
    ConfigMap ssa = client.configMaps().inNamespace(NS).withName("ssa").get();
    assertThat(ssa.getMetadata().getManagedFields())
        .anySatisfy(f -> assertThat(f.getManager()).isEqualTo("mooring"));
    Application after = client.resources(Application.class).inNamespace(NS).withName("it").get();
    assertThat(after.getStatus().operationState.syncResult.resources)
        .allSatisfy(r -> assertThat(r.action).isEqualTo("created"));

    repo.delete("gone.yaml").commit("two");
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> client.configMaps().inNamespace(NS).withName("gone").get() == null);
    assertThat(List.of(client.secrets().inNamespace(NS).withName("s").get().getData().keySet()))
        .containsExactly(java.util.Set.of("k"));
  }

  private boolean synced() {
    Application a = client.resources(Application.class).inNamespace(NS).withName("it").get();
    return a != null
        && a.getStatus() != null
        && a.getStatus().sync != null
        && "Synced".equals(a.getStatus().sync.status);
  }

  @AfterAll
  static void cleanUp() {
    try (KubernetesClient c = new io.fabric8.kubernetes.client.KubernetesClientBuilder().build()) {
      c.namespaces().withName(NS).delete();
    }
  }
}
