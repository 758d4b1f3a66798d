package dev.mooring.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mooring.testing.GitRepo;
import dev.mooring.testing.GitSshServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitSourceSshTest {

  @TempDir Path tmp;
  KeyPair clientKey = GitSshServer.newKeyPair();
  GitSshServer server;
  GitSource source;
  String url;
  String sha;

  @BeforeEach
  void setUp() throws Exception {
    GitRepo work = GitRepo.init(tmp.resolve("work"));
    sha = work.write("app/cm.yaml", "kind: ConfigMap").commit("first");
    work.push(GitRepo.initBare(tmp.resolve("root/org/app.git")).url(), "main");
    server = GitSshServer.start(tmp.resolve("root"), clientKey.getPublic());
    url = server.url("org/app.git");
    source =
        new GitSource(
            tmp.resolve("cache"), false, Duration.ofSeconds(10), new SimpleMeterRegistry());
  }

  @AfterEach
  void tearDown() throws Exception {
    source.close();
    server.close();
  }

  private RepoCredentials credentials(KeyPair key, String knownHosts) {
    return RepoCredentials.fromSecretData(
        Map.of("sshPrivateKey", GitSshServer.openSshPrivateKey(key), "knownHosts", knownHosts));
  }

  @Test
  void fetchesOverSshWithTheKeyAndAKnownHostKey() throws Exception {
    FetchResult result =
        source.fetch(url, credentials(clientKey, "# comment\n" + server.knownHostsLine() + "\n"));

    assertThat(result.refs()).containsEntry("refs/heads/main", sha);
    assertThat(source.resolve(url, "")).isEqualTo(sha);
  }

  @Test
  void anUnknownHostKeyIsRefused() {
    String otherHost =
        server.knownHostsLine().replaceFirst(" .*", " ")
            + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(
                GitSshServer.newKeyPair().getPublic());

    for (String knownHosts : new String[] {"", otherHost}) {
      assertThatThrownBy(() -> source.fetch(url, credentials(clientKey, knownHosts)))
          .isInstanceOf(SourceException.class)
          .hasMessageContaining("is not listed in knownHosts")
          .extracting(e -> ((SourceException) e).reason())
          .isEqualTo(SourceException.Reason.AuthFailed);
    }
  }

  @Test
  void aWrongClientKeyIsAuthFailed() {
    KeyPair stranger = GitSshServer.newKeyPair();

    assertThatThrownBy(() -> source.fetch(url, credentials(stranger, server.knownHostsLine())))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("authentication failed")
        .hasMessageNotContaining("PRIVATE KEY")
        .extracting(e -> ((SourceException) e).reason())
        .isEqualTo(SourceException.Reason.AuthFailed);
  }
}
