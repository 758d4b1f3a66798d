package dev.mooring.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mooring.testing.RealApiServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live cache as a user whose RBAC forbids listing a kind, on a real API server: that kind is
 * reported with the server's reason (never a silently empty cache), the kinds it may list keep
 * working, and once RBAC allows it the kind is watched again.
 */
class LiveCacheRbacTest {
  static final ResourceType CONFIG_MAPS =
      new ResourceType("", "v1", "ConfigMap", "configmaps", true);
  static final ResourceType SECRETS = new ResourceType("", "v1", "Secret", "secrets", true);

  static RealApiServer kube;
  static KubernetesClient admin;

  @BeforeAll
  static void start() {
    kube = RealApiServer.start(List.of());
    admin = kube.newClient();
    role(List.of("configmaps"));
    admin
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("restricted")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "restricted")
                .addNewSubject()
                .withKind("User")
                .withName("restricted")
                .withApiGroup("rbac.authorization.k8s.io")
                .endSubject()
                .build())
        .create();
    admin
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("seen")
                .addToLabels(LiveCache.MANAGED_BY_LABEL, LiveCache.MANAGED_BY_VALUE)
                .endMetadata()
                .build())
        .create();
  }

  @AfterAll
  static void stop() {
    admin.close();
    kube.close();
  }

  @Test
  void aKindThatMayNotBeListedIsReportedAndWatchedOnceRbacAllowsIt() {
    try (KubernetesClient restricted = kube.clientAs("restricted");
        LiveCache cache = new LiveCache(restricted, o -> {}, "mooring.dev/app")) {
      KindResolver kinds = new KindResolver(admin);
      cache.servedBy(kinds::isServed, type -> kinds.forget(type.apiVersion()));
      cache.retryUnavailableAfter(Duration.ofSeconds(1));

      assertThat(cache.get(CONFIG_MAPS, "default", "seen")).isNotNull();
      assertThatThrownBy(() -> cache.get(SECRETS, "default", "anything"))
          .isInstanceOf(KindUnavailableException.class)
          .hasMessageContaining("cannot list secrets")
          .hasMessageContaining("forbidden");
      assertThat(cache.get(CONFIG_MAPS, "default", "seen"))
          .as("other kinds still work")
          .isNotNull();

      role(List.of("configmaps", "secrets"));
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptionsInstanceOf(KindUnavailableException.class)
          .until(() -> cache.get(SECRETS, "default", "anything") == null);
    }
  }

  private static void role(List<String> resources) {
    admin
        .rbac()
        .clusterRoles()
        .resource(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName("restricted")
                .endMetadata()
                .addNewRule()
                .withApiGroups("")
                .withResources(resources)
                .withVerbs("get", "list", "watch")
                .endRule()
                .build())
        .serverSideApply();
  }
}
