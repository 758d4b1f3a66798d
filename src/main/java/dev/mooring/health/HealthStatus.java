package dev.mooring.health;

/**
 * The health of one object or of a whole Application, in order of severity (best first).
 *
 * <p>The order follows Argo CD's, with one deliberate difference: Argo CD ranks {@code Unknown}
 * worse than {@code Degraded}; Mooring ranks it between {@code Missing} and {@code Degraded}, so
 * that an aggregate shows a known failure (and its message) rather than an object whose state could
 * not be read. {@code Unknown} still outranks {@code Missing} and everything better.
 */
public enum HealthStatus {
  /** The object is fully available. */
  Healthy,
  /** The object is paused or suspended on purpose (a paused Deployment, a suspended CronJob). */
  Suspended,
  /** The object is not healthy yet but may still become healthy (a rollout in progress). */
  Progressing,
  /** The object does not exist in the cluster. */
  Missing,
  /** The object's health could not be assessed. */
  Unknown,
  /** The object failed or cannot reach a healthy state without a change. */
  Degraded;

  /** The worse of this status and {@code other}; {@code null} counts as {@link #Healthy}. */
  public HealthStatus worse(HealthStatus other) {
    return other != null && other.isWorseThan(this) ? other : this;
  }

  /** Whether this status is strictly worse than {@code other}; {@code null} counts as Healthy. */
  public boolean isWorseThan(HealthStatus other) {
    return ordinal() > (other == null ? Healthy : other).ordinal();
  }

  /** Parses a status name as written in a status field, or {@code null} when it is not one. */
  static HealthStatus parse(String name) {
    for (HealthStatus status : values()) {
      if (status.name().equalsIgnoreCase(name)) {
        return status;
      }
    }
    return null;
  }
}
