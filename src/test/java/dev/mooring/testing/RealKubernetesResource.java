package dev.mooring.testing;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.test.common.QuarkusTestResourceConfigurableLifecycleManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts a {@link RealApiServer} for one test class and points the application's Kubernetes client
 * at it. fabric8 reads these settings as system properties (as Quarkus' own mock resource sets
 * them), so they are set there too, overriding whatever an earlier test class left.
 */
public class RealKubernetesResource
    implements QuarkusTestResourceConfigurableLifecycleManager<WithRealKubernetes> {
  private List<String> controllers = RealApiServer.DEFAULT_CONTROLLERS;
  private RealApiServer server;

  @Override
  public void init(WithRealKubernetes annotation) {
    controllers = List.of(annotation.controllers());
  }

  @Override
  public Map<String, String> start() {
    server = RealApiServer.start(controllers);
    server.installMooringCrds();
    Config config = server.config();
    Map<String, String> props = new HashMap<>();
    props.put(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, config.getMasterUrl());
    props.put(Config.KUBERNETES_CA_CERTIFICATE_FILE_SYSTEM_PROPERTY, config.getCaCertFile());
    props.put(
        Config.KUBERNETES_CLIENT_CERTIFICATE_FILE_SYSTEM_PROPERTY, config.getClientCertFile());
    props.put(Config.KUBERNETES_CLIENT_KEY_FILE_SYSTEM_PROPERTY, config.getClientKeyFile());
    props.put(Config.KUBERNETES_TRUST_CERT_SYSTEM_PROPERTY, "false");
    props.put(Config.KUBERNETES_NAMESPACE_SYSTEM_PROPERTY, "default");
    props.put(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "false");
    props.put(Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY, "false");
    props.forEach(System::setProperty);
    return props;
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(
        server,
        new TestInjector.AnnotatedAndMatchesType(RealKubernetes.class, RealApiServer.class));
  }

  @Override
  public void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
