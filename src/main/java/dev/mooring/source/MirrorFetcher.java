package dev.mooring.source;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.TrackingRefUpdate;

/**
 * One fetch into a bare mirror: all branches and tags, forced, with prune ({@code git clone
 * --mirror} semantics minus other ref namespaces such as pull requests), then the mirror's HEAD is
 * pointed where the remote HEAD points.
 */
final class MirrorFetcher {

  private MirrorFetcher() {}

  static FetchResult fetch(
      Repository repo, RepoUrl url, RepoCredentials credentials, Duration timeout)
      throws SourceException {
    long start = System.nanoTime();
    org.eclipse.jgit.transport.FetchResult result;
    try (TransportSetup transport = TransportSetup.of(url, credentials)) {
      result =
          Git.wrap(repo)
              .fetch()
              .setRemote(url.given())
              .setRefSpecs(
                  new RefSpec("+refs/heads/*:refs/heads/*"),
                  new RefSpec("+refs/tags/*:refs/tags/*"))
              .setRemoveDeletedRefs(true)
              .setTagOpt(TagOpt.NO_TAGS) // the tag refspec already takes every tag
              .setTimeout((int) Math.max(1, timeout.toSeconds()))
              .setCredentialsProvider(transport.credentialsProvider())
              .setTransportConfigCallback(transport.callback())
              .call();
    } catch (GitAPIException | JGitInternalException e) {
      throw FetchErrors.classify(url, credentials, e, timeout);
    }
    List<String> failed = new ArrayList<>();
    for (TrackingRefUpdate update : result.getTrackingRefUpdates()) {
      switch (update.getResult()) {
        case NEW, FORCED, FAST_FORWARD, NO_CHANGE, RENAMED -> {}
        default -> failed.add(update.getLocalName() + ": " + update.getResult());
      }
    }
    if (!failed.isEmpty()) {
      // a stale lock file, a full disk, a corrupt pack: the fetch "worked" but the mirror did not
      // move, and would serve the old revision as the newest
      throw new BrokenMirrorException(
          "the mirror of "
              + url.display()
              + " could not update "
              + String.join(", ", failed.subList(0, Math.min(5, failed.size())))
              + (failed.size() > 5 ? " and " + (failed.size() - 5) + " more" : ""));
    }
    try {
      Map<String, String> refs = refs(repo);
      String headBranch = updateHead(repo, result.getAdvertisedRef(Constants.HEAD), refs);
      return new FetchResult(
          url.key(), refs, headBranch, Duration.ofNanos(System.nanoTime() - start));
    } catch (IOException e) {
      throw new BrokenMirrorException(
          "the mirror of " + url.display() + " cannot be read: " + e.getMessage());
    }
  }

  /** The mirror on disk is damaged: it is cloned again. */
  static final class BrokenMirrorException extends SourceException {
    BrokenMirrorException(String message) {
      super(SourceException.Reason.Invalid, message);
    }
  }

  /** Branches and tags of the mirror, tags peeled to their commit. */
  static Map<String, String> refs(Repository repo) throws IOException {
    Map<String, String> refs = new LinkedHashMap<>();
    for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS, Constants.R_TAGS)) {
      Ref peeled = repo.getRefDatabase().peel(ref);
      ObjectId id =
          peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : peeled.getObjectId();
      if (id != null) {
        refs.put(ref.getName(), id.name());
      }
    }
    return refs;
  }

  /**
   * Points the mirror's HEAD at the remote HEAD's branch. Old servers do not advertise the symref;
   * then the branch with HEAD's commit is taken, preferring main and master.
   */
  private static String updateHead(Repository repo, Ref remoteHead, Map<String, String> refs)
      throws IOException {
    if (remoteHead == null) {
      return null;
    }
    String branch = null;
    if (remoteHead.isSymbolic()) {
      branch = remoteHead.getTarget().getName();
    } else if (remoteHead.getObjectId() != null) {
      String sha = remoteHead.getObjectId().name();
      for (String candidate : new String[] {"refs/heads/main", "refs/heads/master"}) {
        if (sha.equals(refs.get(candidate))) {
          branch = candidate;
          break;
        }
      }
      if (branch == null) {
        branch =
            refs.entrySet().stream()
                .filter(e -> e.getKey().startsWith(Constants.R_HEADS) && e.getValue().equals(sha))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
      }
    }
    if (branch == null || !refs.containsKey(branch)) {
      return null;
    }
    RefUpdate update = repo.updateRef(Constants.HEAD);
    update.disableRefLog();
    update.link(branch);
    return branch.substring(Constants.R_HEADS.length());
  }
}
