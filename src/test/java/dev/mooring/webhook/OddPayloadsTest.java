package dev.mooring.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OddPayloadsTest {

  private static final String WRONG_TYPES =
      "{\"ref\": 5, \"after\": [], \"repository\": \"x\", \"project\": 1, \"commits\": \"y\","
          + " \"push\": {\"changes\": [\"z\", {\"new\": {\"name\": 1}}]}, \"changes\": {\"a\": 1},"
          + " \"repoURL\": {}, \"changedFiles\": 3}";

  @ParameterizedTest
  @EnumSource(Provider.class)
  void everyTruncationOfAPushIsAnsweredWithoutThrowing(Provider provider) {
    byte[] full = Deliveries.fixture(Deliveries.pushFixture(provider));
    WebhookSecrets insecure = WebhookSecrets.none().withInsecure(provider);
    for (int length = 0; length < full.length; length += 7) {
      Deliveries.Delivery cut =
          Deliveries.sign(
              provider, Deliveries.pushEvent(provider), Arrays.copyOf(full, length), null);

      assertThatCode(() -> assertThat(cut.parseWith(insecure)).isNotNull())
          .doesNotThrowAnyException();
    }
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void fieldsOfTheWrongTypeAreABadRequest(Provider provider) {
    Deliveries.Delivery odd =
        Deliveries.sign(
            provider, Deliveries.pushEvent(provider), Deliveries.bytes(WRONG_TYPES), null);

    WebhookOutcome outcome = odd.parseWith(WebhookSecrets.none().withInsecure(provider));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            WebhookOutcome.Rejected.class, r -> assertThat(r.status()).isEqualTo(400));
  }
}
