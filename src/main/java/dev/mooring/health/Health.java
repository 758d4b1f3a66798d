package dev.mooring.health;

import java.util.Objects;

/**
 * The result of a health assessment: a status and a message that says what is not healthy and why
 * (empty when there is nothing to say).
 *
 * @param status never null
 * @param message never null; {@code null} is stored as ""
 */
public record Health(HealthStatus status, String message) {

  public Health {
    Objects.requireNonNull(status, "status");
    message = message == null ? "" : message;
  }

  /** Healthy, without a message. */
  public static Health healthy() {
    return new Health(HealthStatus.Healthy, "");
  }

  /** Healthy, with a note (for example "Waiting for first consumer"). */
  public static Health healthy(String message) {
    return new Health(HealthStatus.Healthy, message);
  }

  /** Suspended on purpose, with the reason. */
  public static Health suspended(String message) {
    return new Health(HealthStatus.Suspended, message);
  }

  /** Not healthy yet, with what it waits for. */
  public static Health progressing(String message) {
    return new Health(HealthStatus.Progressing, message);
  }

  /** Failed, with what failed and why. */
  public static Health degraded(String message) {
    return new Health(HealthStatus.Degraded, message);
  }

  /** Not in the cluster. */
  public static Health missing(String message) {
    return new Health(HealthStatus.Missing, message);
  }

  /** Could not be assessed, with the reason. */
  public static Health unknown(String message) {
    return new Health(HealthStatus.Unknown, message);
  }

  /** Whether the status is {@link HealthStatus#Healthy}. */
  public boolean isHealthy() {
    return status == HealthStatus.Healthy;
  }
}
