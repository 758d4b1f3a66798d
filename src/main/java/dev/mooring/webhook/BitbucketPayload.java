package dev.mooring.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Bitbucket Cloud {@code repo:push} and Bitbucket Server / Data Center {@code repo:refs_changed}
 * payloads. Both list several changed refs per push and neither lists changed files, so files are
 * always unknown.
 */
final class BitbucketPayload {

  private BitbucketPayload() {}

  /** Null when the event is a push, else why the delivery is ignored. */
  static String ignoreReason(Provider provider, String event) {
    if (provider == Provider.BITBUCKET_CLOUD && "repo:push".equals(event)) {
      return null;
    }
    if (provider == Provider.BITBUCKET_SERVER && "repo:refs_changed".equals(event)) {
      return null;
    }
    if ("diagnostics:ping".equals(event)) {
      return "ping";
    }
    return "event " + event + " is not a push";
  }

  /**
   * Cloud: {@code push.changes[].new.{type, name, target.hash}} ({@code new} is null for a deleted
   * ref) and {@code repository.links.html.href}; the clone URLs are derived from that page's URL
   * and {@code full_name}, since the payload carries none.
   */
  static WebhookOutcome readCloud(String deliveryId, JsonNode root)
      throws MalformedPayloadException {
    JsonNode repository = root.path("repository");
    String html = Payloads.text(repository.path("links").path("html").path("href"));
    if (html == null) {
      throw new MalformedPayloadException("the payload has no repository.links.html.href");
    }
    Set<String> urls = new LinkedHashSet<>();
    urls.add(html);
    urls.add(html.endsWith(".git") ? html : html + ".git");
    String fullName = Payloads.text(repository.path("full_name"));
    String host = host(html);
    if (fullName != null && host != null) {
      urls.add("git@" + host + ":" + fullName + ".git");
    }
    JsonNode changes = root.path("push").path("changes");
    if (!changes.isArray() || changes.isEmpty()) {
      throw new MalformedPayloadException("the payload has no push.changes");
    }
    List<String> refs = new ArrayList<>();
    String after = null;
    for (JsonNode change : changes) {
      JsonNode target = change.path("new");
      if (!target.isObject()) {
        continue; // a deleted branch or tag
      }
      String name = Payloads.requiredText(target.path("name"), "push.changes[].new.name");
      String type = Payloads.text(target.path("type"));
      String ref =
          switch (type == null ? "" : type) {
            case "branch", "named_branch" -> "refs/heads/" + name;
            case "tag", "annotated_tag" -> "refs/tags/" + name;
            default ->
                throw new MalformedPayloadException(
                    "push.changes[].new.type must be branch or tag");
          };
      refs.add(ref);
      if (after == null) {
        after = Payloads.text(target.path("target").path("hash"));
      }
    }
    return push(Provider.BITBUCKET_CLOUD, deliveryId, List.copyOf(urls), refs, after);
  }

  /**
   * Server: {@code changes[].{ref.id or refId, toHash, type}} (type DELETE for a deleted ref) and
   * {@code repository.links.clone[].href}.
   */
  static WebhookOutcome readServer(String deliveryId, JsonNode root)
      throws MalformedPayloadException {
    Set<String> urls = new LinkedHashSet<>();
    for (JsonNode clone : root.path("repository").path("links").path("clone")) {
      Payloads.addTexts(urls, clone.path("href"));
    }
    List<String> repoUrls = Payloads.requireRepoUrls(urls);
    JsonNode changes = root.path("changes");
    if (!changes.isArray() || changes.isEmpty()) {
      throw new MalformedPayloadException("the payload has no changes");
    }
    List<String> refs = new ArrayList<>();
    String after = null;
    for (JsonNode change : changes) {
      String toHash = Payloads.text(change.path("toHash"));
      if ("DELETE".equals(Payloads.text(change.path("type"))) || Payloads.isZeroSha(toHash)) {
        continue;
      }
      String ref = Payloads.text(change.path("ref").path("id"));
      refs.add(ref != null ? ref : Payloads.requiredRef(change.path("refId")));
      if (after == null) {
        after = toHash;
      }
    }
    return push(Provider.BITBUCKET_SERVER, deliveryId, repoUrls, refs, after);
  }

  private static WebhookOutcome push(
      Provider provider, String deliveryId, List<String> urls, List<String> refs, String after) {
    if (refs.isEmpty()) {
      return new WebhookOutcome.Ignored(provider, deliveryId, "every pushed ref was deleted");
    }
    return new WebhookOutcome.Push(
        new PushEvent(provider, deliveryId, urls, refs.get(0), refs, after, null));
  }

  private static String host(String url) {
    try {
      return URI.create(url).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
