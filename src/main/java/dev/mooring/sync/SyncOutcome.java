package dev.mooring.sync;

import java.util.List;

/**
 * What a sync did: the phase, a message, and one result per resource. Read by status, API, metrics.
 */
public record SyncOutcome(Phase phase, String message, List<ResourceResult> resources) {

  /** Final phase of a sync run. */
  public enum Phase {
    Succeeded,
    Failed,
    Terminated
  }

  /**
   * The result for one resource, as in status.operationState.syncResult.resources.
   *
   * @param hookType the phase a hook ran in ({@code PreSync}, ...), null for an ordinary resource
   * @param hookPhase where the hook ended: {@code Succeeded}, {@code Failed}, {@code Running} (left
   *     running), null when it never started
   */
  public record ResourceResult(
      ResourceKey key, String action, String message, String hookType, String hookPhase) {
    public ResourceResult(ResourceKey key, String action, String message) {
      this(key, action, message, null, null);
    }

    public boolean hook() {
      return hookType != null;
    }
  }

  public long count(String action) {
    return resources.stream().filter(r -> action.equals(r.action())).count();
  }
}
