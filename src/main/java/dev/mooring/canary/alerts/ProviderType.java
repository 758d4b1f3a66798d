package dev.mooring.canary.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Optional;

/** The kinds of AlertProvider, each with its payload: Flagger's five and Mooring's generic. */
public enum ProviderType {
  SLACK,
  MSTEAMS,
  DISCORD,
  ROCKET,
  GCHAT,
  GENERIC;

  /** The type as written in {@code spec.type}, in any case; empty when unknown. */
  public static Optional<ProviderType> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    for (ProviderType t : values()) {
      if (t.label().equalsIgnoreCase(value.strip())) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The JSON body this provider is posted. */
  public ObjectNode payload(Notification n, String username, String channel) {
    return switch (this) {
      case SLACK -> SlackPayload.build(n, username, channel, "good", "danger");
      case DISCORD -> SlackPayload.build(n, username, channel, "good", "danger");
      case ROCKET -> SlackPayload.build(n, username, channel, "#0076D7", "#FF0000");
      case MSTEAMS -> TeamsPayload.build(n);
      case GCHAT -> GChatPayload.build(n);
      case GENERIC -> GenericPayload.build(n);
    };
  }
}
