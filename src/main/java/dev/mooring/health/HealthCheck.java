package dev.mooring.health;

import com.fasterxml.jackson.databind.JsonNode;

/** One kind's health rule: a pure function from a live object to its health. */
public interface HealthCheck {

  /**
   * Whether this check assesses objects of this API group ("" for the core group) and kind.
   * Versions are not distinguished: the rules read fields that are the same in all served versions.
   */
  boolean handles(String group, String kind);

  /** The health of {@code obj}, a live object of a kind this check {@link #handles}. */
  Health assess(JsonNode obj);
}
