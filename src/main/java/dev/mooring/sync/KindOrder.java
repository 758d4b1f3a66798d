package dev.mooring.sync;

import java.util.List;

/**
 * The order in which kinds are applied inside one sync wave, as Helm and Argo CD do it: what other
 * objects depend on (namespaces, CRDs, accounts, config) comes before the workloads using it.
 */
public final class KindOrder {
  private static final List<String> ORDER =
      List.of(
          "Namespace",
          "CustomResourceDefinition",
          "NetworkPolicy",
          "ResourceQuota",
          "LimitRange",
          "PodSecurityPolicy",
          "PodDisruptionBudget",
          "ServiceAccount",
          "Secret",
          "SecretList",
          "ConfigMap",
          "StorageClass",
          "PersistentVolume",
          "PersistentVolumeClaim",
          "ClusterRole",
          "ClusterRoleList",
          "ClusterRoleBinding",
          "ClusterRoleBindingList",
          "Role",
          "RoleList",
          "RoleBinding",
          "RoleBindingList",
          "Service",
          "DaemonSet",
          "Pod",
          "ReplicationController",
          "ReplicaSet",
          "Deployment",
          "HorizontalPodAutoscaler",
          "StatefulSet",
          "Job",
          "CronJob",
          "IngressClass",
          "Ingress",
          "APIService");

  private KindOrder() {}

  /** Rank of a kind; kinds not listed (custom resources) come last. */
  public static int rank(String kind) {
    int i = ORDER.indexOf(kind);
    return i < 0 ? ORDER.size() : i;
  }

  /** Namespaces and CRDs go before every wave: everything else may need them. */
  public static boolean isFoundation(String group, String kind) {
    return ("".equals(group) && "Namespace".equals(kind))
        || ("apiextensions.k8s.io".equals(group) && "CustomResourceDefinition".equals(kind));
  }
}
