package dev.mooring.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A real Kubernetes control plane for tests: etcd and kube-apiserver through fabric8's
 * kube-api-test (binaries from {@code KUBE_API_TEST_DIR}, which {@code ../shared/k8s/setup} lays
 * out, or downloaded by kube-api-test on a machine with internet), plus kube-controller-manager for
 * garbage collection and namespace deletion. There is no scheduler and no kubelet: pods stay
 * Pending, and tests that need ready workloads write the {@code /status} subresource.
 */
public final class RealApiServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RealApiServer.class);

  /** The controllers started by default: what foreground deletion and namespace deletion need. */
  public static final List<String> DEFAULT_CONTROLLERS = List.of("namespace", "garbagecollector");

  private static final String AUDIT_POLICY =
      """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      omitStages: [RequestReceived]
      rules:
      - level: Metadata
      """;

  private final KubeAPIServer apiServer;
  private final Process controllerManager;
  private final Path dir;
  private final String kubeconfigYaml;
  private final Path kubeconfig;
  private final Config config;

  private RealApiServer(
      KubeAPIServer apiServer,
      Process controllerManager,
      Path dir,
      String yaml,
      Path kubeconfig,
      Config config) {
    this.apiServer = apiServer;
    this.controllerManager = controllerManager;
    this.dir = dir;
    this.kubeconfigYaml = yaml;
    this.kubeconfig = kubeconfig;
    this.config = config;
  }

  /** Starts etcd, kube-apiserver and (unless {@code controllers} is empty) the controllers. */
  public static RealApiServer start(List<String> controllers) {
    long started = System.nanoTime();
    Path dir;
    try {
      dir = Files.createTempDirectory("mooring-kube");
      Files.writeString(dir.resolve("audit-policy.yaml"), AUDIT_POLICY);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    SharedBinaries shared = SharedBinaries.find();
    KubeAPIServerConfigBuilder builder =
        KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withUpdateKubeConfig(false)
            // every request, as the server saw it: what the tests and benchmarks count
            .withApiServerFlag("--audit-policy-file", dir.resolve("audit-policy.yaml").toString())
            .withApiServerFlag("--audit-log-path", dir.resolve("audit.log").toString())
            .withApiServerFlag("--audit-log-format", "json")
            .withApiServerFlag("--audit-log-maxsize", "0");
    if (Boolean.getBoolean("bench.service-cidrs")) {
      // kube-api-test fixes --service-cluster-ip-range to 10.0.0.0/24 (254 Services); with
      // ServiceCIDRs served, a benchmark adds room for the Services of hundreds of Canaries
      builder
          .withApiServerFlag("--feature-gates", "MultiCIDRServiceAllocator=true")
          .withApiServerFlag("--runtime-config", "networking.k8s.io/v1beta1=true");
    }
    if (shared != null) {
      builder.withTestDir(shared.kubeApiTestDir()).withApiServerVersion(shared.version());
    } else if (System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_API_SERVER_VERSION) == null) {
      builder.withApiServerVersion("1.32.*");
    }
    KubeAPIServer server = startApiServer(builder);
    Process kcm = null;
    try {
      String yaml = server.getKubeConfigYaml();
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, yaml);
      Config config = Config.fromKubeconfig(yaml);
      if (!controllers.isEmpty()) {
        kcm =
            startControllerManager(
                kubeconfig,
                dir,
                controllers,
                serverVersion(config),
                shared == null ? null : shared.bin());
      }
      LOG.infof(
          "real API server %s ready in %d ms (controllers: %s)",
          config.getMasterUrl(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
          controllers.isEmpty() ? "none" : String.join(",", controllers));
      return new RealApiServer(server, kcm, dir, yaml, kubeconfig, config);
    } catch (IOException | RuntimeException e) {
      if (kcm != null) {
        kcm.destroyForcibly();
      }
      server.stop();
      throw new IllegalStateException("cannot start the real API server: " + e.getMessage(), e);
    }
  }

  /**
   * Starts etcd and kube-apiserver, stopping them again when they do not come up (kube-api-test
   * leaves them running then), and trying again: kube-api-test's readiness wait compares times of
   * day, so a start in the minute before midnight times out at once.
   */
  private static KubeAPIServer startApiServer(KubeAPIServerConfigBuilder builder) {
    for (int attempt = 1; ; attempt++) {
      KubeAPIServer server = new KubeAPIServer(builder.build());
      try {
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "real-api-server-stop"));
        return server;
      } catch (RuntimeException e) {
        try {
          server.stop();
        } catch (RuntimeException ignored) {
          // already stopped
        }
        if (attempt >= 4) {
          throw e;
        }
        LOG.warnf("the API server did not start (%s); trying again", e.getMessage());
        try {
          Thread.sleep(20_000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  public static RealApiServer start() {
    return start(DEFAULT_CONTROLLERS);
  }

  private static String serverVersion(Config config) {
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      return client.getKubernetesVersion().getGitVersion();
    }
  }

  private static Process startControllerManager(
      Path kubeconfig, Path dir, List<String> controllers, String version, String sharedBin)
      throws IOException {
    Path binary =
        sharedBin != null && Files.isExecutable(Path.of(sharedBin, "kube-controller-manager"))
            ? Path.of(sharedBin, "kube-controller-manager")
            : controllerManagerBinary(version);
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.add("--leader-elect=false");
    command.add("--secure-port=0");
    command.add("--use-service-account-credentials=false");
    command.add("--controllers=" + String.join(",", controllers));
    Path log = dir.resolve("kube-controller-manager.log");
    Process kcm =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Runtime.getRuntime().addShutdownHook(new Thread(kcm::destroyForcibly, "real-kcm-stop"));
    return kcm;
  }

  /**
   * kube-controller-manager of the API server's version: from {@code MOORING_K8S_BIN} or {@code
   * KUBEBUILDER_ASSETS} (both set by {@code ../shared/k8s/setup}), else downloaded once from
   * dl.k8s.io (kube-api-test downloads etcd and kube-apiserver, but not this one).
   */
  static Path controllerManagerBinary(String version) throws IOException {
    for (String env : List.of("MOORING_K8S_BIN", "KUBEBUILDER_ASSETS")) {
      String folder = System.getenv(env);
      if (folder != null && Files.isExecutable(Path.of(folder, "kube-controller-manager"))) {
        return Path.of(folder, "kube-controller-manager");
      }
    }
    Path cached =
        Path.of(System.getProperty("user.home"), ".cache", "mooring-k8s", version)
            .resolve("kube-controller-manager");
    if (Files.isExecutable(cached)) {
      return cached;
    }
    String url = "https://dl.k8s.io/" + version + "/bin/linux/amd64/kube-controller-manager";
    LOG.infof("downloading %s", url);
    Files.createDirectories(cached.getParent());
    Path tmp = cached.resolveSibling("kube-controller-manager.part");
    try {
      HttpResponse<InputStream> response =
          HttpClient.newBuilder()
              .followRedirects(HttpClient.Redirect.NORMAL)
              .connectTimeout(Duration.ofSeconds(20))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      try (InputStream in = response.body()) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | InterruptedException e) {
      throw new IOException(
          "no kube-controller-manager: set MOORING_K8S_BIN to a folder holding one"
              + " (eval \"$(../shared/k8s/setup)\" does), or allow the download of "
              + url
              + ": "
              + e.getMessage(),
          e);
    }
    tmp.toFile().setExecutable(true);
    Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING);
    return cached;
  }

  /**
   * This project's copies of the control plane binaries ({@code ../shared/k8s}), laid out by its
   * {@code setup} script: used when the environment does not name binaries itself, so that {@code
   * ./mvnw verify} works here without {@code eval "$(../shared/k8s/setup)"} first.
   */
  record SharedBinaries(String kubeApiTestDir, String version, String bin) {
    static SharedBinaries find() {
      if (System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR) != null) {
        return null; // the environment decides (CI runs the setup script itself)
      }
      Path setup = Path.of("..", "shared", "k8s", "setup").toAbsolutePath().normalize();
      if (!Files.isExecutable(setup)) {
        return null;
      }
      try {
        Process p = new ProcessBuilder(setup.toString()).redirectErrorStream(false).start();
        String out =
            new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
          return null;
        }
        java.util.Map<String, String> vars = new java.util.HashMap<>();
        for (String line : out.split("\n")) {
          if (line.startsWith("export ") && line.contains("=")) {
            String kv = line.substring(7);
            vars.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
          }
        }
        String dir = vars.get("KUBE_API_TEST_DIR");
        String version = vars.get("KUBE_API_TEST_API_SERVER_VERSION");
        return dir == null || version == null
            ? null
            : new SharedBinaries(dir, version, vars.get("MOORING_K8S_BIN"));
      } catch (IOException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }

  /** The client configuration (a client certificate in system:masters). */
  public Config config() {
    return config;
  }

  public String url() {
    return config.getMasterUrl();
  }

  public String kubeconfigYaml() {
    return kubeconfigYaml;
  }

  /** The kubeconfig as a file (context namespace "default"). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** A client that acts as {@code user} (impersonation), for RBAC checks. */
  public KubernetesClient clientAs(String user, String... groups) {
    Config as = Config.fromKubeconfig(kubeconfigYaml);
    as.setImpersonateUsername(user);
    as.setImpersonateGroups(groups);
    return new KubernetesClientBuilder().withConfig(as).build();
  }

  public Path folder() {
    return dir;
  }

  /**
   * Runs kubectl against this server (the one of {@code MOORING_K8S_BIN}, else the one on PATH);
   * its output, or an exception when it fails.
   */
  public String kubectl(String... args) {
    String bin = System.getenv("MOORING_K8S_BIN");
    String kubectl =
        bin != null && Files.isExecutable(Path.of(bin, "kubectl"))
            ? Path.of(bin, "kubectl").toString()
            : "kubectl";
    List<String> command = new ArrayList<>(List.of(kubectl, "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("kubectl " + String.join(" ", args) + ": " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kubectl: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The server's audit log: every request it answered, with verb, user agent and object. */
  public AuditLog audit() {
    return new AuditLog(dir.resolve("audit.log"));
  }

  /**
   * Installs Mooring's CRDs (from the classpath copies of {@code config/crd/}) and waits until the
   * server serves them.
   */
  public void installMooringCrds() {
    try (KubernetesClient client = newClient()) {
      for (String plural :
          List.of("alertproviders", "applications", "canaries", "metrictemplates", "pipelines")) {
        try (InputStream in =
            RealApiServer.class.getResourceAsStream("/crd/" + plural + ".mooring.dev-v1.yml")) {
          CustomResourceDefinition crd =
              client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
          client.resource(crd).serverSideApply();
          client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName())
              .waitUntilCondition(RealApiServer::established, 30, TimeUnit.SECONDS);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  public static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public void close() {
    if (controllerManager != null) {
      controllerManager.destroy();
      try {
        if (!controllerManager.waitFor(5, TimeUnit.SECONDS)) {
          controllerManager.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        controllerManager.destroyForcibly();
      }
    }
    apiServer.stop();
    if (!Boolean.getBoolean("realapiserver.keep")) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a leftover temporary folder
      }
    }
  }
}
