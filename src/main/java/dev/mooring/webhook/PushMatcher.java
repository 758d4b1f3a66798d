package dev.mooring.webhook;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Which Applications a push concerns: by the ref they track and the folder they render. */
public final class PushMatcher {

  private static final String HEADS = "refs/heads/";
  private static final String TAGS = "refs/tags/";
  // SHA-1 object ids, and SHA-256 ones for repositories in that object format.
  private static final Pattern FULL_SHA = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");

  private PushMatcher() {}

  /**
   * Whether a push of {@code pushedRef} (to commit {@code after}) moves what {@code targetRevision}
   * names. {@code ""}, null and {@code HEAD} name the remote HEAD's branch, {@code headBranch} (a
   * name or {@code refs/heads/} ref; null when unknown, which matches any branch push); a plain
   * name matches the branch or tag of that name; {@code refs/...} must match exactly; a full commit
   * SHA matches only when {@code after} is that commit (case-insensitive).
   */
  public static boolean refMatches(
      String pushedRef, String after, String targetRevision, String headBranch) {
    if (pushedRef == null) {
      return false;
    }
    String target = targetRevision == null ? "" : targetRevision.trim();
    if (target.isEmpty() || target.equals("HEAD")) {
      if (headBranch == null || headBranch.isBlank()) {
        return pushedRef.startsWith(HEADS);
      }
      String head = headBranch.trim();
      return pushedRef.equals(head.startsWith(HEADS) ? head : HEADS + head);
    }
    if (FULL_SHA.matcher(target).matches()) {
      return after != null
          && after.toLowerCase(Locale.ROOT).equals(target.toLowerCase(Locale.ROOT));
    }
    if (target.startsWith("refs/")) {
      return pushedRef.equals(target);
    }
    return pushedRef.equals(HEADS + target) || pushedRef.equals(TAGS + target);
  }

  /** Like {@link #refMatches} for any of the refs a (Bitbucket multi-ref) push moved. */
  public static boolean refMatches(PushEvent push, String targetRevision, String headBranch) {
    return push.refs().stream()
        .anyMatch(ref -> refMatches(ref, push.after(), targetRevision, headBranch));
  }

  /**
   * Whether a push that changed {@code changedFiles} may change what is rendered from {@code
   * appPath}: {@code ""} and {@code "."} (the repository root) match any change; otherwise a file
   * must lie inside the folder, compared on whole path segments ({@code apps/web} contains {@code
   * apps/web/x.yaml}, not {@code apps/webby/x.yaml}). Null files mean unknown, which matches.
   *
   * <p>Files outside the folder that it refers to (a kustomize base in {@code ../base}, Helm value
   * files elsewhere) are not seen here: Kustomize and Helm apps match every push to their branch
   * (see {@code WebhookDispatcher}).
   */
  public static boolean pathTouched(String appPath, List<String> changedFiles) {
    if (changedFiles == null) {
      return true;
    }
    String folder = normalise(appPath == null ? "" : appPath);
    if (folder.isEmpty()) {
      return true;
    }
    for (String file : changedFiles) {
      if (file == null) {
        continue;
      }
      String path = normalise(file);
      if (path.equals(folder) || path.startsWith(folder + "/")) {
        return true;
      }
    }
    return false;
  }

  // "./apps/web/" and "/apps/web" name the same folder as "apps/web"; "." is the root.
  private static String normalise(String path) {
    String p = path.trim();
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.equals(".") ? "" : p;
  }
}
