package dev.mooring.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns one webhook delivery (headers and raw body) into a {@link WebhookOutcome}: recognise the
 * provider, verify the signature or token over the exact bytes received, then read the payload.
 * Thread-safe and free of I/O.
 */
public final class WebhookParser {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FORM = "application/x-www-form-urlencoded";

  private final DeliveryVerifier verifier;

  public WebhookParser(WebhookSecrets secrets) {
    this.verifier = new DeliveryVerifier(secrets == null ? WebhookSecrets.none() : secrets);
  }

  /**
   * The provider that sent a delivery, from its headers. Gitea also sends GitHub's and Gogs'
   * headers, so the most specific header wins. Bitbucket Cloud and Server share {@code
   * X-Event-Key}: Cloud sends {@code X-Hook-UUID}, Server signs with {@code X-Hub-Signature} and
   * uses its own event keys.
   *
   * @param header case-insensitive header lookup, null when a header is absent
   */
  public static Optional<Provider> detect(Function<String, String> header) {
    if (present(header, "X-Gitea-Event")) {
      return Optional.of(Provider.GITEA);
    }
    if (present(header, "X-Gogs-Event")) {
      return Optional.of(Provider.GOGS);
    }
    if (present(header, "X-GitHub-Event")) {
      return Optional.of(Provider.GITHUB);
    }
    if (present(header, "X-Gitlab-Event")) {
      return Optional.of(Provider.GITLAB);
    }
    if (present(header, "X-Event-Key")) {
      return Optional.of(bitbucketFlavour(header));
    }
    if (present(header, "X-Mooring-Signature")
        || present(header, "X-Mooring-Event")
        || present(header, "X-Mooring-Delivery")) {
      return Optional.of(Provider.GENERIC);
    }
    return Optional.empty();
  }

  /**
   * Verifies and reads one delivery. Never throws for bad input.
   *
   * @param header case-insensitive header lookup, null when a header is absent
   * @param body the raw request body, exactly as received
   */
  public WebhookOutcome parse(Function<String, String> header, byte[] body) {
    Function<String, String> headers = header == null ? name -> null : header;
    Optional<Provider> detected = detect(headers);
    if (detected.isEmpty()) {
      return new WebhookOutcome.Rejected(
          400, "unrecognised", "unrecognised webhook: no provider header");
    }
    Provider provider = detected.get();
    byte[] raw = body == null ? new byte[0] : body;
    String deliveryId = trimmed(headers.apply(provider.deliveryHeader()));
    Optional<WebhookOutcome.Rejected> refused = verifier.verify(provider, headers, raw);
    if (refused.isPresent()) {
      return refused.get();
    }
    String event = trimmed(headers.apply(provider.eventHeader()));
    String ignored = ignoreReason(provider, event);
    if (ignored != null) {
      return new WebhookOutcome.Ignored(provider, deliveryId, ignored);
    }
    try {
      JsonNode root = json(raw, headers.apply("Content-Type"));
      return switch (provider) {
        case GITHUB, GITEA, GOGS -> GitHubStylePayload.read(provider, deliveryId, root);
        case GITLAB -> GitLabPayload.read(event, deliveryId, root);
        case BITBUCKET_CLOUD -> BitbucketPayload.readCloud(deliveryId, root);
        case BITBUCKET_SERVER -> BitbucketPayload.readServer(deliveryId, root);
        case GENERIC -> GenericPayload.read(deliveryId, root);
      };
    } catch (MalformedPayloadException e) {
      return WebhookOutcome.Rejected.malformed(
          provider.configKey() + " webhook: " + e.getMessage());
    } catch (RuntimeException e) {
      // A payload shape no reader foresaw must still end as an answer, not a server error.
      return WebhookOutcome.Rejected.malformed(
          provider.configKey() + " webhook: the payload could not be read");
    }
  }

  private static String ignoreReason(Provider provider, String event) {
    return switch (provider) {
      case GITHUB, GITEA, GOGS -> GitHubStylePayload.ignoreReason(event);
      case GITLAB -> GitLabPayload.ignoreReason(event);
      case BITBUCKET_CLOUD, BITBUCKET_SERVER -> BitbucketPayload.ignoreReason(provider, event);
      case GENERIC -> GenericPayload.ignoreReason(event);
    };
  }

  /**
   * The JSON object in the body. GitHub and Gitea may also send it form-encoded as the {@code
   * payload} field, signed in that encoded form.
   */
  private static JsonNode json(byte[] body, String contentType) throws MalformedPayloadException {
    String text = new String(body, StandardCharsets.UTF_8);
    if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(FORM)) {
      text = formField(text, "payload");
    }
    if (text.isBlank()) {
      throw new MalformedPayloadException("the request body is empty");
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      throw new MalformedPayloadException("the request body is not valid JSON" + where);
    } catch (IOException e) {
      throw new MalformedPayloadException("the request body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new MalformedPayloadException("the request body is not a JSON object");
    }
    return root;
  }

  private static String formField(String form, String name) throws MalformedPayloadException {
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        try {
          return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new MalformedPayloadException("the form field " + name + " is not URL-encoded");
        }
      }
    }
    throw new MalformedPayloadException("the form body has no " + name + " field");
  }

  private static Provider bitbucketFlavour(Function<String, String> header) {
    if (present(header, "X-Hook-UUID")) {
      return Provider.BITBUCKET_CLOUD;
    }
    if (present(header, "X-Hub-Signature")) {
      return Provider.BITBUCKET_SERVER;
    }
    String key = header.apply("X-Event-Key").trim();
    boolean serverKey =
        key.equals("repo:refs_changed")
            || key.startsWith("diagnostics:")
            || key.startsWith("pr:")
            || key.startsWith("mirror:")
            || key.startsWith("project:");
    return serverKey ? Provider.BITBUCKET_SERVER : Provider.BITBUCKET_CLOUD;
  }

  private static boolean present(Function<String, String> header, String name) {
    return !DeliveryVerifier.isBlank(header.apply(name));
  }

  private static String trimmed(String value) {
    return DeliveryVerifier.isBlank(value) ? null : value.trim();
  }
}
