package dev.mooring.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.testing.Hmac;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Webhook secrets can come from a Kubernetes Secret named in configuration. */
@QuarkusTest
@TestProfile(WebhookSecretFromKubernetesTest.SecretName.class)
@WithRealKubernetes
class WebhookSecretFromKubernetesTest {
  /** Names the Secret; the generic provider has no secret in configuration here. */
  public static class SecretName implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "mooring.webhook.secret-name", "mooring-webhooks", "mooring.webhook.generic.secret", "");
    }
  }

  @Inject KubernetesClient client;

  @Test
  void aDeliverySignedWithTheSecretsValueIsAcceptedAndOthersAreNot() {
    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("mooring-webhooks")
                .endMetadata()
                .withData(
                    Map.of(
                        "generic",
                        java.util.Base64.getEncoder()
                            .encodeToString("from-kubernetes".getBytes(StandardCharsets.UTF_8))))
                .build())
        .create();
    byte[] body =
        "{\"repoURL\":\"https://git.example.com/org/none.git\",\"ref\":\"refs/heads/main\",\"after\":\"abc\"}"
            .getBytes(StandardCharsets.UTF_8);

    int good =
        given()
            .header("X-Mooring-Signature", "sha256=" + Hmac.sha256Hex("from-kubernetes", body))
            .contentType("application/json")
            .body(body)
            .post("/api/webhook")
            .statusCode();
    int bad =
        given()
            .header("X-Mooring-Signature", "sha256=" + Hmac.sha256Hex("something-else", body))
            .contentType("application/json")
            .body(body)
            .post("/api/webhook")
            .statusCode();

    assertThat(good).isEqualTo(202);
    assertThat(bad).isEqualTo(401);
  }
}
