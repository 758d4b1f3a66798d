/**
 * Health assessment of Kubernetes objects, modelled on Argo CD's gitops-engine {@code pkg/health}.
 *
 * <p>Everything here is pure: a {@link dev.mooring.health.HealthCheck} per kind reads a live object
 * (a plain Jackson tree) and returns a {@link dev.mooring.health.Health}; {@link
 * dev.mooring.health.HealthAssessor} picks the check and aggregates the results of many objects.
 * Every message that is not Healthy says what is not healthy and why, so that a sync waiting for
 * health can tell its user what it waits for.
 */
package dev.mooring.health;
