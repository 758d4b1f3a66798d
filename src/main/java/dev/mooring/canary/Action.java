package dev.mooring.canary;

import java.time.Duration;

/**
 * One thing the controller must do, as data. A {@link Decision} lists them in the order to carry
 * them out.
 */
public sealed interface Action
    permits Action.InitializePrimary,
        Action.ScaleCanaryUp,
        Action.ScaleCanaryToZero,
        Action.SetWeights,
        Action.PromoteToPrimary,
        Action.RunWebhooks,
        Action.RunChecks,
        Action.NotifyWebhooks,
        Action.RecordEvent,
        Action.Requeue {

  /** Whether the state machine needs the result of this action before it can decide. */
  default boolean isInputRequest() {
    return false;
  }

  /**
   * Create or update the {@code -primary} workload (a copy of the target and its ConfigMaps and
   * Secrets) and the apex, {@code -primary} and {@code -canary} Services.
   */
  record InitializePrimary() implements Action {}

  /** Scale the target (the canary) back up from zero to its desired replicas. */
  record ScaleCanaryUp() implements Action {}

  /** Scale the target (the canary) to zero replicas. */
  record ScaleCanaryToZero() implements Action {}

  /**
   * Route traffic: percent to the primary and to the canary; they add up to 100. With {@code
   * mirror}, the router also copies the primary's requests to the canary (blue/green mirroring: the
   * canary's responses are dropped).
   */
  record SetWeights(int primary, int canary, boolean mirror) implements Action {
    public SetWeights(int primary, int canary) {
      this(primary, canary, false);
    }
  }

  /** Copy the target's pod template and referenced ConfigMaps and Secrets to the primary. */
  record PromoteToPrimary() implements Action {}

  /**
   * Call every webhook of this type and put the results into the observation; the state machine is
   * called again within the same tick.
   */
  record RunWebhooks(String type) implements Action {
    @Override
    public boolean isInputRequest() {
      return true;
    }
  }

  /**
   * Query every metric of the analysis and put the checks into the observation; the state machine
   * is called again within the same tick.
   */
  record RunChecks() implements Action {
    @Override
    public boolean isInputRequest() {
      return true;
    }
  }

  /** Call every webhook of this type without waiting for a verdict (post-rollout). */
  record NotifyWebhooks(String type, Phase phase) implements Action {}

  /**
   * Record a Kubernetes Event on the Canary; the controller also sends it to the {@code event}
   * webhooks.
   *
   * @param type {@code Normal} or {@code Warning}
   */
  record RecordEvent(String type, String reason, String message) implements Action {
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
  }

  /** Run the next tick after this delay. */
  record Requeue(Duration after) implements Action {}
}
