package dev.mooring.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Builds webhook deliveries the way each Git host sends them, for tests. */
final class Deliveries {

  static final String HMAC_SECRET = "hunter2-Webhook-Key-7f3a";
  static final String GITLAB_TOKEN = "glpat-style-Token-9c1e";
  static final String HOOK_UUID = "{6f1e3d5b-7a9c-4e2b-8d0f-1a3c5e7b9d2f}";

  private Deliveries() {}

  /** One delivery: headers (looked up case-insensitively) and the raw body. */
  record Delivery(Map<String, String> headers, byte[] body) {

    Function<String, String> header() {
      Map<String, String> lookup = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      lookup.putAll(headers);
      return lookup::get;
    }

    Delivery withHeader(String name, String value) {
      Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      copy.putAll(headers);
      if (value == null) {
        copy.remove(name);
      } else {
        copy.put(name, value);
      }
      return new Delivery(copy, body);
    }

    Delivery withBody(byte[] newBody) {
      return new Delivery(headers, newBody);
    }

    WebhookOutcome parseWith(WebhookSecrets secrets) {
      return new WebhookParser(secrets).parse(header(), body);
    }
  }

  /** The secret a test configures for {@code provider}. */
  static String secretOf(Provider provider) {
    return switch (provider) {
      case GITLAB -> GITLAB_TOKEN;
      case BITBUCKET_CLOUD -> HOOK_UUID;
      default -> HMAC_SECRET;
    };
  }

  static WebhookSecrets secretsFor(Provider provider) {
    return WebhookSecrets.none().with(provider, secretOf(provider));
  }

  /** The push fixture of {@code provider}, signed with its test secret. */
  static Delivery push(Provider provider) {
    return delivery(provider, pushEvent(provider), pushFixture(provider), secretOf(provider));
  }

  static String pushEvent(Provider provider) {
    return switch (provider) {
      case GITHUB, GITEA, GOGS, GENERIC -> "push";
      case GITLAB -> "Push Hook";
      case BITBUCKET_CLOUD -> "repo:push";
      case BITBUCKET_SERVER -> "repo:refs_changed";
    };
  }

  static String pushFixture(Provider provider) {
    return folder(provider) + "/push.json";
  }

  static String folder(Provider provider) {
    return switch (provider) {
      case BITBUCKET_CLOUD -> "bitbucket-cloud";
      default -> provider.configKey();
    };
  }

  /**
   * A delivery of {@code fixture} as {@code provider} sends event {@code event}, signed (or
   * carrying the token) with {@code secret}; unsigned when {@code secret} is null.
   */
  static Delivery delivery(Provider provider, String event, String fixture, String secret) {
    return sign(provider, event, fixture(fixture), secret);
  }

  static Delivery sign(Provider provider, String event, byte[] body, String secret) {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.put("Content-Type", "application/json");
    String hmac = secret == null ? null : Signatures.hmacSha256Hex(secret, body);
    switch (provider) {
      case GITHUB -> {
        h.put("X-GitHub-Event", event);
        h.put("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958");
        putIf(h, "X-Hub-Signature-256", hmac == null ? null : "sha256=" + hmac);
      }
      case GITEA -> {
        // Gitea also sends GitHub's and Gogs' headers, which must not confuse detection.
        h.put("X-Gitea-Event", event);
        h.put("X-GitHub-Event", event);
        h.put("X-Gogs-Event", event);
        h.put("X-Gitea-Delivery", "f6266f16-1bf3-46a5-9ea4-602e06ead473");
        putIf(h, "X-Gitea-Signature", hmac);
        putIf(h, "X-Gogs-Signature", hmac);
      }
      case GOGS -> {
        h.put("X-Gogs-Event", event);
        h.put("X-Gogs-Delivery", "0b9c5c8e-2f1a-4d3b-9e7f-6a5b4c3d2e1f");
        putIf(h, "X-Gogs-Signature", hmac);
      }
      case GITLAB -> {
        h.put("X-Gitlab-Event", event);
        h.put("X-Gitlab-Event-UUID", "13792a34-cac6-4fda-95a8-c58e00a3954e");
        putIf(h, "X-Gitlab-Token", secret);
      }
      case BITBUCKET_CLOUD -> {
        h.put("X-Event-Key", event);
        h.put("X-Request-UUID", "9d2f6c1a-5e3b-4a7d-8c0f-2b4d6e8a0c1e");
        putIf(h, "X-Hook-UUID", secret == null ? null : secret.replace("{", "").replace("}", ""));
      }
      case BITBUCKET_SERVER -> {
        h.put("X-Event-Key", event);
        h.put("X-Request-Id", "c4e6a8b0-d2f4-4a6c-8e0b-2d4f6a8c0e2b");
        putIf(h, "X-Hub-Signature", hmac == null ? null : "sha256=" + hmac);
      }
      case GENERIC -> {
        putIf(h, "X-Mooring-Event", event);
        h.put("X-Mooring-Delivery", "ci-run-4411");
        putIf(h, "X-Mooring-Signature", hmac == null ? null : "sha256=" + hmac);
      }
    }
    return new Delivery(h, body);
  }

  /** The raw bytes of {@code src/test/resources/webhook/<path>}. */
  static byte[] fixture(String path) {
    try (InputStream in = Deliveries.class.getResourceAsStream("/webhook/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture webhook/" + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code value} with its last character changed (a hex digit stays a hex digit). */
  static String oneCharChanged(String value) {
    char last = value.charAt(value.length() - 1);
    char other = last == '0' ? '1' : '0';
    return value.substring(0, value.length() - 1) + other;
  }

  private static void putIf(Map<String, String> headers, String name, String value) {
    if (value != null) {
      headers.put(name, value);
    }
  }
}
