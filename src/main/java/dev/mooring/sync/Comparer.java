package dev.mooring.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.cluster.KindResolver;
import dev.mooring.cluster.LiveCache;
import dev.mooring.cluster.ResourceType;
import dev.mooring.cluster.UnknownKindException;
import dev.mooring.diff.DiffEngine;
import dev.mooring.diff.IgnoreRule;
import dev.mooring.diff.ResourceDiff;
import dev.mooring.health.Health;
import dev.mooring.health.HealthAssessor;
import dev.mooring.sync.SyncPlanner.Candidate;
import dev.mooring.sync.SyncPlanner.Orphan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link Comparison}: marks each rendered object with Mooring's labels, gives namespaced
 * objects the destination namespace, reads the live object from the informer cache (never the API
 * server), diffs and assesses health, and finds owned objects that Git no longer has.
 */
public class Comparer {
  private final KindResolver kinds;
  private final LiveCache cache;
  private final Applier applier;
  private final HealthAssessor health;
  private final ForeignFields foreign;

  /** The Application-level inputs of a comparison. */
  public record Target(
      String appNamespace,
      String appName,
      String destinationNamespace,
      SyncOptions options,
      List<IgnoreRule> ignores,
      Collection<ResourceKeyWithVersion> inventory) {}

  /** An inventory entry from status: enough to know which kinds to watch after a restart. */
  public record ResourceKeyWithVersion(String group, String version, String kind) {}

  /**
   * @param foreign fields owned by another part of Mooring, ignored like ignoreDifferences
   */
  public Comparer(
      KindResolver kinds,
      LiveCache cache,
      Applier applier,
      HealthAssessor health,
      ForeignFields foreign) {
    this.kinds = kinds;
    this.cache = cache;
    this.applier = applier;
    this.health = health;
    this.foreign = foreign;
  }

  public Comparison compare(Target target, String revision, List<ObjectNode> rendered)
      throws UnknownKindException {
    List<JsonNode> crds =
        rendered.stream()
            .filter(o -> "CustomResourceDefinition".equals(o.path("kind").asText()))
            .map(o -> (JsonNode) o)
            .toList();
    List<Candidate> candidates = new ArrayList<>();
    Map<ResourceKey, ResourceDiff> diffs = new LinkedHashMap<>();
    Map<ResourceKey, Health> healths = new LinkedHashMap<>();
    Set<ResourceKey> desiredKeys = new HashSet<>();
    for (ObjectNode source : rendered) {
      ObjectNode desired = source.deepCopy();
      ResourceType type =
          kinds.resolve(desired.path("apiVersion").asText(), desired.path("kind").asText(), crds);
      ObjectNode meta = desired.with("metadata");
      if (type.namespaced()) {
        if (meta.path("namespace").asText("").isEmpty()) {
          meta.put("namespace", target.destinationNamespace());
        }
      } else {
        meta.remove("namespace");
      }
      Tracking.mark(desired, target.appNamespace(), target.appName());
      ResourceKey key = ResourceKey.of(desired);
      desiredKeys.add(key);
      SyncOptions options =
          target
              .options()
              .overriddenBy(SyncOptions.parse(Tracking.annotation(desired, Tracking.SYNC_OPTIONS)));
      boolean ssa = options.isTrue("ServerSideApply");
      ObjectNode live = cache.get(type, key.namespace(), key.name());
      ObjectNode lastApplied = ssa ? null : applier.lastAppliedOf(live);
      ResourceDiff diff = DiffEngine.diff(desired, live, lastApplied, ignoresFor(key, target));
      diffs.put(key, diff);
      healths.put(key, health.assess(live));
      candidates.add(
          new Candidate(key, type, desired, live, live != null && diff.inSync(), options));
    }
    List<Orphan> orphans = new ArrayList<>();
    for (ResourceKeyWithVersion entry : target.inventory()) {
      try {
        String apiVersion =
            entry.group().isEmpty() ? entry.version() : entry.group() + "/" + entry.version();
        cache.watch(kinds.resolve(apiVersion, entry.kind(), crds));
      } catch (UnknownKindException e) {
        // the kind is gone from the cluster (its CRD was deleted): nothing left to prune
      }
    }
    String label = Tracking.appLabel(target.appNamespace(), target.appName());
    for (ObjectNode live : cache.listByLabel(label)) {
      ResourceKey key = ResourceKey.of(live);
      if (desiredKeys.contains(key)
          || !Tracking.ownedBy(live, target.appNamespace(), target.appName())) {
        continue;
      }
      if (!live.path("metadata").path("deletionTimestamp").isMissingNode()) {
        continue; // already being deleted
      }
      try {
        ResourceType type =
            kinds.resolve(live.path("apiVersion").asText(), live.path("kind").asText(), crds);
        orphans.add(
            new Orphan(
                key,
                type,
                live,
                SyncOptions.parse(Tracking.annotation(live, Tracking.SYNC_OPTIONS))));
      } catch (UnknownKindException e) {
        // cannot happen for a watched kind; skip rather than fail the comparison
      }
    }
    orphans.sort((a, b) -> a.key().compareTo(b.key()));
    return new Comparison(revision, candidates, diffs, healths, orphans);
  }

  /** The Application's ignoreDifferences, plus the object's foreign fields when it has any. */
  private List<IgnoreRule> ignoresFor(ResourceKey key, Target target) {
    List<String> pointers = foreign.pointers(key);
    if (pointers.isEmpty()) {
      return target.ignores();
    }
    List<IgnoreRule> ignores = new ArrayList<>();
    if (target.ignores() != null) {
      ignores.addAll(target.ignores());
    }
    ignores.add(new IgnoreRule(key.group(), key.kind(), key.name(), key.namespace(), pointers));
    return ignores;
  }
}
