package dev.mooring.source;

import java.io.IOException;
import java.time.Duration;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * A revert commit made in a bare mirror and pushed to its remote branch, without a working tree:
 * the change from the good commit to the bad one is taken back out of the branch's newest commit by
 * a three-way merge in memory (base: the bad commit's tree, theirs: the good one's), as {@code git
 * revert good..bad} would. The commit carries a trailer naming the bad commit, so a second attempt
 * finds the first and does not revert twice.
 */
final class Reverter {
  static final String TRAILER = "Mooring-Reverts: ";
  private static final int HISTORY_SCANNED = 500;

  private Reverter() {}

  /** The branch moved between the fetch and the push: fetched and tried again. */
  static final class BranchMovedException extends SourceException {
    BranchMovedException(String message) {
      super(SourceException.Reason.Invalid, message);
    }
  }

  static GitSource.RevertResult revert(
      Repository repo,
      RepoUrl url,
      RepoCredentials credentials,
      Duration timeout,
      GitSource.RevertRequest request)
      throws SourceException {
    try (RevWalk walk = new RevWalk(repo);
        ObjectInserter inserter = repo.newObjectInserter()) {
      String branch = branchRef(repo, request.branch());
      Ref ref = repo.exactRef(branch);
      if (ref == null || ref.getObjectId() == null) {
        throw new SourceException(
            SourceException.Reason.RevisionNotFound,
            "branch " + branch + " not found in " + url.display());
      }
      RevCommit head = walk.parseCommit(ref.getObjectId());
      RevCommit bad = walk.parseCommit(ObjectId.fromString(request.bad()));
      String already = findRevert(repo, head, request.bad());
      if (already != null) {
        return new GitSource.RevertResult(already, true, "already reverted by " + already);
      }
      if (!walk.isMergedInto(bad, head)) {
        return new GitSource.RevertResult(
            null, true, request.bad() + " is no longer on " + branch + ": nothing to revert");
      }
      walk.reset();
      RevCommit good;
      if (request.good() != null) {
        good = walk.parseCommit(ObjectId.fromString(request.good()));
      } else if (bad.getParentCount() > 0) {
        good = walk.parseCommit(bad.getParent(0));
      } else {
        throw new SourceException(
            SourceException.Reason.Invalid,
            request.bad() + " is the branch's first commit: there is nothing to revert it to");
      }
      ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(repo, true);
      merger.setBase(bad.getTree());
      if (!merger.merge(head, good)) {
        throw new SourceException(
            SourceException.Reason.Invalid,
            "the revert of "
                + request.bad().substring(0, 7)
                + " conflicts with newer commits on "
                + branch
                + (merger.getUnmergedPaths().isEmpty()
                    ? ""
                    : " in " + String.join(", ", merger.getUnmergedPaths())));
      }
      ObjectId tree = merger.getResultTreeId();
      if (tree.equals(head.getTree())) {
        return new GitSource.RevertResult(
            null, true, branch + " no longer holds the change of " + request.bad());
      }
      PersonIdent who = new PersonIdent(request.authorName(), request.authorEmail());
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(tree);
      commit.setParentId(head);
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage(
          "Revert \""
              + bad.getShortMessage()
              + "\"\n\n"
              + request.message().strip()
              + "\n\n"
              + TRAILER
              + request.bad()
              + "\n");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      push(repo, url, credentials, timeout, id, branch, head);
      return new GitSource.RevertResult(id.name(), false, "pushed " + id.name());
    } catch (IOException e) {
      throw new SourceException(
          SourceException.Reason.Invalid,
          "mirror of " + url.display() + " cannot be read: " + e.getMessage(),
          e);
    }
  }

  /** The branch's ref name; the remote HEAD's branch when none is named. */
  private static String branchRef(Repository repo, String branch) throws IOException {
    if (branch != null) {
      return branch.startsWith(Constants.R_HEADS) ? branch : Constants.R_HEADS + branch;
    }
    Ref head = repo.exactRef(Constants.HEAD);
    return head != null && head.isSymbolic()
        ? head.getTarget().getName()
        : Constants.R_HEADS + "main";
  }

  /** A commit on the branch after {@code bad} that says it reverts it, or null. */
  private static String findRevert(Repository repo, RevCommit head, String bad) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      walk.markStart(walk.parseCommit(head));
      int seen = 0;
      for (RevCommit c : walk) {
        if (c.name().equals(bad) || ++seen > HISTORY_SCANNED) {
          return null;
        }
        if (c.getFullMessage().contains(TRAILER + bad)) {
          return c.name();
        }
      }
      return null;
    }
  }

  private static void push(
      Repository repo,
      RepoUrl url,
      RepoCredentials credentials,
      Duration timeout,
      ObjectId commit,
      String branch,
      RevCommit expected)
      throws SourceException {
    Iterable<PushResult> results;
    try (TransportSetup transport = TransportSetup.of(url, credentials)) {
      results =
          Git.wrap(repo)
              .push()
              .setRemote(url.given())
              .setRefSpecs(new RefSpec(commit.name() + ":" + branch))
              .setForce(false)
              .setAtomic(false)
              .setTimeout((int) Math.max(1, timeout.toSeconds()))
              .setCredentialsProvider(transport.credentialsProvider())
              .setTransportConfigCallback(transport.callback())
              .call();
    } catch (GitAPIException | JGitInternalException e) {
      throw FetchErrors.classify("push to", url, credentials, e, timeout);
    }
    for (PushResult result : results) {
      RemoteRefUpdate update = result.getRemoteUpdate(branch);
      if (update == null) {
        continue;
      }
      switch (update.getStatus()) {
        case OK, UP_TO_DATE -> {
          return;
        }
        case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED ->
            throw new BranchMovedException(
                "push to "
                    + url.display()
                    + " rejected: "
                    + branch
                    + " moved past "
                    + expected.name().substring(0, 7)
                    + " meanwhile");
        default ->
            throw new SourceException(
                SourceException.Reason.AuthFailed,
                "push to "
                    + url.display()
                    + " rejected: "
                    + update.getStatus()
                    + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")"));
      }
    }
    throw new SourceException(
        SourceException.Reason.Invalid, "push to " + url.display() + " reported no result");
  }
}
