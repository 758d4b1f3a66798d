package dev.mooring.canary;

import java.time.Instant;

/**
 * The Canary's status as far as the analysis goes: everything it needs to resume after a restart.
 *
 * @param phase the current phase; null is read as {@link Phase#Initializing}
 * @param canaryWeight percent of traffic on the canary
 * @param failedChecks failed analysis ticks since this revision's analysis started
 * @param iterations analysis iterations done (blue/green)
 * @param lastAppliedSpec target hash the current (or last) analysis is about
 * @param lastPromotedSpec target hash the primary runs
 * @param lastTransitionTime when the phase, weight, iterations or revision last changed; the
 *     progress deadline counts from here
 * @param failedRevision target hash of the last failed analysis: it is not analysed again until the
 *     target changes (pitfalls.md, "Rollback loops"); null when none
 */
public record CanaryState(
    Phase phase,
    int canaryWeight,
    int failedChecks,
    int iterations,
    String lastAppliedSpec,
    String lastPromotedSpec,
    Instant lastTransitionTime,
    String failedRevision) {

  public CanaryState {
    phase = phase == null ? Phase.Initializing : phase;
  }

  /** The status of a Canary that was just created. */
  public static CanaryState initial() {
    return new CanaryState(Phase.Initializing, 0, 0, 0, null, null, null, null);
  }

  CanaryState withPhase(Phase next) {
    return new CanaryState(
        next,
        canaryWeight,
        failedChecks,
        iterations,
        lastAppliedSpec,
        lastPromotedSpec,
        lastTransitionTime,
        failedRevision);
  }

  CanaryState withCanaryWeight(int weight) {
    return new CanaryState(
        phase,
        weight,
        failedChecks,
        iterations,
        lastAppliedSpec,
        lastPromotedSpec,
        lastTransitionTime,
        failedRevision);
  }

  CanaryState withFailedChecks(int failed) {
    return new CanaryState(
        phase,
        canaryWeight,
        failed,
        iterations,
        lastAppliedSpec,
        lastPromotedSpec,
        lastTransitionTime,
        failedRevision);
  }

  CanaryState withIterations(int done) {
    return new CanaryState(
        phase,
        canaryWeight,
        failedChecks,
        done,
        lastAppliedSpec,
        lastPromotedSpec,
        lastTransitionTime,
        failedRevision);
  }

  CanaryState withLastAppliedSpec(String hash) {
    return new CanaryState(
        phase,
        canaryWeight,
        failedChecks,
        iterations,
        hash,
        lastPromotedSpec,
        lastTransitionTime,
        failedRevision);
  }

  CanaryState withLastPromotedSpec(String hash) {
    return new CanaryState(
        phase,
        canaryWeight,
        failedChecks,
        iterations,
        lastAppliedSpec,
        hash,
        lastTransitionTime,
        failedRevision);
  }

  CanaryState withLastTransitionTime(Instant time) {
    return new CanaryState(
        phase,
        canaryWeight,
        failedChecks,
        iterations,
        lastAppliedSpec,
        lastPromotedSpec,
        time,
        failedRevision);
  }

  CanaryState withFailedRevision(String hash) {
    return new CanaryState(
        phase,
        canaryWeight,
        failedChecks,
        iterations,
        lastAppliedSpec,
        lastPromotedSpec,
        lastTransitionTime,
        hash);
  }

  /** A fresh analysis of {@code hash}: weight, failed checks and iterations back to zero. */
  CanaryState startingAnalysisOf(String hash, Phase next) {
    return new CanaryState(
        next, 0, 0, 0, hash, lastPromotedSpec, lastTransitionTime, failedRevision);
  }
}
