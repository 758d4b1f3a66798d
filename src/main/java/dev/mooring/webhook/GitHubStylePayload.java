package dev.mooring.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Push payloads of GitHub and of the hosts that copied its shape, Gitea and Gogs: {@code ref},
 * {@code before}, {@code after}, {@code repository.{clone_url, ssh_url, html_url, ...}} and {@code
 * commits[].{added, modified, removed}}.
 */
final class GitHubStylePayload {

  private GitHubStylePayload() {}

  /** Null when the event is a push, else why the delivery is ignored. */
  static String ignoreReason(String event) {
    if ("push".equals(event)) {
      return null;
    }
    if ("ping".equals(event)) {
      return "ping";
    }
    return "event " + event + " is not a push";
  }

  static WebhookOutcome read(Provider provider, String deliveryId, JsonNode root)
      throws MalformedPayloadException {
    String ref = Payloads.requiredRef(root.path("ref"));
    JsonNode repository = root.path("repository");
    if (!repository.isObject()) {
      throw new MalformedPayloadException("the payload has no repository");
    }
    Set<String> urls = new LinkedHashSet<>();
    Payloads.addTexts(
        urls,
        repository.path("clone_url"),
        repository.path("ssh_url"),
        repository.path("html_url"),
        repository.path("git_url"),
        repository.path("url"));
    List<String> repoUrls = Payloads.requireRepoUrls(urls);
    String after = Payloads.text(root.path("after"));
    if (root.path("deleted").asBoolean(false) || Payloads.isZeroSha(after)) {
      return new WebhookOutcome.Ignored(provider, deliveryId, ref + " was deleted");
    }
    boolean newOrForced =
        root.path("created").asBoolean(false)
            || root.path("forced").asBoolean(false)
            || Payloads.isZeroSha(Payloads.text(root.path("before")));
    // Gitea caps the listed commits (5 by default) and says how many there were.
    int total = Payloads.count(root.path("total_commits"));
    List<String> files = Payloads.changedFiles(root.path("commits"), total, newOrForced);
    return new WebhookOutcome.Push(
        new PushEvent(provider, deliveryId, repoUrls, ref, after, files));
  }
}
