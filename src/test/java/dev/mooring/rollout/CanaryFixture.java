package dev.mooring.rollout;

import dev.mooring.model.Canary;
import dev.mooring.model.CanaryStatus;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Objects and waits shared by the canary controller's integration tests and benchmark. */
public final class CanaryFixture {
  final KubernetesClient client;
  final String ns;

  public CanaryFixture(KubernetesClient client, String ns) {
    this.client = client;
    this.ns = ns;
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .createOr(n -> n.update());
  }

  /** A Deployment {@code name} (selector app=name) whose container reads ConfigMap name-config. */
  public Deployment deployment(String name, String image, int replicas) {
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name + "-config")
                .endMetadata()
                .withData(Map.of("color", "blue"))
                .build())
        .createOr(c -> c.update());
    Deployment d =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .withNewSelector()
            .addToMatchLabels("app", name)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", name)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage(image)
            .addNewEnvFrom()
            .withNewConfigMapRef()
            .withName(name + "-config")
            .endConfigMapRef()
            .endEnvFrom()
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    return client.apps().deployments().inNamespace(ns).resource(d).create();
  }

  public Ingress ingress(String name, String service) {
    return client
        .network()
        .v1()
        .ingresses()
        .inNamespace(ns)
        .resource(
            new IngressBuilder()
                .withNewMetadata()
                .withName(name)
                .addToAnnotations("kubernetes.io/ingress.class", "nginx")
                .endMetadata()
                .withNewSpec()
                .addNewRule()
                .withHost(name + ".example.com")
                .withNewHttp()
                .addNewPath()
                .withPath("/")
                .withPathType("Prefix")
                .withNewBackend()
                .withNewService()
                .withName(service)
                .withNewPort()
                .withNumber(80)
                .endPort()
                .endService()
                .endBackend()
                .endPath()
                .endHttp()
                .endRule()
                .endSpec()
                .build())
        .create();
  }

  /** Creates a Canary from YAML (namespace filled in). */
  Canary canary(String yaml) {
    Canary canary = Serialization.unmarshal(yaml, Canary.class);
    canary.getMetadata().setNamespace(ns);
    return client.resource(canary).create();
  }

  void setImage(String deployment, String image) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(deployment)
        .edit(
            d -> {
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
              return d;
            });
  }

  Canary get(String name) {
    return client.resources(Canary.class).inNamespace(ns).withName(name).get();
  }

  Deployment deploymentNamed(String name) {
    return client.apps().deployments().inNamespace(ns).withName(name).get();
  }

  Service service(String name) {
    return client.services().inNamespace(ns).withName(name).get();
  }

  Ingress ingressNamed(String name) {
    return client.network().v1().ingresses().inNamespace(ns).withName(name).get();
  }

  GenericKubernetesResource httpRoute(String name) {
    return client
        .genericKubernetesResources("gateway.networking.k8s.io/v1", "HTTPRoute")
        .inNamespace(ns)
        .withName(name)
        .get();
  }

  static String image(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  static int replicas(Deployment d) {
    return d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }

  static String phase(Canary c) {
    return c == null || c.getStatus() == null ? null : c.getStatus().phase;
  }

  static String promoted(Canary c) {
    if (c == null || c.getStatus() == null) {
      return "";
    }
    return c.getStatus().conditions.stream()
        .filter(x -> CanaryStatus.CONDITION_PROMOTED.equals(x.type))
        .map(x -> x.status + " " + x.reason + ": " + x.message)
        .findFirst()
        .orElse("");
  }

  Canary await(String name, Duration atMost, Predicate<Canary> condition) {
    return org.awaitility.Awaitility.await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .alias("canary " + ns + "/" + name)
        .until(() -> get(name), c -> c != null && condition.test(c));
  }

  Canary awaitPhase(String name, String phase, Duration atMost) {
    return await(name, atMost, c -> phase.equals(phase(c)));
  }

  /** Event messages recorded on a Canary. */
  List<String> eventMessages(String canary) {
    List<String> messages = new ArrayList<>();
    client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> canary.equals(e.getInvolvedObject().getName()))
        .filter(e -> "Canary".equals(e.getInvolvedObject().getKind()))
        .forEach(e -> messages.add(e.getMessage()));
    return messages;
  }

  /** Event reasons recorded on a Canary, oldest first. */
  List<String> eventReasons(String canary) {
    List<String> reasons = new ArrayList<>();
    client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> canary.equals(e.getInvolvedObject().getName()))
        .filter(e -> "Canary".equals(e.getInvolvedObject().getKind()))
        .forEach(e -> reasons.add(e.getReason()));
    return reasons;
  }

  /** Samples a value in the background, recording each change, until closed. */
  static final class Recorder<T> implements AutoCloseable {
    private final List<T> seen = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    Recorder(java.util.function.Supplier<T> sample) {
      thread =
          new Thread(
              () -> {
                while (running) {
                  try {
                    T value = sample.get();
                    if (value != null
                        && (seen.isEmpty() || !Objects.equals(seen.get(seen.size() - 1), value))) {
                      seen.add(value);
                    }
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    return;
                  } catch (RuntimeException e) {
                    // the object may not exist yet
                  }
                }
              },
              "recorder");
      thread.setDaemon(true);
      thread.start();
    }

    List<T> seen() {
      return List.copyOf(seen);
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join(2000);
    }
  }

  static void sleep(Duration d) {
    org.awaitility.Awaitility.await().pollDelay(d).atMost(d.plusSeconds(5)).until(() -> true);
  }
}
