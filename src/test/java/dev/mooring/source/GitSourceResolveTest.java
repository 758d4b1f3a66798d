package dev.mooring.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mooring.testing.GitRepo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitSourceResolveTest {

  @TempDir Path tmp;
  GitRepo repo;
  GitSource source;
  SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void setUp() {
    repo = GitRepo.init(tmp.resolve("work"));
    source = new GitSource(tmp.resolve("cache"), true, Duration.ofSeconds(20), registry);
  }

  @AfterEach
  void tearDown() {
    source.close();
  }

  @Test
  void aMirrorThatCannotMoveARefIsClonedAgainNotReportedFetched() throws Exception {
    repo.write("a.yaml", "a: 1").commit("first");
    source.fetch(repo.url(), RepoCredentials.none());
    // what a crash in the middle of a ref update leaves behind
    java.nio.file.Path mirror;
    try (var dirs = java.nio.file.Files.list(tmp.resolve("cache"))) {
      mirror = dirs.filter(d -> d.getFileName().toString().endsWith(".git")).findFirst().get();
    }
    java.nio.file.Files.writeString(mirror.resolve("refs/heads/main.lock"), "stale\n");
    String second = repo.write("a.yaml", "a: 2").commit("second");

    FetchResult fetched = source.fetch(repo.url(), RepoCredentials.none());

    assertThat(fetched.refs()).containsEntry("refs/heads/main", second);
    assertThat(source.resolve(repo.url(), "main")).isEqualTo(second);
    assertThat(registry.get("mooring.git.mirror.recloned").counter().count()).isEqualTo(1.0);
  }

  @Test
  void aMirrorWithACorruptPackIsClonedAgain() throws Exception {
    for (int i = 0; i < 3; i++) {
      repo.write("a.yaml", "a: " + i).commit("c" + i);
    }
    source.fetch(repo.url(), RepoCredentials.none());
    java.nio.file.Path mirror;
    try (var dirs = java.nio.file.Files.list(tmp.resolve("cache"))) {
      mirror = dirs.filter(d -> d.getFileName().toString().endsWith(".git")).findFirst().get();
    }
    source.close(); // as after a restart: nothing of the mirror is held open
    source = new GitSource(tmp.resolve("cache"), true, Duration.ofSeconds(20), registry);
    try (var packs = java.nio.file.Files.walk(mirror.resolve("objects"))) {
      for (var p : packs.filter(java.nio.file.Files::isRegularFile).toList()) {
        byte[] junk = new byte[(int) java.nio.file.Files.size(p)];
        java.util.Arrays.fill(junk, (byte) 7);
        java.nio.file.Files.write(p, junk); // a disk that lost the mirror's objects
      }
    }
    String next = repo.write("a.yaml", "a: next").commit("next");

    FetchResult fetched = source.fetch(repo.url(), RepoCredentials.none());

    assertThat(fetched.refs()).containsEntry("refs/heads/main", next);
    assertThat(source.files(repo.url(), next, "", false).files()).containsKey("a.yaml");
  }

  @Test
  void resolvesBranchesTagsShasAndTheRemoteHead() throws Exception {
    String first = repo.write("a.yaml", "a: 1").commit("first");
    repo.tag("v1").annotatedTag("v1-annotated");
    String second = repo.write("a.yaml", "a: 2").commit("second");
    repo.branch("feature");
    String feature = repo.write("b.yaml", "b: 1").commit("feature");
    repo.checkout("main");

    FetchResult fetched = source.fetch(repo.url(), RepoCredentials.none());

    assertThat(fetched.headBranch()).isEqualTo("main");
    assertThat(fetched.refs())
        .containsEntry("refs/heads/main", second)
        .containsEntry("refs/heads/feature", feature)
        .containsEntry("refs/tags/v1", first)
        .containsEntry("refs/tags/v1-annotated", first);
    assertThat(source.resolve(repo.url(), "")).isEqualTo(second);
    assertThat(source.resolve(repo.url(), "HEAD")).isEqualTo(second);
    assertThat(source.resolve(repo.url(), null)).isEqualTo(second);
    assertThat(source.resolve(repo.url(), "feature")).isEqualTo(feature);
    assertThat(source.resolve(repo.url(), "refs/heads/feature")).isEqualTo(feature);
    assertThat(source.resolve(repo.url(), "v1")).isEqualTo(first);
    assertThat(source.resolve(repo.url(), "v1-annotated")).isEqualTo(first);
    assertThat(source.resolve(repo.url(), first)).isEqualTo(first);
    assertThat(source.resolve(repo.url(), first.toUpperCase())).isEqualTo(first);
  }

  @Test
  void followsTheRemoteHeadWhenItIsNotMain() throws Exception {
    repo.write("a.yaml", "a: 1").commit("first");
    String trunk = repo.branch("trunk").write("a.yaml", "a: 2").commit("trunk");

    FetchResult fetched = source.fetch(repo.url(), RepoCredentials.none());

    assertThat(fetched.headBranch()).isEqualTo("trunk");
    assertThat(source.resolve(repo.url(), "")).isEqualTo(trunk);
  }

  @Test
  void unknownRevisionsAreRevisionNotFound() throws Exception {
    repo.write("a.yaml", "a: 1").commit("first");
    source.fetch(repo.url(), RepoCredentials.none());

    for (String rev : new String[] {"nope", "refs/heads/nope", "0".repeat(40), "v9"}) {
      assertThatThrownBy(() -> source.resolve(repo.url(), rev))
          .isInstanceOf(SourceException.class)
          .hasMessageContaining("revision " + rev + " not found")
          .extracting(e -> ((SourceException) e).reason())
          .isEqualTo(SourceException.Reason.RevisionNotFound);
    }
  }

  @Test
  void aSecondFetchIsIncrementalAndSeesNewCommitsAndDeletedBranches() throws Exception {
    repo.write("a.yaml", "a: 1").commit("first");
    repo.branch("old").commit("old");
    repo.checkout("main");
    source.fetch(repo.url(), RepoCredentials.none());

    String next = repo.write("a.yaml", "a: 2").commit("second");
    repo.git("branch", "-D", "old");
    FetchResult again = source.fetch(repo.url(), RepoCredentials.none());

    assertThat(again.refs())
        .containsEntry("refs/heads/main", next)
        .doesNotContainKey("refs/heads/old");
    assertThat(source.resolve(repo.url(), "main")).isEqualTo(next);
    assertThat(registry.find("mooring.git.fetch").tag("result", "success").timer().count())
        .isEqualTo(2);
  }

  @Test
  void spellingsOfOneRepositoryShareOneMirror() throws Exception {
    String sha = repo.write("a.yaml", "a: 1").commit("first");
    source.fetch(repo.url(), RepoCredentials.none());

    assertThat(source.resolve(repo.dir().toString() + "/", "main")).isEqualTo(sha);
  }

  @Test
  void changedPathsListsWhatTheCommitsTouched() throws Exception {
    String first = repo.write("apps/a/x.yaml", "x: 1").write("apps/b/y.yaml", "y: 1").commit("1");
    String second = repo.write("apps/a/x.yaml", "x: 2").write("apps/c/z.yaml", "z: 1").commit("2");
    source.fetch(repo.url(), RepoCredentials.none());

    assertThat(source.changedPaths(repo.url(), first, second))
        .containsExactly("apps/a/x.yaml", "apps/c/z.yaml");
    assertThat(source.changedPaths(repo.url(), "", first))
        .containsExactly("apps/a/x.yaml", "apps/b/y.yaml");
  }

  @Test
  void manySmallFetchesAreRepackedSoPacksDoNotPileUp() throws Exception {
    for (int i = 0; i < 40; i++) {
      repo.write("a.yaml", "a: " + i).commit("c" + i);
      source.fetch(repo.url(), RepoCredentials.none());
    }

    try (Stream<Path> files = Files.walk(tmp.resolve("cache"))) {
      assertThat(files.filter(p -> p.toString().endsWith(".pack")).count()).isLessThanOrEqualTo(10);
    }
    assertThat(source.resolve(repo.url(), "main")).isEqualTo(repo.head());
  }

  @Test
  void readingBeforeAnyFetchFailsClearly() {
    assertThatThrownBy(() -> source.resolve(repo.url(), "main"))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("not been fetched");
  }
}
