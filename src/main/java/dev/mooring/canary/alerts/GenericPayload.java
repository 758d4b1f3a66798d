package dev.mooring.canary.alerts;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Mooring's {@code generic} provider (Flagger has none): the alert itself as JSON, for a receiver
 * of one's own: {@code {name, namespace, phase, severity, message, fields, timestamp}}, with the
 * fields as an object in their order and the timestamp in RFC 3339.
 */
final class GenericPayload {
  private GenericPayload() {}

  static ObjectNode build(Notification n) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("name", n.name());
    body.put("namespace", n.namespace());
    body.put("phase", n.phase());
    body.put("severity", n.severity().label());
    body.put("message", n.message());
    ObjectNode fields = body.putObject("fields");
    n.fields().forEach(fields::put);
    body.put("timestamp", n.at().toString());
    return body;
  }
}
