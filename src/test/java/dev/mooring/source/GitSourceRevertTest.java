package dev.mooring.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mooring.testing.GitHttpServer;
import dev.mooring.testing.GitRepo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revert commits made in the mirror and pushed over smart HTTP to a real {@code git http-backend}
 * behind Basic auth, then read back with the git CLI.
 */
class GitSourceRevertTest {
  @TempDir Path tmp;
  GitHttpServer server;
  GitSource source;
  GitRepo work;
  String url;
  String c1;
  String c2;
  RepoCredentials alice =
      RepoCredentials.fromSecretData(Map.of("username", "alice", "password", "s3cret"));

  @BeforeEach
  void setUp() throws Exception {
    work = GitRepo.init(tmp.resolve("work"));
    c1 =
        work.write("k8s/base/deploy.yaml", "image: podinfo:1\n")
            .write("k8s/overlays/dev/kustomization.yaml", "resources: [../../base]\n")
            .commit("podinfo 1");
    c2 = work.write("k8s/base/deploy.yaml", "image: podinfo:2\n").commit("podinfo 2");
    GitRepo.initBare(tmp.resolve("root/org/shop.git"));
    work.git("remote", "add", "origin", tmp.resolve("root/org/shop.git").toUri().toString());
    work.push("origin", "main");
    server = GitHttpServer.start(tmp.resolve("root"), "alice", "s3cret");
    url = server.url("org/shop.git");
    source =
        new GitSource(
            tmp.resolve("cache"), false, Duration.ofSeconds(10), new SimpleMeterRegistry());
  }

  @AfterEach
  void tearDown() {
    source.close();
    server.close();
  }

  private GitSource.RevertRequest request(String bad, String good) {
    return new GitSource.RevertRequest(
        "main", bad, good, "Pipeline mooring/shop, stage production: failed", "Mooring", "m@x.dev");
  }

  private String pulled(String path) throws Exception {
    work.git("pull", "-q", "--ff-only", "origin", "main");
    return Files.readString(work.dir().resolve(path));
  }

  @Test
  void theBadChangeIsRevertedOnTheBranchAndNewerChangesStay() throws Exception {
    // a later commit touches another file: it stays
    work.write("k8s/overlays/dev/extra.yaml", "kind: ConfigMap\n").commit("unrelated");
    work.push("origin", "main");

    GitSource.RevertResult result = source.revert(url, alice, request(c2, c1));

    assertThat(result.nothingPushed()).isFalse();
    assertThat(result.commit()).matches("[0-9a-f]{40}");
    assertThat(pulled("k8s/base/deploy.yaml")).isEqualTo("image: podinfo:1\n");
    assertThat(Files.exists(work.dir().resolve("k8s/overlays/dev/extra.yaml"))).isTrue();
    assertThat(work.head()).isEqualTo(result.commit());
    String message = work.git("log", "-1", "--format=%B");
    assertThat(message)
        .startsWith("Revert \"podinfo 2\"")
        .contains("Pipeline mooring/shop, stage production: failed")
        .contains("Mooring-Reverts: " + c2);
    assertThat(work.git("log", "-1", "--format=%an <%ae>").trim()).isEqualTo("Mooring <m@x.dev>");

    // asked again (a status write lost to a conflict): the first revert is found, nothing pushed
    GitSource.RevertResult again = source.revert(url, alice, request(c2, c1));
    assertThat(again.nothingPushed()).isTrue();
    assertThat(again.commit()).isEqualTo(result.commit());
    assertThat(pulled("k8s/base/deploy.yaml")).isEqualTo("image: podinfo:1\n");
    assertThat(work.head()).isEqualTo(result.commit());
  }

  @Test
  void withoutALastGoodRevisionTheBadCommitAloneIsReverted() throws Exception {
    GitSource.RevertResult result = source.revert(url, alice, request(c2, null));
    assertThat(result.nothingPushed()).isFalse();
    assertThat(pulled("k8s/base/deploy.yaml")).isEqualTo("image: podinfo:1\n");
  }

  @Test
  void aConflictingNewerCommitIsReportedAndNothingIsPushed() throws Exception {
    work.write("k8s/base/deploy.yaml", "image: podinfo:3\n").commit("podinfo 3");
    work.push("origin", "main");
    String head = work.head();

    assertThatThrownBy(() -> source.revert(url, alice, request(c2, c1)))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("conflicts with newer commits on refs/heads/main")
        .hasMessageContaining("k8s/base/deploy.yaml");
    work.git("fetch", "-q", "origin");
    assertThat(work.git("rev-parse", "origin/main").trim()).isEqualTo(head);
  }

  @Test
  void aChangeAlreadyTakenOutByHandPushesNothing() throws Exception {
    work.write("k8s/base/deploy.yaml", "image: podinfo:1\n").commit("back to 1 by hand");
    work.push("origin", "main");
    String head = work.head();

    GitSource.RevertResult result = source.revert(url, alice, request(c2, c1));

    assertThat(result.nothingPushed()).isTrue();
    assertThat(result.commit()).isNull();
    assertThat(result.message()).contains("no longer holds the change of " + c2);
    work.git("fetch", "-q", "origin");
    assertThat(work.git("rev-parse", "origin/main").trim()).isEqualTo(head);
  }

  @Test
  void wrongPushCredentialsFailWithoutShowingThePassword() {
    RepoCredentials wrong =
        RepoCredentials.fromSecretData(Map.of("username", "alice", "password", "wrong-pw-42"));
    // the fetch before the push is refused already: the message says so, without the password
    assertThatThrownBy(() -> source.revert(url, wrong, request(c2, c1)))
        .isInstanceOf(SourceException.class)
        .satisfies(
            e ->
                assertThat(((SourceException) e).reason())
                    .isEqualTo(SourceException.Reason.AuthFailed))
        .hasMessageNotContaining("wrong-pw-42");
  }

  @Test
  void aReadOnlyRemoteRefusesThePush() throws Exception {
    // anonymous access is read-only for git http-backend: the push is refused, reported as such
    try (GitHttpServer open = GitHttpServer.start(tmp.resolve("root"))) {
      String anonymous = open.url("org/shop.git");
      assertThatThrownBy(() -> source.revert(anonymous, RepoCredentials.none(), request(c2, c1)))
          .isInstanceOf(SourceException.class)
          .hasMessageContaining("push to");
    }
    work.git("fetch", "-q", "origin");
    assertThat(work.git("rev-parse", "origin/main").trim()).isEqualTo(c2);
  }
}
