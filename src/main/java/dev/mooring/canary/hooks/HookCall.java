package dev.mooring.canary.hooks;

import dev.mooring.model.CanaryAnalysis.Webhook;
import java.util.Objects;

/**
 * One webhook to call for one canary, with what its payload says about the canary.
 *
 * @param canaryName the Canary's name
 * @param namespace the Canary's namespace
 * @param phase the phase the payload reports (Flagger sends {@code Progressing} for gates, the
 *     final phase for post-rollout hooks)
 * @param checksum the revision under analysis (Flagger's canary checksum); may be empty
 * @param hook the webhook as written in {@code analysis.webhooks}
 */
public record HookCall(
    String canaryName, String namespace, String phase, String checksum, Webhook hook) {

  public HookCall {
    Objects.requireNonNull(canaryName, "canaryName");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(hook, "hook");
    phase = phase == null ? "" : phase;
    checksum = checksum == null ? "" : checksum;
  }

  /** The same canary and phase, another webhook. */
  public HookCall withHook(Webhook other) {
    return new HookCall(canaryName, namespace, phase, checksum, other);
  }
}
