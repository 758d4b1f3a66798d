package dev.mooring.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Mooring's own format, for CI jobs and hosts without a supported format: {@code {"repoURL": "...",
 * "ref": "refs/heads/main", "after": "<sha>", "changedFiles": ["..."]}}, where {@code after} and
 * {@code changedFiles} are optional.
 */
final class GenericPayload {

  private GenericPayload() {}

  /** Null when the event is a push (or not named), else why the delivery is ignored. */
  static String ignoreReason(String event) {
    if (event == null || "push".equals(event)) {
      return null;
    }
    if ("ping".equals(event)) {
      return "ping";
    }
    return "event " + event + " is not a push";
  }

  static WebhookOutcome read(String deliveryId, JsonNode root) throws MalformedPayloadException {
    String repoUrl = Payloads.requiredText(root.path("repoURL"), "repoURL");
    String ref = Payloads.requiredRef(root.path("ref"));
    String after = Payloads.text(root.path("after"));
    JsonNode listed = root.path("changedFiles");
    List<String> files = null;
    if (listed.isArray()) {
      files = new ArrayList<>();
      for (JsonNode file : listed) {
        String path = Payloads.text(file);
        if (path == null) {
          throw new MalformedPayloadException("changedFiles must be a list of paths");
        }
        files.add(path);
      }
    } else if (!listed.isMissingNode() && !listed.isNull()) {
      throw new MalformedPayloadException("changedFiles must be a list of paths");
    }
    return new WebhookOutcome.Push(
        new PushEvent(Provider.GENERIC, deliveryId, List.of(repoUrl), ref, after, files));
  }
}
