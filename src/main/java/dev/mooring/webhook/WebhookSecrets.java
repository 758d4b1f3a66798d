package dev.mooring.webhook;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The secrets webhooks are verified with, per provider ({@code mooring.webhook.<key>.secret}).
 * Several secrets per provider are allowed so that a secret can be rotated without dropping
 * deliveries. A provider without a secret is refused (401) unless it is listed in {@code insecure},
 * which accepts its deliveries unverified and is meant for sandboxes only. Blank secrets count as
 * none. {@link #toString()} names providers but never shows a secret.
 *
 * @param secrets the HMAC keys, GitLab tokens or Bitbucket Cloud hook UUIDs, per provider
 * @param insecure providers whose deliveries are accepted without verification when they have no
 *     secret
 */
public record WebhookSecrets(Map<Provider, List<String>> secrets, Set<Provider> insecure) {

  public WebhookSecrets {
    Map<Provider, List<String>> copy = new EnumMap<>(Provider.class);
    if (secrets != null) {
      secrets.forEach(
          (provider, values) -> {
            List<String> usable = new ArrayList<>();
            if (values != null) {
              values.stream().filter(s -> s != null && !s.isBlank()).forEach(usable::add);
            }
            if (provider != null && !usable.isEmpty()) {
              copy.put(provider, List.copyOf(usable));
            }
          });
    }
    secrets = Collections.unmodifiableMap(copy);
    Set<Provider> insecureCopy = EnumSet.noneOf(Provider.class);
    if (insecure != null) {
      insecureCopy.addAll(insecure);
    }
    insecure = Collections.unmodifiableSet(insecureCopy);
  }

  /** No secrets and no insecure provider: every delivery is refused. */
  public static WebhookSecrets none() {
    return new WebhookSecrets(Map.of(), Set.of());
  }

  /** This set plus {@code values} as (additional) secrets of {@code provider}. */
  public WebhookSecrets with(Provider provider, String... values) {
    Map<Provider, List<String>> copy = new EnumMap<>(Provider.class);
    copy.putAll(secrets);
    List<String> merged = new ArrayList<>(secretsFor(provider));
    merged.addAll(List.of(values));
    copy.put(provider, merged);
    return new WebhookSecrets(copy, insecure);
  }

  /** This set with {@code provider} accepted unverified while it has no secret. */
  public WebhookSecrets withInsecure(Provider provider) {
    Set<Provider> copy = EnumSet.of(provider);
    copy.addAll(insecure);
    return new WebhookSecrets(secrets, copy);
  }

  /** The usable secrets of {@code provider}; empty when it has none. */
  public List<String> secretsFor(Provider provider) {
    return secrets.getOrDefault(provider, List.of());
  }

  @Override
  public String toString() {
    Map<Provider, Integer> counts = new EnumMap<>(Provider.class);
    secrets.forEach((provider, values) -> counts.put(provider, values.size()));
    return "WebhookSecrets[secretCounts=" + counts + ", insecure=" + insecure + "]";
  }
}
