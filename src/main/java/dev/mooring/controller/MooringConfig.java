package dev.mooring.controller;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Mooring's settings, under the prefix {@code mooring.} (also as MOORING_* variables). */
@ConfigMapping(prefix = "mooring")
public interface MooringConfig {
  Git git();

  Sync sync();

  Sandbox sandbox();

  Api api();

  Canary canary();

  /** Canary analysis settings. */
  interface Canary {
    Prometheus prometheus();

    /**
     * The router of Canaries that name no {@code spec.provider}, like Flagger's global mesh
     * provider: kubernetes, nginx, gatewayapi (gatewayapi:v1, gatewayapi:v1beta1), istio.
     */
    @WithDefault("kubernetes")
    String defaultProvider();

    /**
     * Threads of the analysis pool: the most canary ticks (webhooks, load tests, Prometheus
     * queries) that run at once. They never use the reconcile threads Applications share.
     */
    @WithDefault("32")
    int analysisThreads();

    /** The default Prometheus for builtin metrics and templates without an address. */
    interface Prometheus {
      Optional<String> address();
    }
  }

  Webhook webhook();

  /** Access to the REST API. */
  interface Api {
    /** Comma-separated bearer tokens with full access; "name:token" names the token's user. */
    Optional<String> tokens();

    /** Comma-separated read-only bearer tokens ("name:token" allowed). */
    Optional<String> readonlyTokens();

    /**
     * What a request without a token may do: none, read or admin (default read; admin in the
     * sandbox).
     */
    Optional<String> anonymous();

    /** Largest request body accepted by {@code /api/v1}; larger ones get 413. */
    @WithDefault("262144")
    int maxBody();

    /** Most resources one sync request may name; more get 400. */
    @WithDefault("1000")
    int maxSyncResources();

    /** Longest request target (path and query) accepted; longer ones get 414. */
    @WithDefault("8192")
    int maxUriLength();
  }

  /** Git push webhooks. */
  interface Webhook {
    /** Largest accepted payload; larger ones get 413. */
    @WithDefault("1048576")
    int maxPayload();

    Provider github();

    Provider gitlab();

    Provider gitea();

    Provider gogs();

    /** Bitbucket Cloud: the secret is the hook's UUID. */
    Provider bitbucket();

    Provider bitbucketServer();

    /** Mooring's own HMAC-signed form. */
    Provider generic();

    /** A Kubernetes Secret (in Mooring's namespace) whose keys are provider names. */
    Optional<String> secretName();

    /** One provider's settings. */
    interface Provider {
      /** Comma-separated secrets (several during a rotation). */
      Optional<String> secret();

      /** Accept deliveries without verification (only for trusted networks). */
      @WithDefault("false")
      boolean insecure();
    }
  }

  /** The in-memory API server used when no cluster is configured. */
  interface Sandbox {
    /** Folder of this checkout registered as an Application in the sandbox. */
    @WithDefault("manifests-example")
    String examplePath();

    /**
     * Where the sandbox writes a kubeconfig for its in-memory API server (relative to the working
     * directory), for {@code kubectl --kubeconfig <file>}; removed when Mooring stops.
     */
    @WithDefault("target/sandbox/kubeconfig")
    String kubeconfig();
  }

  /** Git settings. */
  interface Git {
    /** Where the bare mirrors live, one per repository URL. */
    @WithDefault("${java.io.tmpdir}/mooring-git")
    String cacheDir();

    /** Poll period for apps that set no refreshInterval. */
    @WithDefault("3m")
    Duration defaultRefreshInterval();

    /** Allow file:// and local-path repositories (tests, the sandbox). */
    @WithDefault("false")
    boolean allowLocalRepos();

    /** Timeout of one Git network operation. */
    @WithDefault("60s")
    Duration timeout();
  }

  Render render();

  /** Rendering of Kustomize folders and Helm charts. */
  interface Render {
    /** Longest a kustomize build or helm template may take. */
    @WithDefault("90s")
    Duration timeout();

    /** Largest output of one render, in bytes. */
    @WithDefault("67108864")
    long maxOutputBytes();

    /** How many kustomize builds (and, apart, helm templates) run at once. */
    @WithDefault("2")
    int parallelism();

    Kustomize kustomize();

    /** Kustomize settings. */
    interface Kustomize {
      /**
       * {@code kustomize} or {@code kubectl} (path or name); unset: {@code kustomize} from PATH,
       * else {@code kubectl kustomize}.
       */
      java.util.Optional<String> binary();

      /** Extra arguments of every build, e.g. {@code --enable-alpha-plugins}. */
      java.util.Optional<java.util.List<String>> buildOptions();

      /** Fetch remote bases (URLs, github.com/...) over the network. */
      @WithDefault("false")
      boolean allowRemoteBases();
    }
  }

  /** Sync settings. */
  interface Sync {
    /** How long a sync waits for a wave to become healthy before the next one. */
    @WithDefault("5m")
    Duration healthTimeout();

    /**
     * How long a sync waits for one wave of hooks (a migration Job, a smoke-test Pod) to finish;
     * past it the hook is left running and the sync fails.
     */
    @WithDefault("1h")
    Duration hookTimeout();

    /** Default revisionHistoryLimit. */
    @WithDefault("10")
    int historyLimit();

    /** How many Applications reconcile at once. */
    @WithDefault("16")
    int parallelism();

    /**
     * How many writes (and dry runs) go to the API server at once, across all Applications; the
     * objects of one wave are written in parallel up to this bound.
     */
    @WithDefault("8")
    int writeParallelism();

    /**
     * Let the API server settle every object the local diff finds different with a dry run of the
     * write ({@code dryRun=All}); off only where the server cannot dry-run (the sandbox is off by
     * itself).
     */
    @WithDefault("true")
    boolean serverDryRun();
  }

  LeaderElection leaderElection();

  /** Several replicas elect one leader (a Lease); the others stand by. */
  interface LeaderElection {
    /** Off for a single local run; on (against a real cluster) by default. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Namespace of the Lease; default: the pod's namespace, else the kubeconfig context's, else
     * "default".
     */
    Optional<String> namespace();

    @WithDefault("mooring-controller")
    String leaseName();

    /** How long a lease holds without renewal; a standby takes over after it. */
    @WithDefault("15s")
    Duration leaseDuration();

    @WithDefault("10s")
    Duration renewDeadline();

    @WithDefault("2s")
    Duration retryPeriod();
  }

  /** Comma-separated namespaces whose Applications are watched; empty means all. */
  Optional<String> watchNamespaces();
}
