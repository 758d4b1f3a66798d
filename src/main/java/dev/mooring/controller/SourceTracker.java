package dev.mooring.controller;

import dev.mooring.source.FetchResult;
import dev.mooring.source.GitSource;
import dev.mooring.source.RepoCredentials;
import dev.mooring.source.SourceException;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * Polls each repository once, at the shortest refreshInterval of the Applications using it (with
 * jitter), and reconciles those Applications when a ref moved. Fetches run off the reconcile
 * threads; GitSource shares one in-flight fetch per repository.
 */
@ApplicationScoped
public class SourceTracker {
  private static final Logger LOG = Logger.getLogger(SourceTracker.class);

  private final GitSource git;
  private final ReconcileTrigger trigger;
  private final MooringConfig config;
  private final Map<String, Repo> repos = new ConcurrentHashMap<>();
  private final Map<String, String> repoOfApp = new ConcurrentHashMap<>();
  private final ExecutorService fetchers =
      Executors.newFixedThreadPool(
          4,
          r -> {
            Thread t = new Thread(r, "mooring-git-poll");
            t.setDaemon(true);
            return t;
          });

  /** What Mooring knows of one repository. */
  static final class Repo {
    final String url;
    final Map<String, Duration> intervals = new ConcurrentHashMap<>();
    volatile RepoCredentials credentials = RepoCredentials.none();
    volatile Map<String, String> refs;
    volatile Instant nextPoll = Instant.now();
    final java.util.concurrent.atomic.AtomicBoolean inFlight =
        new java.util.concurrent.atomic.AtomicBoolean();
    volatile String headBranch;
    // work waiting for the next fetch to finish (webhook refreshes); drained by the fetch that
    // starts after they were queued, so that it includes the push
    final java.util.Queue<Runnable> afterFetch = new java.util.concurrent.ConcurrentLinkedQueue<>();
    volatile String lastError;
    // credentials (by fingerprint) that fetched this repository successfully; an app may only
    // read the shared mirror after its own credentials did
    final Set<String> verified = ConcurrentHashMap.newKeySet();
    // credentials known to work, by fingerprint: the poller uses one of these, so that an app with
    // wrong credentials cannot make every other app on the repository look unreachable
    final Map<String, RepoCredentials> working = new ConcurrentHashMap<>();

    Repo(String url) {
      this.url = url;
    }

    Duration interval(Duration fallback) {
      return intervals.values().stream().min(Duration::compareTo).orElse(fallback);
    }
  }

  public SourceTracker(GitSource git, ReconcileTrigger trigger, MooringConfig config) {
    this.git = git;
    this.trigger = trigger;
    this.config = config;
  }

  /** Records that an Application uses a repository with a poll interval. */
  public void register(String appKey, String repoURL, Duration interval, RepoCredentials creds) {
    String norm = GitSource.normalizeUrl(repoURL);
    String previous = repoOfApp.put(appKey, norm);
    if (previous != null && !previous.equals(norm)) {
      Repo old = repos.get(previous);
      if (old != null) {
        old.intervals.remove(appKey);
      }
    }
    Repo repo = repos.computeIfAbsent(norm, k -> new Repo(repoURL));
    repo.intervals.put(appKey, interval);
    repo.credentials = creds;
  }

  public void unregister(String appKey) {
    String norm = repoOfApp.remove(appKey);
    if (norm != null && repos.containsKey(norm)) {
      repos.get(norm).intervals.remove(appKey);
    }
  }

  /**
   * Fetches now when the repository was never fetched or when forced (refresh, sync request);
   * otherwise the mirror's state is used as it is. Returns the last fetch error, or null.
   */
  public String ensureFetched(String repoURL, RepoCredentials creds, boolean force) {
    Repo repo = repos.computeIfAbsent(GitSource.normalizeUrl(repoURL), k -> new Repo(repoURL));
    if (repo.refs == null || force || !repo.verified.contains(fingerprint(creds))) {
      return fetch(repo, creds, false, force);
    }
    return repo.lastError; // from the poller: the mirror is as of its last good fetch
  }

  /** True when these credentials fetched the repository successfully at least once. */
  public boolean verified(String repoURL, RepoCredentials creds) {
    Repo repo = repos.get(GitSource.normalizeUrl(repoURL));
    return repo != null && repo.verified.contains(fingerprint(creds));
  }

