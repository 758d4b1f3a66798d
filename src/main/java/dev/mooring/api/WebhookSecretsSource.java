package dev.mooring.api;

import dev.mooring.controller.MooringConfig;
import dev.mooring.webhook.Provider;
import dev.mooring.webhook.WebhookSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Webhook secrets from configuration ({@code mooring.webhook.<provider>.secret}) and, when {@code
 * mooring.webhook.secret-name} is set, from that Kubernetes Secret in Mooring's namespace (keys are
 * provider names), re-read at most every 30 seconds so that rotations apply.
 */
@ApplicationScoped
public class WebhookSecretsSource {
  private static final Logger LOG = Logger.getLogger(WebhookSecretsSource.class);
  private static final long TTL_NANOS = 30_000_000_000L;

  private final MooringConfig config;
  private final KubernetesClient client;
  private volatile WebhookSecrets cached;
  private volatile long loadedAt;

  public WebhookSecretsSource(MooringConfig config, KubernetesClient client) {
    this.config = config;
    this.client = client;
  }

  public WebhookSecrets secrets() {
    WebhookSecrets current = cached;
    if (current == null || System.nanoTime() - loadedAt > TTL_NANOS) {
      current = load();
      cached = current;
      loadedAt = System.nanoTime();
    }
    return current;
  }

  private WebhookSecrets load() {
    Map<Provider, List<String>> secrets = new EnumMap<>(Provider.class);
    Set<Provider> insecure = EnumSet.noneOf(Provider.class);
    for (Provider p : Provider.values()) {
      MooringConfig.Webhook.Provider settings = settings(p);
      List<String> values = new ArrayList<>();
      settings.secret().ifPresent(s -> values.addAll(split(s)));
      secrets.put(p, values);
      if (settings.insecure()) {
        insecure.add(p);
      }
    }
    config.webhook().secretName().ifPresent(name -> fromKubernetes(name, secrets));
    return new WebhookSecrets(secrets, insecure);
  }

  private void fromKubernetes(String name, Map<Provider, List<String>> secrets) {
    try {
      Secret secret = client.secrets().withName(name).get();
      if (secret == null || secret.getData() == null) {
        LOG.warnf("webhook secret %s not found in namespace %s", name, client.getNamespace());
        return;
      }
      for (Provider p : Provider.values()) {
        String encoded = secret.getData().get(p.configKey());
        if (encoded != null) {
          secrets
              .get(p)
              .addAll(
                  split(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8)));
        }
      }
    } catch (KubernetesClientException | IllegalArgumentException e) {
      LOG.warnf("cannot read webhook secret %s: %s", name, e.getMessage());
    }
  }

  private MooringConfig.Webhook.Provider settings(Provider p) {
    MooringConfig.Webhook w = config.webhook();
    return switch (p) {
      case GITHUB -> w.github();
      case GITLAB -> w.gitlab();
      case GITEA -> w.gitea();
      case GOGS -> w.gogs();
      case BITBUCKET_CLOUD -> w.bitbucket();
      case BITBUCKET_SERVER -> w.bitbucketServer();
      case GENERIC -> w.generic();
    };
  }

  private static List<String> split(String value) {
    List<String> out = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }
}
