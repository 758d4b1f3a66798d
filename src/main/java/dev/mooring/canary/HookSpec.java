package dev.mooring.canary;

import java.util.Objects;

/**
 * One webhook of {@code analysis.webhooks}: only what the state machine needs, its name and type.
 *
 * @param name unique within the canary; results are matched by it
 * @param type one of the constants below; blank means {@value #ROLLOUT}, as in Flagger
 */
public record HookSpec(String name, String type) {

  /** Gates the start of an analysis: not ok keeps the canary {@link Phase#Waiting}. */
  public static final String CONFIRM_ROLLOUT = "confirm-rollout";

  /** Runs once before traffic moves; a failure counts as a failed check. */
  public static final String PRE_ROLLOUT = "pre-rollout";

  /** Runs every analysis tick (load tests, acceptance tests); a failure is a failed check. */
  public static final String ROLLOUT = "rollout";

  /** Gates each weight increase: not ok holds the weight without counting a failure. */
  public static final String CONFIRM_TRAFFIC_INCREASE = "confirm-traffic-increase";

  /** Gates the promotion: not ok keeps the canary {@link Phase#WaitingPromotion}. */
  public static final String CONFIRM_PROMOTION = "confirm-promotion";

  /** Notified after a promotion or a rollback; its answer changes nothing. */
  public static final String POST_ROLLOUT = "post-rollout";

  /** Asked every tick of an analysis: ok means "roll back now". */
  public static final String ROLLBACK = "rollback";

  /** Receives every event the controller records; its answer changes nothing. */
  public static final String EVENT = "event";

  public HookSpec {
    Objects.requireNonNull(name, "name");
    type = type == null || type.isBlank() ? ROLLOUT : type;
  }
}
