package dev.mooring.sandbox;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-memory API server used when Mooring starts with no cluster to talk to: no kubeconfig, no
 * in-cluster service account. It is fabric8's mock API server in CRUD mode: enough to watch the
 * whole loop on a laptop, never used when a real cluster is configured. {@link SandboxDiscovery}
 * adds the discovery documents it lacks, so that kubectl works against it too.
 */
public final class Sandbox {
  // One server per JVM: the configuration source that starts it is created by ServiceLoader.
  private static KubernetesMockServer server;
  private static int port;

  private Sandbox() {}

  /** True when there is no cluster configuration and the sandbox is not switched off. */
  public static boolean wanted(Map<String, String> env, Path home) {
    String flag =
        System.getProperty("mooring.sandbox", env.getOrDefault("MOORING_SANDBOX", "auto"));
    if ("false".equalsIgnoreCase(flag)) {
      return false;
    }
    if ("true".equalsIgnoreCase(flag)) {
      return true;
    }
    boolean kubeconfig =
        env.containsKey("KUBECONFIG")
            || env.containsKey("KUBERNETES_MASTER")
            || System.getProperty("kubernetes.master") != null
            || Files.exists(home.resolve(".kube").resolve("config"));
    boolean inCluster =
        env.containsKey("KUBERNETES_SERVICE_HOST")
            || Files.exists(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token"));
    return !kubeconfig && !inCluster;
  }

  public static boolean wanted() {
    return wanted(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  /** Starts the server on first use; returns its URL. */
  public static synchronized String url() {
    if (server == null) {
      // discovery in front of the CRUD store, so that kubectl can talk to the sandbox
      KubernetesMockServer s =
          new KubernetesMockServer(
              new Context(),
              new MockWebServer(),
              new HashMap<>(),
              new SandboxDiscovery(new KubernetesCrudDispatcher(List.of())),
              false);
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = probe.getLocalPort();
      } catch (IOException e) {
        throw new IllegalStateException("no free port for the sandbox API server", e);
      }
      try {
        s.init(InetAddress.getLoopbackAddress(), port);
      } catch (RuntimeException e) {
        throw new IllegalStateException("cannot start the sandbox API server", e);
      }
      server = s;
      Runtime.getRuntime().addShutdownHook(new Thread(s::destroy, "mooring-sandbox-stop"));
    }
    return "http://127.0.0.1:" + port;
  }

  public static synchronized boolean running() {
    return server != null;
  }
}
