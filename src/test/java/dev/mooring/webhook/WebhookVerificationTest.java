package dev.mooring.webhook;

import static dev.mooring.webhook.Deliveries.bytes;
import static dev.mooring.webhook.Deliveries.push;
import static dev.mooring.webhook.Deliveries.secretOf;
import static dev.mooring.webhook.Deliveries.secretsFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.webhook.Deliveries.Delivery;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WebhookVerificationTest {

  // Every rejection any test here produced, with what the sender presented, to check for leaks.
  private static final List<String> REJECTION_MESSAGES = new ArrayList<>();
  private static final List<String> PRESENTED = new ArrayList<>();

  @ParameterizedTest
  @EnumSource(Provider.class)
  void aDeliveryWithTheConfiguredSecretIsAccepted(Provider provider) {
    WebhookOutcome outcome = push(provider).parseWith(secretsFor(provider));

    assertThat(outcome).isInstanceOf(WebhookOutcome.Push.class);
    assertThat(((WebhookOutcome.Push) outcome).event().provider()).isEqualTo(provider);
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void aSignatureOrTokenWithOneCharacterChangedIsRefused(Provider provider) {
    String name = DeliveryVerifier.signatureHeader(provider);
    Delivery genuine = push(provider);
    String forged = Deliveries.oneCharChanged(genuine.headers().get(name));

    WebhookOutcome outcome = genuine.withHeader(name, forged).parseWith(secretsFor(provider));

    assertRejected(outcome, 401, forged).contains("does not match");
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void aDeliverySignedWithAnotherSecretIsRefused(Provider provider) {
    Delivery other =
        Deliveries.delivery(
            provider,
            Deliveries.pushEvent(provider),
            Deliveries.pushFixture(provider),
            provider == Provider.BITBUCKET_CLOUD
                ? "{0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d}"
                : "another-secret");

    WebhookOutcome outcome = other.parseWith(secretsFor(provider));

    assertRejected(outcome, 401, other.headers().get(DeliveryVerifier.signatureHeader(provider)));
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void aDeliveryWithoutSignatureIsRefused(Provider provider) {
    Delivery unsigned =
        Deliveries.delivery(
            provider, Deliveries.pushEvent(provider), Deliveries.pushFixture(provider), null);

    WebhookOutcome outcome = unsigned.parseWith(secretsFor(provider));

    assertRejected(outcome, 401, null)
        .contains("missing " + DeliveryVerifier.signatureHeader(provider));
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void aProviderWithoutSecretRefusesEvenASignedDelivery(Provider provider) {
    WebhookOutcome outcome = push(provider).parseWith(WebhookSecrets.none());

    assertRejected(outcome, 401, null)
        .contains("mooring.webhook." + provider.configKey() + ".secret");
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void anInsecureProviderWithoutSecretAcceptsUnsignedDeliveries(Provider provider) {
    Delivery unsigned =
        Deliveries.delivery(
            provider, Deliveries.pushEvent(provider), Deliveries.pushFixture(provider), null);

    WebhookOutcome outcome = unsigned.parseWith(WebhookSecrets.none().withInsecure(provider));

    assertThat(outcome).isInstanceOf(WebhookOutcome.Push.class);
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void aSecretStillRequiresASignatureWhenTheProviderIsAlsoMarkedInsecure(Provider provider) {
    Delivery unsigned =
        Deliveries.delivery(
            provider, Deliveries.pushEvent(provider), Deliveries.pushFixture(provider), null);

    WebhookOutcome outcome = unsigned.parseWith(secretsFor(provider).withInsecure(provider));

    assertRejected(outcome, 401, null);
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void anyOfSeveralSecretsIsAcceptedWhileOneIsRotated(Provider provider) {
    WebhookSecrets rotating =
        WebhookSecrets.none().with(provider, "the-old-secret", secretOf(provider));

    assertThat(push(provider).parseWith(rotating)).isInstanceOf(WebhookOutcome.Push.class);
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void malformedJsonWithAValidSignatureIsABadRequest(Provider provider) {
    Delivery broken =
        Deliveries.sign(
            provider,
            Deliveries.pushEvent(provider),
            bytes("{\"ref\": \"refs/heads/main\", "),
            secretOf(provider));

    WebhookOutcome outcome = broken.parseWith(secretsFor(provider));

    assertRejected(outcome, 400, null).contains("not valid JSON");
  }

  @ParameterizedTest
  @EnumSource(
      value = Provider.class,
      names = {"GITHUB", "GITEA", "GOGS", "BITBUCKET_SERVER", "GENERIC"})
  void signaturesCoverTheRawBytesSoReserialisedJsonFails(Provider provider) throws Exception {
    Delivery genuine = push(provider);
    ObjectMapper json = new ObjectMapper();
    byte[] sameContent = json.writeValueAsBytes(json.readTree(genuine.body()));
    assertThat(json.readTree(sameContent)).isEqualTo(json.readTree(genuine.body()));

    WebhookOutcome outcome = genuine.withBody(sameContent).parseWith(secretsFor(provider));

    assertRejected(outcome, 401, null);
  }

  @Test
  void aDeliveryWithoutAnyProviderHeaderIsABadRequest() {
    WebhookOutcome outcome =
        new WebhookParser(WebhookSecrets.none())
            .parse(name -> null, Deliveries.fixture("generic/push.json"));

    assertThat(outcome)
        .isEqualTo(
            new WebhookOutcome.Rejected(
                400, "unrecognised", "unrecognised webhook: no provider header"));
  }

  @Test
  void nullHeadersAndBodyAreRejectedRatherThanThrown() {
    WebhookParser parser = new WebhookParser(null);

    assertThat(parser.parse(null, null)).isInstanceOf(WebhookOutcome.Rejected.class);
    Delivery noBody = push(Provider.GENERIC).withBody(null);
    assertThat(noBody.parseWith(WebhookSecrets.none().withInsecure(Provider.GENERIC)))
        .isEqualTo(WebhookOutcome.Rejected.malformed("generic webhook: the request body is empty"));
  }

  @Test
  void aSignaturePrefixOtherThanSha256IsRefused() {
    Delivery genuine = push(Provider.GITHUB);
    String sha1Style = genuine.headers().get("X-Hub-Signature-256").replace("sha256=", "sha1=");

    WebhookOutcome outcome =
        genuine.withHeader("X-Hub-Signature-256", sha1Style).parseWith(secretsFor(Provider.GITHUB));

    assertRejected(outcome, 401, sha1Style);
  }

  @Test
  void secretsNeverShowInToString() {
    WebhookSecrets secrets =
        WebhookSecrets.none()
            .with(Provider.GITHUB, Deliveries.HMAC_SECRET)
            .with(Provider.GITLAB, Deliveries.GITLAB_TOKEN)
            .with(Provider.BITBUCKET_CLOUD, Deliveries.HOOK_UUID)
            .withInsecure(Provider.GENERIC);

    assertThat(secrets.toString())
        .contains("GITHUB", "GENERIC")
        .doesNotContain(Deliveries.HMAC_SECRET, Deliveries.GITLAB_TOKEN, "6f1e3d5b");
  }

  @Test
  void blankSecretsCountAsNone() {
    WebhookSecrets secrets = WebhookSecrets.none().with(Provider.GITLAB, "", "  ");

    assertThat(secrets.secretsFor(Provider.GITLAB)).isEmpty();
    Delivery emptyToken = push(Provider.GITLAB).withHeader("X-Gitlab-Token", "");
    assertThat(emptyToken.parseWith(secrets))
        .isInstanceOfSatisfying(
            WebhookOutcome.Rejected.class, r -> assertThat(r.status()).isEqualTo(401));
  }

  @AfterAll
  static void noRejectionEverShowsASecretOrTheReceivedSignature() {
    assertThat(REJECTION_MESSAGES).isNotEmpty();
    for (String message : REJECTION_MESSAGES) {
      assertThat(message)
          .doesNotContain(Deliveries.HMAC_SECRET)
          .doesNotContain(Deliveries.GITLAB_TOKEN)
          .doesNotContain("6f1e3d5b")
          .doesNotContain("another-secret")
          .doesNotContain("the-old-secret");
      for (String presented : PRESENTED) {
        assertThat(message).doesNotContain(presented);
      }
    }
  }

  private static org.assertj.core.api.AbstractStringAssert<?> assertRejected(
      WebhookOutcome outcome, int status, String presented) {
    assertThat(outcome).isInstanceOf(WebhookOutcome.Rejected.class);
    WebhookOutcome.Rejected rejected = (WebhookOutcome.Rejected) outcome;
    assertThat(rejected.status()).isEqualTo(status);
    REJECTION_MESSAGES.add(rejected.error() + " " + rejected.message());
    if (presented != null) {
      PRESENTED.add(presented.replace("sha256=", "").replace("sha1=", ""));
    }
    return assertThat(rejected.message());
  }
}
