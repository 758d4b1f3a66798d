package dev.mooring.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.cluster.ResourceType;
import java.util.List;

/**
 * What a sync will do, in order: PreSync hooks, waves of apply steps (each wave healthy before the
 * next starts) with the Sync hooks of the same wave, prune steps in reverse order, PostSync hooks;
 * SyncFail hooks when any of it fails. Plain data: a dry run returns it as it is.
 *
 * @param hooks the hooks of Git, which run in every sync of the whole app (a sync of selected
 *     resources runs none, as in Argo CD)
 */
public record SyncPlan(List<Wave> waves, List<Step> prune, List<SyncHook> hooks) {

  public SyncPlan {
    hooks = hooks == null ? List.of() : List.copyOf(hooks);
  }

  public SyncPlan(List<Wave> waves, List<Step> prune) {
    this(waves, prune, List.of());
  }

  /** One step's verb. */
  public enum Action {
    CREATE("created"),
    UPDATE("configured"),
    NONE("unchanged"),
    PRUNE("pruned"),
    PRUNE_SKIP("prune-skipped");

    private final String result;

    Action(String result) {
      this.result = result;
    }

    /** The word the contract uses in syncResult for this action once done. */
    public String result() {
      return result;
    }
  }

  /** Objects applied together. */
  public record Wave(String name, List<Step> steps) {}

  /** One object's step. */
  public record Step(
      Action action,
      ResourceKey key,
      ResourceType type,
      ObjectNode desired,
      ObjectNode live,
      int wave,
      SyncOptions options,
      String reason) {}

  public boolean changesNothing() {
    return waves.stream().flatMap(w -> w.steps().stream()).allMatch(s -> s.action() == Action.NONE)
        && prune.stream().allMatch(s -> s.action() == Action.PRUNE_SKIP);
  }
}
