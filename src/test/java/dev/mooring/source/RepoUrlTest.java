package dev.mooring.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RepoUrlTest {

  @Test
  void spellingsOfOneRepositoryNormaliseToOneKey() {
    String key = "https://github.com/org/repo";
    for (String url :
        new String[] {
          "https://github.com/org/repo",
          "https://github.com/org/repo.git",
          "https://github.com/org/repo/",
          "HTTPS://GitHub.com/org/repo.git/",
          "https://github.com:443/org/repo",
          "https://user:token@github.com/org/repo.git",
          " https://github.com//org/repo "
        }) {
      assertThat(GitSource.normalizeUrl(url)).as(url).isEqualTo(key);
    }
  }

  @Test
  void scpLikeAndSshUrlsNormaliseToOneKey() {
    assertThat(GitSource.normalizeUrl("git@GitHub.com:org/repo.git"))
        .isEqualTo("ssh://git@github.com/org/repo");
    assertThat(GitSource.normalizeUrl("ssh://git@github.com:22/org/repo"))
        .isEqualTo("ssh://git@github.com/org/repo");
    assertThat(GitSource.normalizeUrl("ssh://git@github.com:2222/org/repo.git"))
        .isEqualTo("ssh://git@github.com:2222/org/repo");
  }

  @Test
  void theSchemeAndPathCaseStayMeaningful() {
    assertThat(GitSource.normalizeUrl("http://host/Org/Repo")).isEqualTo("http://host/Org/Repo");
    assertThat(GitSource.normalizeUrl("file:///srv/git/repo.git/"))
        .isEqualTo("file:///srv/git/repo");
    assertThat(GitSource.normalizeUrl("/srv/git/repo.git")).isEqualTo("file:///srv/git/repo");
  }

  @Test
  void redactionHidesHttpUserInfoButKeepsTheSshUser() {
    assertThat(RepoUrl.redact("https://user:pw@host/r")).isEqualTo("https://***@host/r");
    assertThat(RepoUrl.redact("https://token@host/r")).isEqualTo("https://***@host/r");
    assertThat(RepoUrl.redact("ssh://git:pw@host/r")).isEqualTo("ssh://git@host/r");
    assertThat(RepoUrl.redact("https://host/r")).isEqualTo("https://host/r");
  }

  @Test
  void credentialsNeverShowSecretValues() {
    RepoCredentials credentials =
        RepoCredentials.fromSecretData(
            Map.of("username", "alice", "token", "ghp_abc", "sshPrivateKey", "-----BEGIN"));

    assertThat(credentials.password()).isEqualTo("ghp_abc");
    assertThat(credentials.toString())
        .contains("alice")
        .doesNotContain("ghp_abc")
        .doesNotContain("BEGIN");
  }
}
