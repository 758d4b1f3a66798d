package dev.mooring.canary.alerts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Flagger's Google Chat message: one card headed {@code name.namespace}, a text paragraph with the
 * message, then one per field. Google Chat reads the text as HTML, so the values are escaped.
 */
final class GChatPayload {
  static final String TITLE = "Mooring";

  private GChatPayload() {}

  static ObjectNode build(Notification n) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode card = body.putArray("cards").addObject();
    card.putObject("header").put("title", TITLE).put("subtitle", n.workload());
    ArrayNode sections = card.putArray("sections");
    paragraph(sections, grey(n.message()));
    n.fields().forEach((name, value) -> paragraph(sections, html(name) + "<br>" + grey(value)));
    return body;
  }

  private static void paragraph(ArrayNode sections, String text) {
    sections
        .addObject()
        .putArray("widgets")
        .addObject()
        .putObject("textParagraph")
        .put("text", text);
  }

  private static String grey(String text) {
    return "<font color=#848484><strong>" + html(text) + "</strong></font>";
  }

  static String html(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
