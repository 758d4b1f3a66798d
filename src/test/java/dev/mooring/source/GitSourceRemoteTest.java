package dev.mooring.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mooring.testing.GitHttpServer;
import dev.mooring.testing.GitRepo;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitSourceRemoteTest {

  @TempDir Path tmp;
  GitHttpServer server;
  GitSource source;
  SimpleMeterRegistry registry = new SimpleMeterRegistry();
  String url;
  String sha;
  RepoCredentials alice =
      RepoCredentials.fromSecretData(Map.of("username", "alice", "password", "s3cret"));

  @BeforeEach
  void setUp() throws Exception {
    GitRepo work = GitRepo.init(tmp.resolve("work"));
    sha = work.write("app/cm.yaml", "kind: ConfigMap").commit("first");
    GitRepo bare = GitRepo.initBare(tmp.resolve("root/org/app.git"));
    work.push(bare.url(), "main");
    server = GitHttpServer.start(tmp.resolve("root"), "alice", "s3cret");
    url = server.url("org/app.git");
    source = new GitSource(tmp.resolve("cache"), false, Duration.ofSeconds(10), registry);
  }

  @AfterEach
  void tearDown() {
    source.close();
    server.close();
  }

  @Test
  void fetchesOverHttpWithTheRightCredentials() throws Exception {
    FetchResult result = source.fetch(url, alice);

    assertThat(result.repoURL()).isEqualTo(GitSource.normalizeUrl(url));
    assertThat(result.headBranch()).isEqualTo("main");
    assertThat(source.resolve(url, "")).isEqualTo(sha);
    assertThat(source.files(url, sha, "app", true).files()).containsKey("cm.yaml");
  }

  @Test
  void wrongCredentialsAreAuthFailedWithoutLeakingThePassword() {
    RepoCredentials wrong =
        RepoCredentials.fromSecretData(Map.of("username", "alice", "password", "hunter2"));

    assertThatThrownBy(() -> source.fetch(url, wrong))
        .isInstanceOf(SourceException.class)
        .hasMessageStartingWith("fetch " + url + " failed: authentication failed")
        .hasMessageNotContaining("hunter2")
        .extracting(e -> ((SourceException) e).reason())
        .isEqualTo(SourceException.Reason.AuthFailed);
    assertThat(registry.find("mooring.git.fetch.failures").counter().count()).isEqualTo(1);
  }

  @Test
  void missingCredentialsAreAuthFailed() {
    assertThatThrownBy(() -> source.fetch(url, RepoCredentials.none()))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("authentication required")
        .extracting(e -> ((SourceException) e).reason())
        .isEqualTo(SourceException.Reason.AuthFailed);
  }

  @Test
  void concurrentFetchesOfOneRepositoryShareOneFetch() throws Exception {
    source.fetch(url, alice); // the clone
    server.setDelay(Duration.ofMillis(700));
    int before = server.requestCount();

    CompletableFuture<FetchResult> first = CompletableFuture.supplyAsync(() -> fetch(url));
    await().atMost(Duration.ofSeconds(5)).until(() -> server.requestCount() > before);
    CompletableFuture<FetchResult> second = CompletableFuture.supplyAsync(() -> fetch(url));

    assertThat(second.get()).isSameAs(first.get());
    Timer fetches = registry.find("mooring.git.fetch").tag("result", "success").timer();
    assertThat(fetches.count()).isEqualTo(2); // the clone and one shared fetch
  }

  @Test
  void aFreshFetchNeverReusesOneThatStartedBeforeThePush() throws Exception {
    source.fetch(url, alice); // the clone
    server.setDelay(Duration.ofMillis(700));
    int before = server.requestCount();
    // a fetch is running (a reconcile's), then a push lands and its webhook asks for a fetch
    CompletableFuture<FetchResult> running = CompletableFuture.supplyAsync(() -> fetch(url));
    await().atMost(Duration.ofSeconds(5)).until(() -> server.requestCount() > before);
    GitRepo work = GitRepo.init(tmp.resolve("work2"));
    work.git("fetch", "-q", tmp.resolve("root/org/app.git").toUri().toString(), "main");
    work.git("reset", "-q", "--hard", "FETCH_HEAD");
    String pushed = work.write("app/cm.yaml", "kind: ConfigMap # 2").commit("pushed");
    work.push(tmp.resolve("root/org/app.git").toUri().toString(), "main:main");

    FetchResult fresh = source.fetch(url, alice, true);

    assertThat(fresh.refs()).containsEntry("refs/heads/main", pushed);
    assertThat(fresh).isNotSameAs(running.get());
    Timer fetches = registry.find("mooring.git.fetch").tag("result", "success").timer();
    assertThat(fetches.count()).isEqualTo(3); // the clone, the running one, and one after it
  }

  @Test
  void aConcurrentCallerWithOtherCredentialsDoesNotShareTheFetch() throws Exception {
    server.setDelay(Duration.ofMillis(500));
    RepoCredentials mallory =
        RepoCredentials.fromSecretData(Map.of("username", "mallory", "password", "guess"));

    CompletableFuture<FetchResult> first = CompletableFuture.supplyAsync(() -> fetch(url));
    await().atMost(Duration.ofSeconds(5)).until(() -> server.requestCount() > 0);

    assertThatThrownBy(() -> source.fetch(url, mallory))
        .extracting(e -> ((SourceException) e).reason())
        .isEqualTo(SourceException.Reason.AuthFailed);
    assertThat(first.get().refs()).containsEntry("refs/heads/main", sha);
  }

  @Test
  void anUnreachableServerIsUnreachableWithAClearMessage() {
    assertThatThrownBy(() -> source.fetch("http://127.0.0.1:1/x.git", RepoCredentials.none()))
        .isInstanceOf(SourceException.class)
        .hasMessage("fetch http://127.0.0.1:1/x.git failed: connection refused")
        .extracting(e -> ((SourceException) e).reason())
        .isEqualTo(SourceException.Reason.Unreachable);
  }

  @Test
  void aServerThatDoesNotAnswerInTimeIsUnreachable() {
    GitSource impatient =
        new GitSource(
            tmp.resolve("cache3"), false, Duration.ofSeconds(1), new SimpleMeterRegistry());
    server.setDelay(Duration.ofMillis(2500));

    assertThatThrownBy(() -> impatient.fetch(url, alice))
        .isInstanceOf(SourceException.class)
        .hasMessage("fetch " + url + " failed: timed out after 1s")
        .extracting(e -> ((SourceException) e).reason())
        .isEqualTo(SourceException.Reason.Unreachable);
    impatient.close();
  }

  @Test
  void aMissingLocalRepositoryIsUnreachable() {
    GitSource local =
        new GitSource(
            tmp.resolve("cache2"), true, Duration.ofSeconds(5), new SimpleMeterRegistry());
    String missing = tmp.resolve("does-not-exist").toUri().toString();

    assertThatThrownBy(() -> local.fetch(missing, RepoCredentials.none()))
        .isInstanceOf(SourceException.class)
        .hasMessage("fetch " + missing + " failed: repository not found")
        .extracting(e -> ((SourceException) e).reason())
        .isEqualTo(SourceException.Reason.Unreachable);
    local.close();
  }

  @Test
  void localRepositoriesAreNotAllowedUnlessConfigured() {
    for (String local : new String[] {"file:///srv/repo.git", "/srv/repo", "./repo"}) {
      assertThatThrownBy(() -> source.fetch(local, RepoCredentials.none()))
          .isInstanceOf(SourceException.class)
          .hasMessageContaining("mooring.git.allow-local-repos")
          .extracting(e -> ((SourceException) e).reason())
          .isEqualTo(SourceException.Reason.NotAllowed);
    }
    assertThatThrownBy(() -> source.fetch("ftp://host/repo.git", RepoCredentials.none()))
        .extracting(e -> ((SourceException) e).reason())
        .isEqualTo(SourceException.Reason.NotAllowed);
  }

  @Test
  void passwordsWrittenIntoTheUrlNeverReachMessages() {
    assertThatThrownBy(
            () -> source.fetch("http://bob:topsecret@127.0.0.1:1/x.git", RepoCredentials.none()))
        .hasMessage("fetch http://***@127.0.0.1:1/x.git failed: connection refused");
  }

  private FetchResult fetch(String repoURL) {
    try {
      return source.fetch(repoURL, alice);
    } catch (SourceException e) {
      throw new IllegalStateException(e);
    }
  }
}
