package dev.mooring.cluster;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A Secret's values, decoded; its values are never to be logged or shown. */
public final class Secrets {
  private Secrets() {}

  /** The decoded {@code data} and {@code stringData} of a Secret, empty when it does not exist. */
  public static Optional<Map<String, String>> read(
      KubernetesClient client, String namespace, String name) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    return secret == null ? Optional.empty() : Optional.of(decoded(secret));
  }

  /** The decoded {@code data} and {@code stringData} of a Secret. */
  public static Map<String, String> decoded(Secret secret) {
    Map<String, String> data = new HashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      data.putAll(secret.getStringData());
    }
    return data;
  }
}
