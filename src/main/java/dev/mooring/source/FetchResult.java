package dev.mooring.source;

import java.time.Duration;
import java.util.Map;

/**
 * What the mirror knows after a fetch.
 *
 * @param repoURL the normalised repository URL (see {@link GitSource#normalizeUrl(String)})
 * @param refs full ref name ({@code refs/heads/main}, {@code refs/tags/v1}) to commit sha; tags are
 *     peeled to the commit they point at
 * @param headBranch the branch the remote HEAD points at, or null when the remote does not say
 * @param took how long the fetch took
 */
public record FetchResult(
    String repoURL, Map<String, String> refs, String headBranch, Duration took) {

  public FetchResult {
    refs = Map.copyOf(refs);
  }
}
