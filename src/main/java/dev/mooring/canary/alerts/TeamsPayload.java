package dev.mooring.canary.alerts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Flagger's Microsoft Teams message: an Office 365 connector MessageCard with one section (the
 * message as title, {@code name.namespace} below it, the fields as facts), red for errors.
 */
final class TeamsPayload {
  static final String COLOR = "0076D7";
  static final String ERROR_COLOR = "FF0000";

  private TeamsPayload() {}

  static ObjectNode build(Notification n) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("@type", "MessageCard");
    body.put("@context", "http://schema.org/extensions");
    body.put("themeColor", n.severity() == Severity.ERROR ? ERROR_COLOR : COLOR);
    body.put("summary", n.workload());
    ObjectNode section = body.putArray("sections").addObject();
    section.put("activityTitle", n.message());
    section.put("activitySubtitle", n.workload());
    ArrayNode facts = section.putArray("facts");
    n.fields().forEach((name, value) -> facts.addObject().put("name", name).put("value", value));
    return body;
  }
}
