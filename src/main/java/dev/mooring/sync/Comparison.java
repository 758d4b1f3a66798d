package dev.mooring.sync;

import dev.mooring.diff.ResourceDiff;
import dev.mooring.health.Health;
import dev.mooring.sync.SyncPlanner.Candidate;
import dev.mooring.sync.SyncPlanner.Orphan;
import java.util.List;
import java.util.Map;

/**
 * Git compared with the cluster for one Application at one revision: every desired object with its
 * diff and health, the owned objects Git no longer has, and the hooks a sync runs (never compared:
 * they are not part of what is in sync).
 */
public record Comparison(
    String revision,
    List<Candidate> candidates,
    Map<ResourceKey, ResourceDiff> diffs,
    Map<ResourceKey, Health> health,
    List<Orphan> orphans,
    List<SyncHook> hooks) {

  public Comparison {
    hooks = hooks == null ? List.of() : List.copyOf(hooks);
  }

  public Comparison(
      String revision,
      List<Candidate> candidates,
      Map<ResourceKey, ResourceDiff> diffs,
      Map<ResourceKey, Health> health,
      List<Orphan> orphans) {
    this(revision, candidates, diffs, health, orphans, List.of());
  }

  /**
   * Synced when every desired object matches and nothing owned is left over (but what is marked
   * IgnoreExtraneous).
   */
  public boolean inSync() {
    return candidates.stream().allMatch(Candidate::inSync)
        && orphans.stream().allMatch(Orphan::ignoredExtraneous);
  }

  public Health appHealth() {
    Map<String, Health> byName = new java.util.LinkedHashMap<>();
    health.forEach((k, h) -> byName.put(k.toString(), h));
    return dev.mooring.health.HealthAssessor.aggregate(byName);
  }
}
