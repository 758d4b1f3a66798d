package dev.mooring.source;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Git repositories as local bare mirrors: one per normalised repository URL under {@code cacheDir},
 * shared by every Application that uses the repository.
 *
 * <p>Supported URLs: {@code https://}, {@code http://} (plain text: credentials travel unencrypted,
 * meant for in-cluster servers), {@code ssh://} and {@code user@host:path}; {@code file://} URLs
 * and local paths only when {@code allowLocalRepos} ({@code mooring.git.allow-local-repos}) is set.
 *
 * <p>Fetches of one repository are serialised: a caller that arrives while a fetch with the same
 * credentials is running waits for it and shares its result. A caller with other credentials waits
 * and then fetches itself, so that nobody is told a private repository is reachable on the strength
 * of somebody else's Secret.
 */
public final class GitSource implements AutoCloseable {

  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(GitSource.class);
  private final Path cacheDir;
  private final boolean allowLocalRepos;
  private final Duration timeout;
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Mirror> mirrors = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, dev.mooring.model.ApplicationStatus.CommitInfo> commits =
      new ConcurrentHashMap<>();

  /**
   * @param cacheDir folder for the mirrors ({@code mooring.git.cache-dir}); created when missing
   * @param allowLocalRepos whether {@code file://} URLs and local paths may be used
   * @param timeout network timeout of every fetch (connect and read)
   * @param registry where {@code mooring.git.fetch} and {@code mooring.git.fetch.failures} go
   */
  public GitSource(
      Path cacheDir, boolean allowLocalRepos, Duration timeout, MeterRegistry registry) {
    this.cacheDir = cacheDir;
    this.allowLocalRepos = allowLocalRepos;
    this.timeout = timeout;
    this.registry = registry;
  }

  /**
   * The canonical key of a repository URL: lower-case scheme and host, no default port, no
   * credentials, no {@code .git} suffix or trailing slash, {@code git@host:path} as {@code
   * ssh://git@host/path}.
   *
   * @throws IllegalArgumentException when the URL cannot be parsed
   */
  /** The URL with any userinfo password replaced, for messages and logs. */
  public static String redactUrl(String repoURL) {
    return RepoUrl.redact(repoURL);
  }

  public static String normalizeUrl(String repoURL) {
    try {
      return RepoUrl.parse(repoURL).key();
    } catch (SourceException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * Brings the mirror up to date: cloned on first use, then an incremental fetch of all branches
   * and tags, with deleted refs pruned. Records timer {@code mooring.git.fetch} (tags repo, host,
   * result) and, on failure, counter {@code mooring.git.fetch.failures}.
   */
  public FetchResult fetch(String repoURL, RepoCredentials credentials) throws SourceException {
    return fetch(repoURL, credentials, false);
  }

  /**
   * As {@link #fetch(String, RepoCredentials)}; with {@code fresh}, a fetch already running is not
   * shared, since it started before the caller asked and may miss what it asks for (the commit of a
   * push, of a refresh): it is waited for, and then one more fetch runs, shared by everyone who
   * waited.
   */
  public FetchResult fetch(String repoURL, RepoCredentials credentials, boolean fresh)
      throws SourceException {
    RepoUrl url = checked(repoURL);
    RepoCredentials creds = credentials == null ? RepoCredentials.none() : credentials;
    Mirror mirror = mirror(url);
    long asked = System.nanoTime();
    while (true) {
      CompletableFuture<FetchResult> running;
      boolean lead = false;
      boolean share;
      synchronized (mirror) {
        if (mirror.inFlight == null) {
          mirror.inFlight = new CompletableFuture<>();
          mirror.inFlightCredentials = creds;
          mirror.inFlightStarted = System.nanoTime();
          lead = true;
        }
        running = mirror.inFlight;
        share =
            creds.equals(mirror.inFlightCredentials)
                && (!fresh || mirror.inFlightStarted - asked >= 0);
      }
      if (lead) {
        return lead(mirror, url, creds, running);
      }
      try {
        FetchResult shared = running.join();
        if (share) {
          return shared;
        }
      } catch (CompletionException e) {
        if (share) {
          throw unwrap(e);
        }
      }
    }
  }

  private FetchResult lead(
      Mirror mirror, RepoUrl url, RepoCredentials creds, CompletableFuture<FetchResult> future)
      throws SourceException {
    long start = System.nanoTime();
    try {
      Repository repo = mirror.open(true);
      FetchResult result;
      try {
        result = MirrorFetcher.fetch(repo, url, creds, timeout);
      } catch (MirrorFetcher.BrokenMirrorException broken) {
        LOG.warnf("%s; cloning it again", broken.getMessage());
        Counter.builder("mooring.git.mirror.recloned")
            .tags("repo", url.key(), "host", url.host())
            .register(registry)
            .increment();
        mirror.discard();
        try {
          result = MirrorFetcher.fetch(mirror.open(true), url, creds, timeout);
        } catch (MirrorFetcher.BrokenMirrorException again) {
          throw new SourceException(
              SourceException.Reason.Invalid,
              again.getMessage() + " (also after cloning it again)");
        }
      }
      record(url, "success", start);
      Mirror.maintain(repo);
      mirror.finishFetch();
      future.complete(result);
      return result;
    } catch (SourceException e) {
      record(url, e.reason().name(), start);
      Counter.builder("mooring.git.fetch.failures")
          .tags("repo", url.key(), "host", url.host(), "reason", e.reason().name())
          .register(registry)
          .increment();
      mirror.finishFetch();
      future.completeExceptionally(e);
      throw e;
    } catch (RuntimeException | Error e) {
      mirror.finishFetch();
      future.completeExceptionally(e);
      throw e;
    }
  }

  private void record(RepoUrl url, String result, long startNanos) {
    Timer.builder("mooring.git.fetch")
        .tags("repo", url.key(), "host", url.host(), "result", result)
        .register(registry)
        .record(Duration.ofNanos(System.nanoTime() - startNanos));
  }

  /**
   * A target revision to the commit sha it names in the mirror: "" or "HEAD" is the remote HEAD;
   * otherwise a branch (preferred over a tag of the same name), a tag (peeled to its commit), a
   * full ref name such as {@code refs/heads/x}, or a full 40-hex commit sha that the mirror holds.
   */
  public String resolve(String repoURL, String targetRevision) throws SourceException {
    RepoUrl url = checked(repoURL);
    Repository repo = mirror(url).open(false);
    String rev = targetRevision == null ? "" : targetRevision.trim();
    try (RevWalk walk = new RevWalk(repo)) {
      ObjectId id;
      if (rev.isEmpty() || rev.equals(Constants.HEAD)) {
        id = refId(repo, Constants.HEAD);
      } else if (ObjectId.isId(rev.toLowerCase(Locale.ROOT))) {
        id = ObjectId.fromString(rev.toLowerCase(Locale.ROOT));
      } else if (rev.startsWith("refs/")) {
        id = refId(repo, rev);
      } else {
        id = refId(repo, Constants.R_HEADS + rev);
        if (id == null) {
          id = refId(repo, Constants.R_TAGS + rev);
        }
      }
      if (id == null) {
        throw notFound(url, rev);
      }
      return walk.parseCommit(id).name();
    } catch (MissingObjectException | IncorrectObjectTypeException e) {
      throw notFound(url, rev);
    } catch (IOException e) {
      throw unreadable(url, e);
    }
  }

  /**
   * The files under {@code path} at {@code commit}, read from the object database. See {@link
   * SourceFiles}. Absolute paths, {@code ..} segments and symlinks leaving the repository are
   * refused with {@link SourceException.Reason#PathEscapes}; dangling symlinks are skipped.
   */
  public SourceFiles files(String repoURL, String commit, String path, boolean recurse)
      throws SourceException {
    RepoUrl url = checked(repoURL);
    List<String> segments = TreeFiles.checkedSegments(path);
    Repository repo = mirror(url).open(false);
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit c = walk.parseCommit(commitId(url, commit));
      return new SourceFiles(
          c.name(),
          String.join("/", segments),
          new TreeFiles(repo, c.getTree()).read(segments, recurse));
    } catch (MissingObjectException | IncorrectObjectTypeException e) {
      throw notFound(url, commit);
    } catch (IOException e) {
      throw unreadable(url, e);
    }
  }

  /**
   * Paths (from the repository root) added, removed or modified between two commits, sorted. A
   * blank {@code fromCommit} means "everything in {@code toCommit}".
   */
  public List<String> changedPaths(String repoURL, String fromCommit, String toCommit)
      throws SourceException {
    RepoUrl url = checked(repoURL);
    Repository repo = mirror(url).open(false);
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      boolean all = fromCommit == null || fromCommit.isBlank();
      if (!all) {
        tree.addTree(walk.parseCommit(commitId(url, fromCommit)).getTree());
      }
      tree.addTree(walk.parseCommit(commitId(url, toCommit)).getTree());
      tree.setRecursive(true);
      tree.setFilter(all ? TreeFilter.ALL : TreeFilter.ANY_DIFF);
      List<String> paths = new ArrayList<>();
      while (tree.next()) {
        paths.add(tree.getPathString());
      }
      return paths;
    } catch (MissingObjectException | IncorrectObjectTypeException e) {
      throw notFound(url, fromCommit + ".." + toCommit);
    } catch (IOException e) {
      throw unreadable(url, e);
    }
  }

  /**
   * What to revert: the change from {@code good} to {@code bad} (from {@code bad}'s parent when
   * {@code good} is null) out of {@code branch}, as a commit with this message and author.
   */
  public record RevertRequest(
      String branch,
      String bad,
      String good,
      String message,
      String authorName,
      String authorEmail) {}

  /**
   * What a revert did.
   *
   * @param commit the revert commit on the branch (pushed now or found there), null when none was
   *     needed
   * @param nothingPushed true when the branch already held a revert or no longer held the change
   */
  public record RevertResult(String commit, boolean nothingPushed, String message) {}

  /**
   * Fetches the branch, makes a revert commit of the request's change on it and pushes it with
   * these credentials (once more after a fresh fetch when the branch moved meanwhile). Finds an
   * earlier revert of the same commit instead of making a second one.
   */
  public RevertResult revert(String repoURL, RepoCredentials credentials, RevertRequest request)
      throws SourceException {
    RepoUrl url = checked(repoURL);
    RepoCredentials creds = credentials == null ? RepoCredentials.none() : credentials;
    Reverter.BranchMovedException last = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      fetch(repoURL, creds, true);
      try {
        return Reverter.revert(mirror(url).open(false), url, creds, timeout, request);
      } catch (Reverter.BranchMovedException e) {
        last = e;
      }
    }
    throw last;
  }

  /**
   * A commit's subject, author and time from the mirror, or null when the mirror does not hold it
   * (yet). Cached by sha: commits never change.
   */
  public dev.mooring.model.ApplicationStatus.CommitInfo commitInfo(String repoURL, String sha) {
    if (sha == null || !ObjectId.isId(sha)) {
      return null;
    }
    dev.mooring.model.ApplicationStatus.CommitInfo known = commits.get(sha);
    if (known != null) {
      return known;
    }
    try {
      RepoUrl url = checked(repoURL);
      Repository repo = mirror(url).open(false);
      try (RevWalk walk = new RevWalk(repo)) {
        RevCommit c = walk.parseCommit(ObjectId.fromString(sha));
        var info =
            new dev.mooring.model.ApplicationStatus.CommitInfo(
                c.getShortMessage(),
                c.getAuthorIdent().getName(),
                c.getAuthorIdent().getWhenAsInstant().toString());
        if (commits.size() > 10_000) {
          commits.clear();
        }
        commits.put(sha, info);
        return info;
      }
    } catch (IOException | SourceException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public void close() {
    mirrors.values().forEach(Mirror::close);
  }

  private RepoUrl checked(String repoURL) throws SourceException {
    RepoUrl url = RepoUrl.parse(repoURL);
    if (!url.supportedScheme()) {
      throw new SourceException(
          SourceException.Reason.NotAllowed,
          "repoURL "
              + url.display()
              + " is not supported: use https://, http://, ssh:// or user@host:path");
    }
    if (url.local() && !allowLocalRepos) {
      throw new SourceException(
          SourceException.Reason.NotAllowed,
          "repoURL "
              + url.display()
              + " is a local repository, which is disabled (mooring.git.allow-local-repos)");
    }
    return url;
  }

  private Mirror mirror(RepoUrl url) {
    return mirrors.computeIfAbsent(url.key(), key -> new Mirror(cacheDir, key));
  }

  private static ObjectId refId(Repository repo, String name) throws IOException {
    Ref ref = repo.exactRef(name);
    return ref == null ? null : ref.getObjectId();
  }

  private static ObjectId commitId(RepoUrl url, String commit) throws SourceException {
    if (commit == null || !ObjectId.isId(commit.toLowerCase(Locale.ROOT))) {
      throw new SourceException(
          SourceException.Reason.Invalid, "commit '" + commit + "' is not a full 40-hex sha");
    }
    return ObjectId.fromString(commit.toLowerCase(Locale.ROOT));
  }

  private static SourceException notFound(RepoUrl url, String rev) {
    String shown = rev == null || rev.isEmpty() ? "HEAD" : rev;
    return new SourceException(
        SourceException.Reason.RevisionNotFound,
        "revision " + shown + " not found in " + url.display());
  }

  private static SourceException unreadable(RepoUrl url, IOException e) {
    return new SourceException(
        SourceException.Reason.Invalid,
        "mirror of " + url.display() + " cannot be read: " + e.getMessage(),
        e);
  }

  private static SourceException unwrap(CompletionException e) {
    if (e.getCause() instanceof SourceException s) {
      return s;
    }
    if (e.getCause() instanceof RuntimeException r) {
      throw r;
    }
    throw e;
  }
}
