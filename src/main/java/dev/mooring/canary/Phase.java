package dev.mooring.canary;

/** The phases of a Canary, with Flagger's names (they appear in {@code status.phase}). */
public enum Phase {
  /** Creating the primary workload and services; waiting for the primary to be ready. */
  Initializing,
  /** The primary serves all traffic; no revision has been analysed yet. */
  Initialized,
  /** A new revision waits for a confirm-rollout webhook to approve it. */
  Waiting,
  /** The analysis runs: traffic moves to the canary step by step, or iterations are counted. */
  Progressing,
  /** The analysis is done; a confirm-promotion webhook has not approved the promotion yet. */
  WaitingPromotion,
  /** The primary runs the new spec; traffic moves back to it. */
  Promoting,
  /** All traffic is on the primary; the canary is scaled to zero next. */
  Finalising,
  /** The last revision was promoted (or matches the promoted one). */
  Succeeded,
  /** The last revision was rolled back; it is not analysed again until the target changes. */
  Failed;

  /** True while an analysis or a promotion is under way. */
  public boolean isActive() {
    return this == Waiting
        || this == Progressing
        || this == WaitingPromotion
        || this == Promoting
        || this == Finalising;
  }
}
