/**
 * Calls a Canary's webhooks over HTTP the way Flagger does, and turns each answer into the {@link
 * dev.mooring.canary.WebhookResult} the pure state machine in {@code dev.mooring.canary} decides
 * on. Entry point: {@link dev.mooring.canary.hooks.WebhookExecutor}.
 */
package dev.mooring.canary.hooks;
