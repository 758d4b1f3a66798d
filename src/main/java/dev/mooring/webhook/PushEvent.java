package dev.mooring.webhook;

import java.util.List;

/**
 * A verified push to a Git repository.
 *
 * @param provider the Git host that sent it
 * @param deliveryId the host's id of this delivery, for logs; null when the host sent none
 * @param repoURLs every URL of the repository found in the payload (https, ssh, web page), in the
 *     payload's order, without duplicates; matching them against Applications' repoURLs (after
 *     normalising) is the caller's job
 * @param ref the full pushed ref, {@code refs/heads/x} or {@code refs/tags/y}; for a push that
 *     moved several refs at once (Bitbucket), the first one that was not deleted
 * @param refs every ref the push moved and did not delete, {@code ref} first; usually just {@code
 *     ref}
 * @param after the commit the ref points to after the push; null when the payload has none
 * @param changedFiles the repository paths added, modified or removed by the push; null when they
 *     are unknown (the host does not list them, the commit list is truncated, or the ref is new or
 *     was force-pushed), which callers must treat as "anything may have changed"
 */
public record PushEvent(
    Provider provider,
    String deliveryId,
    List<String> repoURLs,
    String ref,
    List<String> refs,
    String after,
    List<String> changedFiles) {

  public PushEvent {
    repoURLs = List.copyOf(repoURLs);
    refs = refs == null || refs.isEmpty() ? List.of(ref) : List.copyOf(refs);
    changedFiles = changedFiles == null ? null : List.copyOf(changedFiles);
  }

  /** A push of a single ref, which is what every host but Bitbucket sends. */
  public PushEvent(
      Provider provider,
      String deliveryId,
      List<String> repoURLs,
      String ref,
      String after,
      List<String> changedFiles) {
    this(provider, deliveryId, repoURLs, ref, List.of(ref), after, changedFiles);
  }
}
