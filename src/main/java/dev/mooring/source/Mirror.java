package dev.mooring.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** One bare mirror on disk, its open repository and the fetch running into it, if any. */
final class Mirror {

  private static final int MAX_PACKS = 32;

  final Path dir;
  private Repository repo; // guarded by this
  CompletableFuture<FetchResult> inFlight; // guarded by this
  RepoCredentials inFlightCredentials; // guarded by this
  long inFlightStarted; // System.nanoTime() when inFlight started; guarded by this

  Mirror(Path cacheDir, String key) {
    this.dir = cacheDir.resolve(dirName(key));
  }

  /** The mirror's repository; with {@code create}, a missing mirror is initialised empty. */
  synchronized Repository open(boolean create) throws SourceException {
    if (repo != null) {
      return repo;
    }
    try {
      boolean exists = Files.isDirectory(dir.resolve("objects"));
      if (!exists && !create) {
        throw new SourceException(
            SourceException.Reason.RevisionNotFound, "the repository has not been fetched yet");
      }
      Repository opened = new FileRepositoryBuilder().setGitDir(dir.toFile()).build();
      if (!exists) {
        Files.createDirectories(dir.getParent());
        opened.create(true);
        // A mirror holds nothing but fetched refs: packs replaced by a repack can go at once
        // (JGit keeps them an hour by default, so they would pile up between repacks).
        StoredConfig config = opened.getConfig();
        config.setString("gc", null, "prunePackExpire", "now");
        config.save();
      }
      repo = opened;
      return repo;
    } catch (IOException e) {
      throw new SourceException(
          SourceException.Reason.Invalid,
          "cannot open the mirror in " + dir + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Repacks the mirror once fetches have left many small packs, which slow down every object
   * lookup. Best effort: a failed repack leaves a working mirror behind.
   */
  static void maintain(Repository repo) {
    try (Git git = Git.wrap(repo)) {
      Object packs = git.gc().getStatistics().get("numberOfPackFiles");
      if (packs instanceof Number n && n.longValue() > MAX_PACKS) {
        git.gc().call();
      }
    } catch (GitAPIException | RuntimeException e) {
      // the next fetch tries again
    }
  }

  synchronized void finishFetch() {
    inFlight = null;
    inFlightCredentials = null;
  }

  /** Closes and deletes the mirror on disk, so that the next open starts an empty one. */
  synchronized void discard() throws SourceException {
    close();
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // already gone
    } catch (IOException e) {
      throw new SourceException(
          SourceException.Reason.Invalid,
          "cannot remove the damaged mirror in " + dir + ": " + e.getMessage(),
          e);
    }
  }

  synchronized void close() {
    if (repo != null) {
      repo.close();
      repo = null;
    }
  }

  /** A readable, collision-free folder name: the repository's last path segment and a hash. */
  static String dirName(String key) {
    String last = key.substring(key.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] hash = sha256.digest(key.getBytes(StandardCharsets.UTF_8));
      return (last.isEmpty() ? "repo" : last) + "-" + HexFormat.of().formatHex(hash, 0, 8) + ".git";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
