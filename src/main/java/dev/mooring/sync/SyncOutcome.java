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

  /** The result for one resource, as in status.operationState.syncResult.resources. */
  public record ResourceResult(ResourceKey key, String action, String message) {}

  public long count(String action) {
    return resources.stream().filter(r -> action.equals(r.action())).count();
  }
}
