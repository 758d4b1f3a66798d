package dev.mooring.controller;

import dev.mooring.api.CanaryIndex;
import dev.mooring.cluster.ResourceType;
import dev.mooring.model.Canary;
import dev.mooring.model.CanarySpec;
import dev.mooring.sync.ForeignFields;
import dev.mooring.sync.ResourceKey;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workloads that Canaries deliver: the canary controller scales them (to 0 once the primary
 * serves, back up for the next analysis), so their {@code spec.replicas} is not Git's to decide.
 * Kept current from the Canary informer; a lookup is one hash lookup, as it runs for every object
 * of every comparison.
 */
@ApplicationScoped
public class CanaryTargets implements ForeignFields {
  static final List<String> REPLICAS = List.of("/spec/replicas");

  /** The node selector by which a DaemonSet target is scaled to zero (Mooring's and Flagger's). */
  static final List<String> SCALE_TO_ZERO =
      List.of(
          "/spec/template/spec/nodeSelector/mooring.dev~1scale-to-zero",
          "/spec/template/spec/nodeSelector/flagger.app~1scale-to-zero");

  private final CanaryIndex index;

  /** Canary "namespace/name" to the key of its target; changed only under this object's lock. */
  private final Map<String, ResourceKey> targetOf = new HashMap<>();

  /** Target key to the number of Canaries naming it (normally one). */
  private final Map<ResourceKey, Integer> targets = new ConcurrentHashMap<>();

  public CanaryTargets(CanaryIndex index) {
    this.index = index;
  }

  /**
   * Listens first and then reads what the informer already has, so that no Canary is missed whether
   * the informer started before this bean or after. Holding the lock while seeding makes a delete
   * that arrives meanwhile wait, and the informer's store is updated before its listeners hear of a
   * change, so a Canary deleted before the seed read is not added back.
   */
  @PostConstruct
  void start() {
    index.onChange(this::onCanary);
    synchronized (this) {
      index.list().forEach(c -> onCanary(null, c));
    }
  }

  @Override
  public List<String> pointers(ResourceKey key) {
    if (!"apps".equals(key.group())
        || !("Deployment".equals(key.kind())
            || "StatefulSet".equals(key.kind())
            || "DaemonSet".equals(key.kind()))) {
      return List.of();
    }
    if (!targets.containsKey(key)) {
      return List.of();
    }
    return "DaemonSet".equals(key.kind()) ? SCALE_TO_ZERO : REPLICAS;
  }

  /** An informer change: (null, new) on add, (old, new) on update, (old, null) on delete. */
  synchronized void onCanary(Canary old, Canary now) {
    Canary canary = now != null ? now : old;
    if (canary == null || canary.getMetadata() == null) {
      return;
    }
    String id = canary.getMetadata().getNamespace() + "/" + canary.getMetadata().getName();
    ResourceKey target = now == null ? null : targetOf(now);
    ResourceKey previous = target == null ? targetOf.remove(id) : targetOf.put(id, target);
    if (previous != null) {
      targets.computeIfPresent(previous, (k, n) -> n > 1 ? n - 1 : null);
    }
    if (target != null) {
      targets.merge(target, 1, Integer::sum);
    }
  }

  /** The workload a Canary delivers, with Flagger's defaults; null when it names none. */
  static ResourceKey targetOf(Canary canary) {
    CanarySpec spec = canary.getSpec();
    CanarySpec.ObjectRef ref = spec == null ? null : spec.targetRef;
    if (ref == null || blank(ref.name)) {
      return null;
    }
    String apiVersion = blank(ref.apiVersion) ? "apps/v1" : ref.apiVersion;
    String kind = blank(ref.kind) ? "Deployment" : ref.kind;
    String namespace = blank(ref.namespace) ? canary.getMetadata().getNamespace() : ref.namespace;
    return new ResourceKey(ResourceType.groupOf(apiVersion), kind, namespace, ref.name);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
