package dev.mooring.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ProviderDetectionTest {

  @Test
  void eachProvidersEventHeaderNamesIt() {
    assertThat(detect(Map.of("X-GitHub-Event", "push"))).contains(Provider.GITHUB);
    assertThat(detect(Map.of("X-Gogs-Event", "push"))).contains(Provider.GOGS);
    assertThat(detect(Map.of("X-Gitlab-Event", "Push Hook"))).contains(Provider.GITLAB);
    assertThat(detect(Map.of("X-Mooring-Signature", "sha256=00"))).contains(Provider.GENERIC);
  }

  @Test
  void headerNamesAreMatchedWhateverTheirCase() {
    assertThat(detect(Map.of("x-gitlab-event", "Push Hook"))).contains(Provider.GITLAB);
  }

  @Test
  void giteaWinsOverTheGitHubAndGogsHeadersItAlsoSends() {
    assertThat(
            detect(
                Map.of("X-GitHub-Event", "push", "X-Gogs-Event", "push", "X-Gitea-Event", "push")))
        .contains(Provider.GITEA);
  }

  @Test
  void bitbucketCloudIsToldFromServerByHookUuidSignatureAndEventKey() {
    assertThat(detect(Map.of("X-Event-Key", "repo:push", "X-Hook-UUID", "abc")))
        .contains(Provider.BITBUCKET_CLOUD);
    assertThat(detect(Map.of("X-Event-Key", "repo:refs_changed", "X-Hub-Signature", "sha256=0")))
        .contains(Provider.BITBUCKET_SERVER);
    assertThat(detect(Map.of("X-Event-Key", "repo:push"))).contains(Provider.BITBUCKET_CLOUD);
    assertThat(detect(Map.of("X-Event-Key", "repo:refs_changed")))
        .contains(Provider.BITBUCKET_SERVER);
    assertThat(detect(Map.of("X-Event-Key", "diagnostics:ping")))
        .contains(Provider.BITBUCKET_SERVER);
  }

  @Test
  void aRequestWithoutProviderHeadersHasNoProvider() {
    assertThat(detect(Map.of("Content-Type", "application/json", "X-Event-Key", " "))).isEmpty();
  }

  @Test
  void configKeysMatchTheContractsSettings() {
    assertThat(Provider.values())
        .extracting(Provider::configKey)
        .containsExactly(
            "github", "gitea", "gogs", "gitlab", "bitbucket", "bitbucket-server", "generic");
  }

  private static Optional<Provider> detect(Map<String, String> headers) {
    Map<String, String> lookup = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    lookup.putAll(headers);
    Function<String, String> header = lookup::get;
    return WebhookParser.detect(header);
  }
}
