package dev.mooring.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * GitLab push and tag push hooks: {@code ref}, {@code before}, {@code after}, {@code
 * project.{git_http_url, git_ssh_url, web_url}}, {@code repository.{url, homepage}}, {@code
 * commits[]} (at most 20) and {@code total_commits_count}.
 */
final class GitLabPayload {

  private GitLabPayload() {}

  /**
   * Null when the event is a push or needs its body to tell ({@code System Hook}), else why the
   * delivery is ignored.
   */
  static String ignoreReason(String event) {
    return switch (event) {
      case "Push Hook", "Tag Push Hook", "System Hook" -> null;
      default -> "event " + event + " is not a push";
    };
  }

  static WebhookOutcome read(String event, String deliveryId, JsonNode root)
      throws MalformedPayloadException {
    if ("System Hook".equals(event)) {
      String kind = Payloads.text(root.path("object_kind"));
      if (kind == null) {
        kind = Payloads.text(root.path("event_name"));
      }
      if (!"push".equals(kind) && !"tag_push".equals(kind)) {
        return new WebhookOutcome.Ignored(
            Provider.GITLAB, deliveryId, "system hook " + kind + " is not a push");
      }
    }
    String ref = Payloads.requiredRef(root.path("ref"));
    JsonNode project = root.path("project");
    JsonNode repository = root.path("repository");
    if (!project.isObject() && !repository.isObject()) {
      throw new MalformedPayloadException("the payload has no project or repository");
    }
    Set<String> urls = new LinkedHashSet<>();
    Payloads.addTexts(
        urls,
        project.path("git_http_url"),
        project.path("git_ssh_url"),
        project.path("web_url"),
        repository.path("git_http_url"),
        repository.path("git_ssh_url"),
        repository.path("url"),
        repository.path("homepage"));
    List<String> repoUrls = Payloads.requireRepoUrls(urls);
    String after = Payloads.text(root.path("after"));
    if (Payloads.isZeroSha(after)) {
      return new WebhookOutcome.Ignored(Provider.GITLAB, deliveryId, ref + " was deleted");
    }
    boolean created = Payloads.isZeroSha(Payloads.text(root.path("before")));
    int total = Payloads.count(root.path("total_commits_count"));
    List<String> files = Payloads.changedFiles(root.path("commits"), total, created);
    return new WebhookOutcome.Push(
        new PushEvent(Provider.GITLAB, deliveryId, repoUrls, ref, after, files));
  }
}
