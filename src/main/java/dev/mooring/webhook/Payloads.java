package dev.mooring.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Small readers shared by the providers' payload formats. */
final class Payloads {

  /**
   * GitHub sends at most 20 commits in a push payload (GitLab likewise): a list that long may be
   * cut, so its files cannot be trusted to be all the files.
   */
  static final int COMMIT_LIST_CAP = 20;

  private Payloads() {}

  /** The text of {@code node}, or null when it is missing, not text, or blank. */
  static String text(JsonNode node) {
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      return null;
    }
    return node.asText().trim();
  }

  static String requiredText(JsonNode node, String what) throws MalformedPayloadException {
    String value = text(node);
    if (value == null) {
      throw new MalformedPayloadException("the payload has no " + what);
    }
    return value;
  }

  /** Adds each non-blank text node to {@code urls}, keeping order and dropping duplicates. */
  static void addTexts(Set<String> urls, JsonNode... nodes) {
    for (JsonNode node : nodes) {
      String value = text(node);
      if (value != null) {
        urls.add(value);
      }
    }
  }

  static List<String> requireRepoUrls(Set<String> urls) throws MalformedPayloadException {
    if (urls.isEmpty()) {
      throw new MalformedPayloadException("the payload names no repository URL");
    }
    return List.copyOf(urls);
  }

  /** A full ref as sent; hosts always send {@code refs/...}, anything else is malformed. */
  static String requiredRef(JsonNode node) throws MalformedPayloadException {
    String ref = requiredText(node, "ref");
    if (!ref.startsWith("refs/")) {
      throw new MalformedPayloadException(
          "ref must be a full ref such as refs/heads/main or refs/tags/v1");
    }
    return ref;
  }

  /** Whether {@code sha} is a null object id (all zeros): the ref was created or deleted. */
  static boolean isZeroSha(String sha) {
    return sha != null && !sha.isEmpty() && sha.chars().allMatch(c -> c == '0');
  }

  /**
   * The union of the commits' added, modified and removed files, or null when the list cannot be
   * trusted to be complete: no commits listed, at least {@link #COMMIT_LIST_CAP} commits, fewer
   * commits than {@code totalCommits} (negative when the payload does not say), or a ref that is
   * new or was force-pushed (its commits are then not the whole difference to what was deployed).
   */
  static List<String> changedFiles(JsonNode commits, int totalCommits, boolean newOrForced) {
    if (newOrForced || commits == null || !commits.isArray() || commits.isEmpty()) {
      return null;
    }
    if (commits.size() >= COMMIT_LIST_CAP || totalCommits > commits.size()) {
      return null;
    }
    Set<String> files = new LinkedHashSet<>();
    for (JsonNode commit : commits) {
      for (String kind : List.of("added", "modified", "removed")) {
        JsonNode list = commit.path(kind);
        if (!list.isArray()) {
          // A commit without file lists (older Gitea/Gogs) leaves the push's files unknown.
          if (list.isMissingNode() || list.isNull()) {
            return null;
          }
          continue;
        }
        list.forEach(file -> addTexts(files, file));
      }
    }
    return new ArrayList<>(files);
  }

  /** The integer in {@code node}, or -1 when it holds none. */
  static int count(JsonNode node) {
    return node != null && node.canConvertToInt() && node.isNumber() ? node.asInt() : -1;
  }
}
