package dev.mooring.controller;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * How Mooring's Kubernetes client presents itself: as {@code mooring/<version>}, which the API
 * server also takes as the field manager of writes that name none, and with room for the parallel
 * writes of a sync.
 */
@Singleton
public class ClientSettings implements KubernetesConfigCustomizer {

  @Override
  public void customize(Config config) {
    var settings = ConfigProvider.getConfig();
    String version =
        settings.getOptionalValue("quarkus.application.version", String.class).orElse("dev");
    config.setUserAgent("mooring/" + version);
    int writes =
        settings.getOptionalValue("mooring.sync.write-parallelism", Integer.class).orElse(8);
    int reconciles =
        settings.getOptionalValue("mooring.sync.parallelism", Integer.class).orElse(16);
    // writes and dry runs, reconciles' own reads, and headroom for status and Events
    config.setMaxConcurrentRequestsPerHost(
        Math.max(config.getMaxConcurrentRequestsPerHost(), writes + reconciles + 8));
    if (certificateOnly(config)) {
      // fabric8's TokenRefreshInterceptor looks for a new token once a minute, and remembers the
      // time only when it finds one: with a client certificate (kind's, minikube's, most admin
      // kubeconfigs) it then re-reads and re-parses the kubeconfig before every request, which
      // took 40% of the write threads' CPU in a 1,000-object sync. There is no token to find.
      config.setOauthTokenProvider(() -> null);
    }
  }

  /** Authenticated by a client certificate alone: no token, no password, no auth provider. */
  static boolean certificateOnly(Config config) {
    return (present(config.getClientCertData()) || present(config.getClientCertFile()))
        && !present(config.getOauthToken())
        && !present(config.getAutoOAuthToken())
        && config.getOauthTokenProvider() == null
        && !present(config.getUsername())
        && config.getAuthProvider() == null;
  }

  private static boolean present(String value) {
    return value != null && !value.isEmpty();
  }
}
