package dev.mooring.canary.alerts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Flagger's Slack message: one attachment titled {@code name.namespace} with the message as
 * markdown and the fields below it, coloured by severity (only {@code error} stands out). Discord
 * (on its Slack-compatible {@code /slack} endpoint) and Rocket.Chat take the same body.
 */
final class SlackPayload {
  private SlackPayload() {}

  static ObjectNode build(
      Notification n, String username, String channel, String color, String errorColor) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode body = json.objectNode();
    body.put("channel", channel);
    body.put("username", username);
    body.put("icon_emoji", ":rocket:");
    ObjectNode attachment = body.putArray("attachments").addObject();
    attachment.put("color", n.severity() == Severity.ERROR ? errorColor : color);
    attachment.put("author_name", n.workload());
    attachment.put("text", n.message());
    attachment.putArray("mrkdwn_in").add("text");
    ArrayNode fields = attachment.putArray("fields");
    n.fields()
        .forEach(
            (name, value) ->
                fields.addObject().put("title", name).put("value", value).put("short", false));
    return body;
  }
}
