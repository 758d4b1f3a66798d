package dev.mooring.webhook;

import static dev.mooring.webhook.Deliveries.push;
import static dev.mooring.webhook.Deliveries.secretOf;
import static dev.mooring.webhook.Deliveries.secretsFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PushPayloadsTest {

  @Test
  void aGitHubPushListsEveryCloneUrlAndTheUnionOfTheCommitsFiles() {
    PushEvent push = event(push(Provider.GITHUB), Provider.GITHUB);

    assertThat(push)
        .isEqualTo(
            new PushEvent(
                Provider.GITHUB,
                "72d3162e-cc78-11e3-81ab-4c9367dc0958",
                List.of(
                    "https://github.com/acme/deploy.git",
                    "git@github.com:acme/deploy.git",
                    "https://github.com/acme/deploy",
                    "git://github.com/acme/deploy.git"),
                "refs/heads/main",
                "9a3e5c7b1d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c",
                List.of(
                    "apps/web/deployment.yaml",
                    "apps/api/configmap.yaml",
                    "apps/api/old-job.yaml")));
    assertThat(push.refs()).containsExactly("refs/heads/main");
  }

  @Test
  void aNewGitHubTagLeavesTheChangedFilesUnknown() {
    PushEvent push =
        event(signed(Provider.GITHUB, "push", "github/tag-push.json"), Provider.GITHUB);

    assertThat(push.ref()).isEqualTo("refs/tags/v1.4.0");
    assertThat(push.changedFiles()).isNull();
  }

  @Test
  void aForcePushLeavesTheChangedFilesUnknown() {
    String forced =
        new String(Deliveries.fixture("github/push.json"), java.nio.charset.StandardCharsets.UTF_8)
            .replace("\"forced\": false", "\"forced\": true");
    Deliveries.Delivery delivery =
        Deliveries.sign(
            Provider.GITHUB, "push", Deliveries.bytes(forced), secretOf(Provider.GITHUB));

    assertThat(event(delivery, Provider.GITHUB).changedFiles()).isNull();
  }

  @Test
  void twentyOrMoreCommitsLeaveTheChangedFilesUnknown() {
    StringBuilder commits = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      commits
          .append(i == 0 ? "" : ",")
          .append("{\"added\":[],\"removed\":[],\"modified\":[\"a\"]}");
    }
    String body =
        "{\"ref\":\"refs/heads/main\",\"before\":\"1111111111111111111111111111111111111111\","
            + "\"after\":\"2222222222222222222222222222222222222222\","
            + "\"repository\":{\"clone_url\":\"https://github.com/acme/deploy.git\"},"
            + "\"commits\":["
            + commits
            + "]}";
    Deliveries.Delivery delivery =
        Deliveries.sign(Provider.GITHUB, "push", Deliveries.bytes(body), secretOf(Provider.GITHUB));

    assertThat(event(delivery, Provider.GITHUB).changedFiles()).isNull();
  }

  @Test
  void aGiteaPushIsReadLikeGitHubsDespiteGitHubHeaders() {
    PushEvent push = event(push(Provider.GITEA), Provider.GITEA);

    assertThat(push.provider()).isEqualTo(Provider.GITEA);
    assertThat(push.deliveryId()).isEqualTo("f6266f16-1bf3-46a5-9ea4-602e06ead473");
    assertThat(push.repoURLs())
        .containsExactly(
            "https://gitea.example.com/infra/manifests.git",
            "ssh://git@gitea.example.com:2222/infra/manifests.git",
            "https://gitea.example.com/infra/manifests");
    assertThat(push.ref()).isEqualTo("refs/heads/develop");
    assertThat(push.after()).isEqualTo("b7f3d9e1a5c2b8f4d0e6a2c8b4f0d6e2a8c4b0f6");
    assertThat(push.changedFiles()).containsExactly("guestbook/deployment.yaml");
  }

  @Test
  void aGiteaPushListingFewerCommitsThanItsTotalLeavesTheFilesUnknown() {
    PushEvent push =
        event(signed(Provider.GITEA, "push", "gitea/truncated-push.json"), Provider.GITEA);

    assertThat(push.changedFiles()).isNull();
  }

  @Test
  void aGogsPushListsItsAddedFiles() {
    PushEvent push = event(push(Provider.GOGS), Provider.GOGS);

    assertThat(push.repoURLs())
        .containsExactly(
            "https://gogs.example.com/team/cluster-config.git",
            "git@gogs.example.com:team/cluster-config.git",
            "https://gogs.example.com/team/cluster-config");
    assertThat(push.ref()).isEqualTo("refs/heads/master");
    assertThat(push.after()).isEqualTo("e5b1c7d3f9a5e1b7c3d9f5a1e7b3c9d5f1a7e3b9");
    assertThat(push.changedFiles()).containsExactly("redis/statefulset.yaml", "redis/service.yaml");
  }

  @Test
  void aGitLabPushReadsProjectUrlsAndCommitFiles() {
    PushEvent push = event(push(Provider.GITLAB), Provider.GITLAB);

    assertThat(push.deliveryId()).isEqualTo("13792a34-cac6-4fda-95a8-c58e00a3954e");
    assertThat(push.repoURLs())
        .containsExactly(
            "https://gitlab.example.com/platform/platform-deploy.git",
            "git@gitlab.example.com:platform/platform-deploy.git",
            "https://gitlab.example.com/platform/platform-deploy");
    assertThat(push.ref()).isEqualTo("refs/heads/main");
    assertThat(push.after()).isEqualTo("da1560886d4f094c3e6c9ef40349f7d38b5d27d7");
    assertThat(push.changedFiles())
        .containsExactly(
            "infra/ingress/values.yaml",
            "apps/billing/kustomization.yaml",
            "apps/billing/deployment.yaml",
            "apps/legacy-billing/deployment.yaml");
  }

  @Test
  void aGitLabTagPushIsAPushWithUnknownFiles() {
    PushEvent push =
        event(signed(Provider.GITLAB, "Tag Push Hook", "gitlab/tag-push.json"), Provider.GITLAB);

    assertThat(push.ref()).isEqualTo("refs/tags/v2.0.0");
    assertThat(push.after()).isEqualTo("82b3d5ae55f7080f1e6022629cdb57bfae7cccc7");
    assertThat(push.changedFiles()).isNull();
  }

  @Test
  void aGitLabSystemHookForAPushIsAPush() {
    PushEvent push =
        event(signed(Provider.GITLAB, "System Hook", "gitlab/push.json"), Provider.GITLAB);

    assertThat(push.ref()).isEqualTo("refs/heads/main");
  }

  @Test
  void aBitbucketCloudPushNamesEveryMovedRefAndNoFiles() {
    PushEvent push = event(push(Provider.BITBUCKET_CLOUD), Provider.BITBUCKET_CLOUD);

    assertThat(push.deliveryId()).isEqualTo("9d2f6c1a-5e3b-4a7d-8c0f-2b4d6e8a0c1e");
    assertThat(push.repoURLs())
        .containsExactly(
            "https://bitbucket.org/northwind/gitops",
            "https://bitbucket.org/northwind/gitops.git",
            "git@bitbucket.org:northwind/gitops.git");
    assertThat(push.ref()).isEqualTo("refs/heads/main");
    assertThat(push.refs()).containsExactly("refs/heads/main", "refs/tags/v3.1.0");
    assertThat(push.after()).isEqualTo("709d658dc5b6d6afcd46049c2f332ee3f515a67d");
    assertThat(push.changedFiles()).isNull();
  }

  @Test
  void aBitbucketServerPushReadsCloneLinksAndFullRefs() {
    PushEvent push = event(push(Provider.BITBUCKET_SERVER), Provider.BITBUCKET_SERVER);

    assertThat(push.deliveryId()).isEqualTo("c4e6a8b0-d2f4-4a6c-8e0b-2d4f6a8c0e2b");
    assertThat(push.repoURLs())
        .containsExactly(
            "ssh://git@bitbucket.example.com:7999/plat/k8s-config.git",
            "https://bitbucket.example.com/scm/plat/k8s-config.git");
    assertThat(push.ref()).isEqualTo("refs/heads/release/2024.1");
    assertThat(push.refs()).containsExactly("refs/heads/release/2024.1", "refs/tags/v5.0.1");
    assertThat(push.after()).isEqualTo("f7b9c1e3a5d7f9b1c3e5a7d9f1b3c5e7a9d1f3b5");
    assertThat(push.changedFiles()).isNull();
  }

  @Test
  void aGenericPushCarriesItsOwnFileList() {
    PushEvent push = event(push(Provider.GENERIC), Provider.GENERIC);

    assertThat(push)
        .isEqualTo(
            new PushEvent(
                Provider.GENERIC,
                "ci-run-4411",
                List.of("https://git.example.com/org/repo.git"),
                "refs/heads/main",
                "4e6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a",
                List.of("apps/guestbook/deployment.yaml", "README.md")));
  }

  @Test
  void aGenericPushWithoutFileListHasUnknownFiles() {
    PushEvent push =
        event(signed(Provider.GENERIC, null, "generic/push-without-files.json"), Provider.GENERIC);

    assertThat(push.ref()).isEqualTo("refs/tags/v7");
    assertThat(push.changedFiles()).isNull();
  }

  private static Deliveries.Delivery signed(Provider provider, String event, String fixture) {
    return Deliveries.delivery(provider, event, fixture, secretOf(provider));
  }

  private static PushEvent event(Deliveries.Delivery delivery, Provider provider) {
    WebhookOutcome outcome = delivery.parseWith(secretsFor(provider));
    assertThat(outcome).isInstanceOf(WebhookOutcome.Push.class);
    return ((WebhookOutcome.Push) outcome).event();
  }
}
