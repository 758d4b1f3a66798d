package dev.mooring.webhook;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks a delivery's signature or token against the provider's configured secrets, before its body
 * is read at all. Messages name the header and the setting, never a value.
 */
final class DeliveryVerifier {

  private static final String SHA256_PREFIX = "sha256=";

  private final WebhookSecrets secrets;

  DeliveryVerifier(WebhookSecrets secrets) {
    this.secrets = secrets;
  }

  /** Empty when the delivery may be read; otherwise why it is refused (401). */
  Optional<WebhookOutcome.Rejected> verify(
      Provider provider, Function<String, String> header, byte[] body) {
    List<String> configured = secrets.secretsFor(provider);
    if (configured.isEmpty()) {
      if (secrets.insecure().contains(provider)) {
        return Optional.empty();
      }
      return reject(
          "no secret is configured for "
              + provider.configKey()
              + " webhooks: set mooring.webhook."
              + provider.configKey()
              + ".secret");
    }
    boolean ok =
        switch (provider) {
          case GITHUB -> hmac(header, "X-Hub-Signature-256", true, body, configured);
          case GITEA -> hmac(header, "X-Gitea-Signature", false, body, configured);
          case GOGS -> hmac(header, "X-Gogs-Signature", false, body, configured);
          case BITBUCKET_SERVER -> hmac(header, "X-Hub-Signature", true, body, configured);
          case GENERIC -> hmac(header, "X-Mooring-Signature", true, body, configured);
          case GITLAB -> token(header.apply("X-Gitlab-Token"), configured);
          case BITBUCKET_CLOUD -> bitbucketCloud(header, body, configured);
        };
    if (ok) {
      return Optional.empty();
    }
    String expectedHeader = signatureHeader(provider);
    if (isBlank(header.apply(expectedHeader))) {
      return reject("missing " + expectedHeader + " header");
    }
    return reject(
        expectedHeader
            + " does not match the secret configured in mooring.webhook."
            + provider.configKey()
            + ".secret");
  }

  static String signatureHeader(Provider provider) {
    return switch (provider) {
      case GITHUB -> "X-Hub-Signature-256";
      case GITEA -> "X-Gitea-Signature";
      case GOGS -> "X-Gogs-Signature";
      case GITLAB -> "X-Gitlab-Token";
      case BITBUCKET_CLOUD -> "X-Hook-UUID";
      case BITBUCKET_SERVER -> "X-Hub-Signature";
      case GENERIC -> "X-Mooring-Signature";
    };
  }

  private static boolean hmac(
      Function<String, String> header,
      String name,
      boolean prefixed,
      byte[] body,
      List<String> configured) {
    String value = header.apply(name);
    if (isBlank(value)) {
      return false;
    }
    String hex = value.trim();
    if (prefixed) {
      if (!hex.toLowerCase(Locale.ROOT).startsWith(SHA256_PREFIX)) {
        return false;
      }
      hex = hex.substring(SHA256_PREFIX.length());
    }
    return Signatures.hmacMatches(hex, body, configured);
  }

  private static boolean token(String value, List<String> configured) {
    return !isBlank(value) && Signatures.tokenMatches(value, configured);
  }

  /**
   * Bitbucket Cloud proves a delivery by its hook UUID; hooks created with a secret also sign the
   * body like Bitbucket Server does, and either proof is accepted.
   */
  private static boolean bitbucketCloud(
      Function<String, String> header, byte[] body, List<String> configured) {
    if (hmac(header, "X-Hub-Signature", true, body, configured)) {
      return true;
    }
    String uuid = header.apply("X-Hook-UUID");
    return !isBlank(uuid)
        && Signatures.tokenMatches(
            normaliseUuid(uuid), configured.stream().map(DeliveryVerifier::normaliseUuid).toList());
  }

  // Bitbucket shows UUIDs in braces in its UI but may send them bare in the header.
  private static String normaliseUuid(String uuid) {
    String trimmed = uuid.trim();
    if (trimmed.startsWith("{") && trimmed.endsWith("}")) {
      trimmed = trimmed.substring(1, trimmed.length() - 1);
    }
    return trimmed.toLowerCase(Locale.ROOT);
  }

  private static Optional<WebhookOutcome.Rejected> reject(String message) {
    return Optional.of(WebhookOutcome.Rejected.unauthorized(message));
  }

  static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
