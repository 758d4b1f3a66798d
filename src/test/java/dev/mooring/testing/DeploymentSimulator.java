package dev.mooring.testing;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays the Deployment controller and the kubelet for the mock API server, which runs no pods:
 * every Deployment in the namespace gets a status saying all its replicas are updated, ready and
 * available, except the ones the test holds back (they report no available replica, like pods that
 * never become ready).
 */
public final class DeploymentSimulator implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final Set<String> unready = ConcurrentHashMap.newKeySet();
  private final SharedIndexInformer<Deployment> informer;
  private final SharedIndexInformer<io.fabric8.kubernetes.api.model.apps.DaemonSet> daemonSets;

  /** Nodes a DaemonSet runs on, unless its node selector names a label (no node has labels). */
  public static final int NODES = 2;

  private DeploymentSimulator(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    this.informer =
        client
            .apps()
            .deployments()
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Deployment d) {
                    settle(d);
                  }

                  @Override
                  public void onUpdate(Deployment old, Deployment d) {
                    settle(d);
                  }

                  @Override
                  public void onDelete(Deployment d, boolean unknown) {}
                },
                0);
    this.daemonSets =
        client
            .apps()
            .daemonSets()
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(io.fabric8.kubernetes.api.model.apps.DaemonSet d) {
                    settle(d);
                  }

                  @Override
                  public void onUpdate(
                      io.fabric8.kubernetes.api.model.apps.DaemonSet old,
                      io.fabric8.kubernetes.api.model.apps.DaemonSet d) {
                    settle(d);
                  }

                  @Override
                  public void onDelete(
                      io.fabric8.kubernetes.api.model.apps.DaemonSet d, boolean unknown) {}
                },
                0);
  }

  /**
   * A DaemonSet's status as its controller would write it on {@link #NODES} unlabelled nodes: any
   * node selector leaves it on none.
   */
  private void settle(io.fabric8.kubernetes.api.model.apps.DaemonSet d) {
    var selector = d.getSpec().getTemplate().getSpec().getNodeSelector();
    int desired = selector == null || selector.isEmpty() ? NODES : 0;
    boolean held = unready.contains(d.getMetadata().getName());
    var wanted =
        new io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withDesiredNumberScheduled(desired)
            .withCurrentNumberScheduled(desired)
            .withUpdatedNumberScheduled(desired)
            .withNumberReady(held ? 0 : desired)
            .withNumberAvailable(held ? 0 : desired)
            .withNumberMisscheduled(0)
            .build();
    if (Objects.equals(wanted, d.getStatus())) {
      return;
    }
    try {
      client
          .apps()
          .daemonSets()
          .inNamespace(namespace)
          .withName(d.getMetadata().getName())
          .editStatus(
              latest -> {
                latest.setStatus(wanted);
                latest.getStatus().setObservedGeneration(latest.getMetadata().getGeneration());
                return latest;
              });
    } catch (KubernetesClientException e) {
      // deleted meanwhile, or a conflict: the next event settles it
    }
  }

  /** Starts simulating the Deployments of {@code namespace}. */
  public static DeploymentSimulator start(KubernetesClient client, String namespace) {
    return new DeploymentSimulator(client, namespace);
  }

  /** Keeps a Deployment's pods from ever becoming available (until {@link #release}). */
  public void holdUnready(String name) {
    unready.add(name);
    Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
    if (d != null) {
      settle(d);
    }
  }

  /** Lets a held Deployment become available. */
  public void release(String name) {
    unready.remove(name);
    Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
    if (d != null) {
      settle(d);
    }
  }

  private void settle(Deployment d) {
    DeploymentStatus wanted = statusFor(d);
    if (Objects.equals(wanted, d.getStatus())) {
      return;
    }
    try {
      client
          .apps()
          .deployments()
          .inNamespace(namespace)
          .withName(d.getMetadata().getName())
          .editStatus(
              latest -> {
                latest.setStatus(statusFor(latest));
                return latest;
              });
    } catch (KubernetesClientException e) {
      // deleted meanwhile, or a conflict: the next event settles it
    }
  }

  private DeploymentStatus statusFor(Deployment d) {
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    boolean held = unready.contains(d.getMetadata().getName());
    return new DeploymentStatusBuilder()
        .withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(replicas)
        .withUpdatedReplicas(replicas)
        .withReadyReplicas(held ? 0 : replicas)
        .withAvailableReplicas(held ? 0 : replicas)
        .build();
  }

  @Override
  public void close() {
    informer.close();
    daemonSets.close();
  }
}
