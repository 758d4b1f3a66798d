package dev.mooring.sandbox;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Decides at startup (never at build time) whether Mooring runs against the sandbox, and if so
 * points the Kubernetes client at it. An explicit {@code quarkus.kubernetes-client.api-server-url}
 * (tests, users) always wins.
 */
@Singleton
public class SandboxMode implements KubernetesConfigCustomizer {
  private final boolean active;

  public SandboxMode() {
    boolean explicitUrl =
        ConfigProvider.getConfig()
            .getOptionalValue("quarkus.kubernetes-client.api-server-url", String.class)
            .isPresent();
    this.active = !explicitUrl && Sandbox.wanted();
  }

  public boolean active() {
    return active;
  }

  @Override
  public void customize(Config config) {
    if (active) {
      config.setMasterUrl(Sandbox.url());
      config.setNamespace("mooring");
    }
  }
}
