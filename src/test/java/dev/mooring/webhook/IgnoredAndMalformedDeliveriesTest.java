package dev.mooring.webhook;

import static dev.mooring.webhook.Deliveries.bytes;
import static dev.mooring.webhook.Deliveries.secretOf;
import static dev.mooring.webhook.Deliveries.secretsFor;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IgnoredAndMalformedDeliveriesTest {

  @Test
  void aGitHubPingIsIgnored() {
    assertThat(outcome(Provider.GITHUB, "ping", "github/ping.json"))
        .isEqualTo(
            new WebhookOutcome.Ignored(
                Provider.GITHUB, "72d3162e-cc78-11e3-81ab-4c9367dc0958", "ping"));
  }

  @Test
  void aGitHubBranchDeletionIsIgnored() {
    assertThat(outcome(Provider.GITHUB, "push", "github/branch-deleted.json"))
        .isInstanceOfSatisfying(
            WebhookOutcome.Ignored.class,
            i -> assertThat(i.reason()).isEqualTo("refs/heads/feature-x was deleted"));
  }

  @Test
  void aGiteaEventOtherThanPushIsIgnored() {
    assertThat(outcome(Provider.GITEA, "pull_request", "gitea/push.json"))
        .isInstanceOfSatisfying(
            WebhookOutcome.Ignored.class,
            i -> assertThat(i.reason()).isEqualTo("event pull_request is not a push"));
  }

  @Test
  void aGogsCreateEventIsIgnored() {
    assertThat(outcome(Provider.GOGS, "create", "gogs/create.json"))
        .isInstanceOf(WebhookOutcome.Ignored.class);
  }

  @Test
  void aGitLabMergeRequestHookIsIgnored() {
    assertThat(outcome(Provider.GITLAB, "Merge Request Hook", "gitlab/merge-request.json"))
        .isInstanceOf(WebhookOutcome.Ignored.class);
  }

  @Test
  void aGitLabSystemHookForSomethingElseIsIgnored() {
    assertThat(outcome(Provider.GITLAB, "System Hook", "gitlab/merge-request.json"))
        .isInstanceOf(WebhookOutcome.Ignored.class);
  }

  @Test
  void aBitbucketCloudPullRequestIsIgnored() {
    assertThat(
            outcome(
                Provider.BITBUCKET_CLOUD,
                "pullrequest:created",
                "bitbucket-cloud/pullrequest-created.json"))
        .isInstanceOf(WebhookOutcome.Ignored.class);
  }

  @Test
  void aBitbucketServerPingIsIgnored() {
    assertThat(outcome(Provider.BITBUCKET_SERVER, "diagnostics:ping", "bitbucket-server/ping.json"))
        .isEqualTo(
            new WebhookOutcome.Ignored(
                Provider.BITBUCKET_SERVER, "c4e6a8b0-d2f4-4a6c-8e0b-2d4f6a8c0e2b", "ping"));
  }

  @Test
  void aBitbucketServerPushThatOnlyDeletesIsIgnored() {
    assertThat(
            outcome(
                Provider.BITBUCKET_SERVER,
                "repo:refs_changed",
                "bitbucket-server/branch-deleted.json"))
        .isInstanceOf(WebhookOutcome.Ignored.class);
  }

  @Test
  void aGenericPingIsIgnored() {
    assertThat(outcome(Provider.GENERIC, "ping", "generic/push.json"))
        .isInstanceOf(WebhookOutcome.Ignored.class);
  }

  @Test
  void aPingIsStillVerified() {
    Deliveries.Delivery forged =
        Deliveries.delivery(Provider.GITHUB, "ping", "github/ping.json", "another-secret");

    assertThat(forged.parseWith(secretsFor(Provider.GITHUB)))
        .isInstanceOfSatisfying(
            WebhookOutcome.Rejected.class, r -> assertThat(r.status()).isEqualTo(401));
  }

  @Test
  void aPushWithoutRefIsABadRequest() {
    assertThat(
            malformed(Provider.GITHUB, "{\"after\":\"abc\",\"repository\":{\"clone_url\":\"x\"}}"))
        .isEqualTo("github webhook: the payload has no ref");
  }

  @Test
  void aPushWithoutRepositoryIsABadRequest() {
    assertThat(malformed(Provider.GITLAB, "{\"ref\":\"refs/heads/main\",\"after\":\"abc\"}"))
        .isEqualTo("gitlab webhook: the payload has no project or repository");
    assertThat(malformed(Provider.GITHUB, "{\"ref\":\"refs/heads/main\",\"repository\":{}}"))
        .isEqualTo("github webhook: the payload names no repository URL");
    assertThat(malformed(Provider.BITBUCKET_SERVER, "{\"changes\":[]}"))
        .isEqualTo("bitbucket-server webhook: the payload names no repository URL");
    assertThat(malformed(Provider.BITBUCKET_CLOUD, "{\"push\":{\"changes\":[]}}"))
        .isEqualTo("bitbucket webhook: the payload has no repository.links.html.href");
  }

  @Test
  void aGenericPushWithAShortRefIsABadRequest() {
    assertThat(malformed(Provider.GENERIC, "{\"repoURL\":\"https://x/r.git\",\"ref\":\"main\"}"))
        .contains("ref must be a full ref");
  }

  @Test
  void aBodyThatIsNotAJsonObjectIsABadRequest() {
    assertThat(malformed(Provider.GENERIC, "[1, 2]")).contains("not a JSON object");
  }

  @Test
  void aFormEncodedGitHubPayloadIsRead() {
    String form =
        "payload="
            + java.net.URLEncoder.encode(
                new String(
                    Deliveries.fixture("github/push.json"),
                    java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.UTF_8);
    Deliveries.Delivery delivery =
        Deliveries.sign(Provider.GITHUB, "push", bytes(form), secretOf(Provider.GITHUB))
            .withHeader("Content-Type", "application/x-www-form-urlencoded");

    assertThat(delivery.parseWith(secretsFor(Provider.GITHUB)))
        .isInstanceOfSatisfying(
            WebhookOutcome.Push.class,
            p -> assertThat(p.event().ref()).isEqualTo("refs/heads/main"));
  }

  private static WebhookOutcome outcome(Provider provider, String event, String fixture) {
    return Deliveries.delivery(provider, event, fixture, secretOf(provider))
        .parseWith(secretsFor(provider));
  }

  private static String malformed(Provider provider, String body) {
    WebhookOutcome outcome =
        Deliveries.sign(provider, Deliveries.pushEvent(provider), bytes(body), secretOf(provider))
            .parseWith(secretsFor(provider));
    assertThat(outcome).isInstanceOf(WebhookOutcome.Rejected.class);
    WebhookOutcome.Rejected rejected = (WebhookOutcome.Rejected) outcome;
    assertThat(rejected.status()).isEqualTo(400);
    assertThat(rejected.error()).isEqualTo("malformed");
    return rejected.message();
  }
}
