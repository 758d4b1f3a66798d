/**
 * Canary analysis (Flagger's model): the pure state machine that decides, one tick at a time, how a
 * canary advances, is promoted or is rolled back.
 *
 * <p>{@link dev.mooring.canary.CanaryStateMachine#step} reads the Canary's status ({@link
 * dev.mooring.canary.CanaryState}), its analysis settings ({@link
 * dev.mooring.canary.AnalysisSettings}) and what the controller observed ({@link
 * dev.mooring.canary.Observation}), and returns a {@link dev.mooring.canary.Decision}: the next
 * status and the {@link dev.mooring.canary.Action}s to carry out, as data. No clocks, no cluster,
 * no HTTP: time is part of the observation, and all progress lives in the status, so a restarted
 * controller resumes an analysis from the status alone.
 */
package dev.mooring.canary;
