package dev.mooring.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Git working repository for tests, driven through the {@code git} command line so that
 * Mooring's JGit code is tested against what users' Git produces.
 *
 * <pre>{@code
 * GitRepo repo = GitRepo.init(tempDir.resolve("app"));
 * repo.write("deploy/web.yaml", "...");
 * String sha = repo.commit("add web");
 * repo.tag("v1");
 * String url = repo.url(); // file:///...
 * }</pre>
 */
public final class GitRepo {

  private final Path dir;

  private GitRepo(Path dir) {
    this.dir = dir;
  }

  /** {@code git init} with branch {@code main} (the folder is created when missing). */
  public static GitRepo init(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    GitRepo repo = new GitRepo(dir);
    repo.git("init", "-q", "-b", "main");
    return repo;
  }

  /** A bare repository, e.g. as a push target or under a {@link GitHttpServer} root. */
  public static GitRepo initBare(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    GitRepo repo = new GitRepo(dir);
    repo.git("init", "-q", "--bare", "-b", "main");
    return repo;
  }

  public Path dir() {
    return dir;
  }

  /** {@code file://} URL of this repository. */
  public String url() {
    return dir.toUri().toString();
  }

  /** Writes a file (folders created as needed); not yet committed. */
  public GitRepo write(String path, String content) {
    try {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates a symbolic link {@code path -> target} (target as written, e.g. {@code ../x}). */
  public GitRepo symlink(String path, String target) {
    try {
      Path link = dir.resolve(path);
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, Path.of(target));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public GitRepo delete(String path) {
    git("rm", "-q", "-r", path);
    return this;
  }

  /** Stages everything and commits; returns the new commit's sha. */
  public String commit(String message) {
    git("add", "-A");
    git("commit", "-q", "--allow-empty", "-m", message);
    return head();
  }

  public String head() {
    return git("rev-parse", "HEAD").trim();
  }

  /** A lightweight tag on HEAD. */
  public GitRepo tag(String name) {
    git("tag", name);
    return this;
  }

  /** An annotated tag on HEAD. */
  public GitRepo annotatedTag(String name) {
    git("tag", "-a", "-m", "release " + name, name);
    return this;
  }

  /** Creates and checks out a branch. */
  public GitRepo branch(String name) {
    git("checkout", "-q", "-b", name);
    return this;
  }

  public GitRepo checkout(String name) {
    git("checkout", "-q", name);
    return this;
  }

  /** {@code git push --force <remote> <refspecs...>}, e.g. {@code push(bare.url(), "--all")}. */
  public GitRepo push(String remote, String... refspecs) {
    List<String> args = new ArrayList<>(List.of("push", "-q", "--force", remote));
    args.addAll(List.of(refspecs));
    git(args.toArray(String[]::new));
    return this;
  }

  /** Runs git in this repository and returns its standard output; fails on a non-zero exit. */
  public String git(String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-c", "commit.gpgsign=false"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_AUTHOR_NAME", "Test");
    env.put("GIT_AUTHOR_EMAIL", "test@example.com");
    env.put("GIT_COMMITTER_NAME", "Test");
    env.put("GIT_COMMITTER_EMAIL", "test@example.com");
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