  /** The branch the remote HEAD points to, as of the last fetch (null when unknown). */
  public String headBranch(String repoURL) {
    Repo repo = repos.get(GitSource.normalizeUrl(repoURL));
    return repo == null ? null : repo.headBranch;
  }

  /**
   * A push arrived: fetch the repository as soon as possible (coalescing bursts: one fetch serves
   * every push queued before it started), then run {@code then}. Never fetches on the caller's
   * thread.
   */
  public void fetchSoon(String repoURL, Runnable then) {
    Repo repo = repos.computeIfAbsent(GitSource.normalizeUrl(repoURL), k -> new Repo(repoURL));
    repo.afterFetch.add(then);
    schedule(repo);
  }

  @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void poll() {
    Instant now = Instant.now();
    for (Repo repo : repos.values()) {
      if (!repo.intervals.isEmpty() && !now.isBefore(repo.nextPoll)) {
        schedule(repo);
      }
    }
  }

  private void schedule(Repo repo) {
    if (repo.inFlight.compareAndSet(false, true)) {
      fetchers.submit(() -> runFetch(repo));
    }
  }

  private void runFetch(Repo repo) {
    List<Runnable> waiting = new ArrayList<>();
    Runnable r;
    while ((r = repo.afterFetch.poll()) != null) {
      waiting.add(r);
    }
    try {
      RepoCredentials creds =
          repo.working.isEmpty() ? repo.credentials : repo.working.values().iterator().next();
      fetch(repo, creds, true, true);
    } finally {
      repo.inFlight.set(false);
      for (Runnable w : waiting) {
        try {
          w.run();
        } catch (RuntimeException e) {
          LOG.warnf(e, "after-fetch work failed for %s", repo.url);
        }
      }
      if (!repo.afterFetch.isEmpty()) {
        schedule(repo);
      }
    }
  }

  /**
   * Fetches with the given credentials; returns the error message, or null on success. A {@code
   * fresh} fetch never reuses one that started before it was asked for (see {@link
   * GitSource#fetch(String, RepoCredentials, boolean)}).
   */
  private String fetch(Repo repo, RepoCredentials creds, boolean notify, boolean fresh) {
    String fingerprint = fingerprint(creds);
    try {
      Map<String, String> before = repo.refs;
      FetchResult result = git.fetch(repo.url, creds, fresh);
      repo.verified.add(fingerprint);
      repo.working.put(fingerprint, creds);
      repo.refs = result.refs();
      repo.headBranch = result.headBranch();
      boolean hadError = repo.lastError != null;
      repo.lastError = null;
      if (notify && (before == null || !before.equals(result.refs()) || hadError)) {
        repo.intervals.keySet().forEach(this::triggerApp);
      }
      return null;
    } catch (SourceException e) {
      if (e.reason() == SourceException.Reason.AuthFailed
          || e.reason() == SourceException.Reason.NotAllowed) {
        repo.verified.remove(fingerprint);
        repo.working.remove(fingerprint);
      }
      boolean changed = !e.getMessage().equals(repo.lastError);
      repo.lastError = e.getMessage();
      LOG.warnf("git fetch failed: %s", e.getMessage());
      if (notify && changed) {
        repo.intervals.keySet().forEach(this::triggerApp);
      }
      return e.getMessage();
    } catch (RuntimeException e) {
      repo.lastError =
          "fetch " + GitSource.redactUrl(repo.url) + " failed: " + e.getClass().getSimpleName();
      LOG.warnf(
          "git fetch failed for %s: %s", GitSource.redactUrl(repo.url), e.getClass().getName());
      return repo.lastError;
    } finally {
      Duration interval = repo.interval(config.git().defaultRefreshInterval());
      long jitter = (long) (interval.toMillis() * 0.1 * ThreadLocalRandom.current().nextDouble());
      repo.nextPoll = Instant.now().plus(interval).plusMillis(jitter);
    }
  }

  /** Identifies credentials without keeping their values around in clear. */
  static String fingerprint(RepoCredentials creds) {
    try {
      var digest = java.security.MessageDigest.getInstance("SHA-256");
      for (String part :
          new String[] {
            creds.username(), creds.password(), creds.sshPrivateKey(), creds.knownHosts()
          }) {
        digest.update(String.valueOf(part).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return java.util.HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void triggerApp(String appKey) {
    int slash = appKey.indexOf('/');
    trigger.trigger(appKey.substring(0, slash), appKey.substring(slash + 1));
  }

  @PreDestroy
  void stop() {
    fetchers.shutdownNow();
  }
}
