package dev.mooring.canary.alerts;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One alert as every provider gets it: which Canary, how severe, the message and extra fields
 * (shown as Slack attachment fields, Teams facts, ...), in order.
 *
 * @param name the Canary's name
 * @param namespace the Canary's namespace
 * @param phase the Canary's phase when the event happened, or ""
 * @param at when the alert was made
 */
public record Notification(
    String name,
    String namespace,
    String phase,
    Severity severity,
    String message,
    Map<String, String> fields,
    Instant at) {

  public Notification {
    phase = phase == null ? "" : phase;
    message = message == null ? "" : message;
    fields =
        fields == null || fields.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** {@code name.namespace}, as Flagger titles its messages. */
  public String workload() {
    return name + "." + namespace;
  }
}
