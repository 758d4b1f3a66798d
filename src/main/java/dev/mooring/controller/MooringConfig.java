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

  /** The in-memory API server used when no cluster is configured. */
  interface Sandbox {
    /** Folder of this checkout registered as an Application in the sandbox. */
    @WithDefault("manifests-example")
    String examplePath();
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

  /** Sync settings. */
  interface Sync {
    /** How long a sync waits for a wave to become healthy before the next one. */
    @WithDefault("5m")
    Duration healthTimeout();

    /** Default revisionHistoryLimit. */
    @WithDefault("10")
    int historyLimit();

    /** How many Applications reconcile at once. */
    @WithDefault("16")
    int parallelism();
  }

  /** Comma-separated namespaces whose Applications are watched; empty means all. */
  Optional<String> watchNamespaces();
}
