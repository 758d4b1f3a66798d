package dev.mooring.controller;

import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Small helpers for tests that drive the controller through the mock API server. */
final class ClusterFixture {
  private final KubernetesClient client;

  ClusterFixture(KubernetesClient client) {
    this.client = client;
  }

  void namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(n -> n.update());
  }

  /** An Application over a repository folder; automated when prune/selfHeal are non-null. */
  Application app(
      String ns, String name, String repoURL, String path, Boolean prune, Boolean selfHeal) {
    namespace(ns);
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    ApplicationSpec spec = new ApplicationSpec();
    spec.source = new ApplicationSpec.Source();
    spec.source.repoURL = repoURL;
    spec.source.path = path;
    spec.destination = new ApplicationSpec.Destination();
    spec.destination.namespace = ns;
    spec.refreshInterval = "1s";
    if (prune != null || selfHeal != null) {
      spec.syncPolicy = new ApplicationSpec.SyncPolicy();
      spec.syncPolicy.automated = new ApplicationSpec.Automated();
      spec.syncPolicy.automated.prune = prune;
      spec.syncPolicy.automated.selfHeal = selfHeal;
    }
    app.setSpec(spec);
    return app;
  }

  Application create(Application app) {
    return client.resource(app).create();
  }

  /** Changes an Application as a user would, again when the controller wrote it meanwhile. */
  Application edit(String ns, String name, java.util.function.UnaryOperator<Application> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return appResource(ns, name).edit(change);
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 10) {
          throw e;
        }
      }
    }
  }

  Resource<Application> appResource(String ns, String name) {
    return client.resources(Application.class).inNamespace(ns).withName(name);
  }

  Application awaitApp(String ns, String name, Predicate<Application> condition) {
    return awaitApp(ns, name, condition, Duration.ofSeconds(30));
  }

  Application awaitApp(String ns, String name, Predicate<Application> condition, Duration atMost) {
    return await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> appResource(ns, name).get(), a -> a != null && condition.test(a));
  }

  static boolean synced(Application a, String revision) {
    return a.getStatus() != null
        && a.getStatus().sync != null
        && "Synced".equals(a.getStatus().sync.status)
        && (revision == null || revision.equals(a.getStatus().sync.revision));
  }

  static String readyReason(Application a) {
    if (a.getStatus() == null) {
      return null;
    }
    return a.getStatus().conditions.stream()
        .filter(c -> "Ready".equals(c.type))
        .map(c -> c.reason)
        .findFirst()
        .orElse(null);
  }

  static String readyMessage(Application a) {
    if (a.getStatus() == null) {
      return "";
    }
    return a.getStatus().conditions.stream()
        .filter(c -> "Ready".equals(c.type))
        .map(c -> c.message)
        .findFirst()
        .orElse("");
  }

  ConfigMap configMap(String ns, String name) {
    return client.configMaps().inNamespace(ns).withName(name).get();
  }

  static String configMap(String name, String key, String value) {
    return String.join(
        "\n",
        List.of(
            "apiVersion: v1",
            "kind: ConfigMap",
            "metadata:",
            "  name: " + name,
            "data:",
            "  " + key + ": \"" + value + "\"",
            ""));
  }
}
