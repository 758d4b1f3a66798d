package dev.mooring.sandbox;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Points the Kubernetes client at the sandbox API server when no cluster is configured. Its low
 * ordinal means any explicit setting (kubeconfig, environment, tests) wins; the server is started
 * only when this source is actually asked for the URL.
 */
public class SandboxConfigSource implements ConfigSource {
  static final String API_SERVER_URL = "quarkus.kubernetes-client.api-server-url";
  static final String ALLOW_LOCAL = "mooring.git.allow-local-repos";
  static final String SANDBOX_ACTIVE = "mooring.sandbox.active";

  private final boolean wanted = Sandbox.wanted();

  @Override
  public Set<String> getPropertyNames() {
    return wanted ? Set.of(API_SERVER_URL, ALLOW_LOCAL, SANDBOX_ACTIVE) : Set.of();
  }

  @Override
  public Map<String, String> getProperties() {
    return Map.of();
  }

  @Override
  public String getValue(String name) {
    if (!wanted) {
      return null;
    }
    return switch (name) {
      case API_SERVER_URL -> Sandbox.url();
      case ALLOW_LOCAL, SANDBOX_ACTIVE -> "true";
      default -> null;
    };
  }

  @Override
  public int getOrdinal() {
    return 50;
  }

  @Override
  public String getName() {
    return "mooring-sandbox";
  }
}
