package dev.mooring.controller;

import dev.mooring.cluster.UnknownKindException;
import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.model.ApplicationStatus;
import dev.mooring.model.Operation;
import dev.mooring.sync.Comparison;
import dev.mooring.sync.PruneGuard;
import dev.mooring.sync.ResourceKey;
import dev.mooring.sync.SyncOptions;
import dev.mooring.sync.SyncOutcome;
import dev.mooring.sync.SyncPlan;
import dev.mooring.sync.SyncPlanner;
import dev.mooring.sync.SyncRunner;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Runs syncs: those requested through {@code operation} and those automation decides on. Records
 * operationState, history, Events and metrics. One operation per app at a time is guaranteed by the
 * operator SDK, which never reconciles the same resource concurrently.
 */
@ApplicationScoped
public class OperationRunner {
  private static final Logger LOG = Logger.getLogger(OperationRunner.class);

  private final SyncRunner runner;
  private final KubernetesClient client;
  private final StatusWriter writer;
  private final AppEvents events;
  private final SyncMetrics metrics;
  private final MooringConfig config;
  private final Leadership leadership;
  private final dev.mooring.source.GitSource git;
  private final Map<String, Integer> healAttempts = new ConcurrentHashMap<>();
  private final Set<String> terminating = ConcurrentHashMap.newKeySet();

  /** How long a sync runs before its Running state is written. */
  static final java.time.Duration RUNNING_AFTER = java.time.Duration.ofMillis(300);

  /** How often a running sync's progress is written at most. */
  static final java.time.Duration PROGRESS_EVERY = java.time.Duration.ofSeconds(2);

  private static final java.util.concurrent.ScheduledExecutorService RUNNING_MARKER =
      java.util.concurrent.Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "mooring-running-mark");
            t.setDaemon(true);
            return t;
          });

  /** Recomputes the comparison after a sync. */
  @FunctionalInterface
  public interface Recompare {
    Comparison get() throws UnknownKindException;
  }

  /** The comparison after automation ran, and when to look again. */
  public record AutoResult(Comparison comparison, Instant retryAt) {}

  public OperationRunner(
      SyncRunner runner,
      KubernetesClient client,
      StatusWriter writer,
      AppEvents events,
      SyncMetrics metrics,
      MooringConfig config,
      Leadership leadership,
      dev.mooring.source.GitSource git) {
    this.git = git;
    this.leadership = leadership;
    this.runner = runner;
    this.client = client;
    this.writer = writer;
    this.events = events;
    this.metrics = metrics;
    this.config = config;
  }

  /** Runs the sync an operation asks for, records it, and removes the request. */
  public Comparison runRequested(
      Application app,
      Operation op,
      Comparison cmp,
      ApplicationStatus status,
      String revision,
      Instant now,
      Recompare recompare)
      throws UnknownKindException {
    Operation.Sync sync = op.sync;
    Set<ResourceKey> only = new HashSet<>();
    if (sync.resources != null) {
      for (Operation.ResourceRef r : sync.resources) {
        only.add(new ResourceKey(r.group, r.kind, r.namespace, r.name));
      }
    }
    boolean dryRun = Boolean.TRUE.equals(sync.dryRun);
    String user =
        op.initiatedBy == null || op.initiatedBy.username == null ? "" : op.initiatedBy.username;
    if (alreadyRan(op, status, app.getMetadata().getGeneration())) {
      // the status says this very request finished moments ago, but removing it did not land
      // (a crash, a lost leadership, a stale cache): remove it instead of running it twice
      writer.removeOperation(app);
      return cmp;
    }
    execute(
        app,
        op,
        cmp,
        status,
        revision,
        Boolean.TRUE.equals(sync.prune),
        dryRun,
        only,
        false,
        user,
        0,
        now);
    Comparison after = cmp;
    try {
      after = dryRun ? cmp : recompare.get();
    } finally {
      // one status write carries both the finished operation and what the cluster now looks like
      StatusBuilder.applyComparison(status, after);
      writer.write(app, status);
      writer.removeOperation(app);
    }
    return after;
  }

  /**
   * A finished operationState recording exactly this operation at this generation of the app: a new
   * request, even an identical one, changes the generation; a replay from a stale cache or a
   * removal that did not land does not.
   */
  static boolean alreadyRan(Operation op, ApplicationStatus status, Long generation) {
    ApplicationStatus.OperationState last = status.operationState;
    if (last == null
        || last.operation == null
        || last.finishedAt == null
        || "Running".equals(last.phase)
        || generation == null
        || !generation.equals(last.generation)) {
      return false;
    }
    com.fasterxml.jackson.databind.ObjectMapper mapper =
        new com.fasterxml.jackson.databind.ObjectMapper();
    return mapper.valueToTree(last.operation).equals(mapper.valueToTree(op));
  }

  /** Auto-sync and self-heal, per {@link AutoSyncPolicy}. */
  public AutoResult runAutomated(
      Application app,
      Comparison cmp,
      ApplicationStatus status,
      String revision,
      Instant now,
      Recompare recompare)
      throws UnknownKindException {
    String key = key(app);
    ApplicationSpec spec = app.getSpec();
    boolean prune =
        spec.syncPolicy != null
            && spec.syncPolicy.automated != null
            && Boolean.TRUE.equals(spec.syncPolicy.automated.prune);
    // orphans that automation may not prune do not make a sync worth repeating
    boolean inSync =
        cmp.candidates().stream().allMatch(SyncPlanner.Candidate::inSync)
            && (!prune || cmp.orphans().stream().allMatch(SyncPlanner.Orphan::ignoredExtraneous));
    if (inSync) {
      healAttempts.remove(key);
    }
    AutoSyncPolicy.Decision decision =
        AutoSyncPolicy.decide(
            spec, status, revision, inSync, healAttempts.getOrDefault(key, 0), now);
    switch (decision.kind()) {
      case WAIT:
        return new AutoResult(cmp, decision.notBefore());
      case NONE:
        return new AutoResult(cmp, null);
      case SELF_HEAL:
        healAttempts.merge(key, 1, Integer::sum);
        metrics.driftCorrected();
        events.normal(
            app,
            "SelfHeal",
            "live state differs from Git; re-applying " + AutoSyncPolicy.shortSha(revision));
        break;
      default:
        healAttempts.remove(key);
    }
    Operation op = new Operation();
    op.sync = new Operation.Sync();
    op.sync.revision = revision;
    op.sync.prune = prune;
    op.initiatedBy = new Operation.InitiatedBy();
    op.initiatedBy.automated = true;
    execute(
        app,
        op,
        cmp,
        status,
        revision,
        prune,
        false,
        Set.of(),
        true,
        "automated",
        decision.retryCount(),
        now);
    return new AutoResult(recompare.get(), null);
  }

  /**
   * What a sync would do, as a dry run: the plan with the server's verdict per object (from the
   * comparison's dry runs) and the prune checks; nothing is written.
   */
  public SyncOutcome dryRun(Application app, Comparison cmp, boolean prune, Set<ResourceKey> only) {
    SyncPlan plan =
        SyncPlanner.plan(
            cmp.candidates(), cmp.orphans(), cmp.hooks(), new SyncPlanner.Request(prune, only));
    return runner.dryRun(plan, options(app).at(cmp.revision(), Instant.now()));
  }

  private SyncRunner.Options options(Application app) {
    ApplicationSpec spec = app.getSpec();
    SyncOptions options =
        SyncOptions.parse(spec.syncPolicy == null ? List.of() : spec.syncPolicy.syncOptions);
    String key = key(app);
    return new SyncRunner.Options(
        app.getMetadata().getNamespace(),
        app.getMetadata().getName(),
        options.isTrue("PruneLast"),
        config.sync().healthTimeout(),
        // a replica that lost the lease stops before its next write: another one leads now
        () -> terminating.contains(key) || !leadership.isLeader(),
        confirmedPrunes(app),
        "",
        Instant.now(),
        config.sync().hookTimeout());
  }

  /** The finalizer that holds a deleted Application until its PostDelete hooks have run. */
  public static final String POST_DELETE_FINALIZER = "mooring.dev/post-delete-hooks";

  /**
   * Runs an Application's PostDelete hooks (it is being deleted), waiting for them as a sync waits
   * for its hooks; the outcome is an Event on the Application.
   */
  public SyncOutcome runPostDelete(Application app, Comparison cmp) {
    Instant started = Instant.now();
    SyncOutcome outcome =
        runner.runHooks(
            cmp.hooks(),
            dev.mooring.sync.Hook.Type.PostDelete,
            options(app).at(cmp.revision(), started));
    if (outcome.phase() == SyncOutcome.Phase.Succeeded) {
      events.normal(app, "PostDeleteHooks", outcome.message());
    } else {
      events.warning(app, "PostDeleteHooks", "PostDelete hooks: " + outcome.message());
    }
    LOG.infof(
        "application %s: PostDelete hooks: %s %s", key(app), outcome.phase(), outcome.message());
    return outcome;
  }

  /** Says on the Application that its PostDelete hooks could not run, and why. */
  public void postDeleteNotRun(Application app, String why) {
    events.warning(app, "PostDeleteHooks", "PostDelete hooks not run: " + why);
    LOG.warnf("application %s: PostDelete hooks not run: %s", key(app), why);
  }

  /**
   * Adds the PostDelete finalizer to an app that has PostDelete hooks, and removes it from one that
   * has none (or whose hooks ran). One JSON patch, only when something changes.
   */
  public void holdForPostDelete(Application app, boolean hold) {
    List<String> finalizers =
        app.getMetadata().getFinalizers() == null ? List.of() : app.getMetadata().getFinalizers();
    int at = finalizers.indexOf(POST_DELETE_FINALIZER);
    if (hold == (at >= 0)) {
      return;
    }
    String patch;
    if (hold) {
      patch =
          finalizers.isEmpty()
              ? "[{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[\""
                  + POST_DELETE_FINALIZER
                  + "\"]}]"
              : "[{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\",\"value\":\""
                  + POST_DELETE_FINALIZER
                  + "\"}]";
    } else {
      // tested first, so that a list changed meanwhile is not cut at the wrong place
      patch =
          "[{\"op\":\"test\",\"path\":\"/metadata/finalizers/"
              + at
              + "\",\"value\":\""
              + POST_DELETE_FINALIZER
              + "\"},{\"op\":\"remove\",\"path\":\"/metadata/finalizers/"
              + at
              + "\"}]";
    }
    try {
      client
          .resources(Application.class)
          .inNamespace(app.getMetadata().getNamespace())
          .withName(app.getMetadata().getName())
          .patch(
              io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                  io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
              patch);
    } catch (KubernetesClientException e) {
      // looked at again on the next reconcile
      LOG.warnf(
          "application %s: could not %s the finalizer %s: %s",
          key(app), hold ? "add" : "remove", POST_DELETE_FINALIZER, e.getMessage());
    }
  }

  /** Records a failed comparison on a requested operation, so the request does not hang. */
  public void comparisonFailed(
      Application app,
      Operation op,
      ApplicationStatus status,
      String reason,
      String message,
      Instant now) {
    metrics.comparisonError(reason);
    if (op == null) {
      return;
    }
    SyncOutcome outcome = new SyncOutcome(SyncOutcome.Phase.Failed, message, List.of());
    status.operationState = StatusBuilder.operationState(op, outcome, null, now, now, 0);
    status.operationState.phase = "Error";
    events.warning(app, "SyncFailed", message);
    writer.write(app, status);
    writer.removeOperation(app);
  }

  /** Drops what is kept in memory about a deleted app. */
  public void forget(String appKey) {
    healAttempts.remove(appKey);
    terminating.remove(appKey);
  }

  /** Asks the running sync of an app to stop before its next write. */
  public void terminate(String namespace, String name) {
    terminating.add(namespace + "/" + name);
  }

  private void execute(
      Application app,
      Operation op,
      Comparison cmp,
      ApplicationStatus status,
      String revision,
      boolean prune,
      boolean dryRun,
      Set<ResourceKey> only,
      boolean automated,
      String user,
      int retryCount,
      Instant started) {
    String key = key(app);
    ApplicationSpec spec = app.getSpec();
    SyncOptions options =
        SyncOptions.parse(spec.syncPolicy == null ? List.of() : spec.syncPolicy.syncOptions);
    SyncPlan plan =
        SyncPlanner.plan(
            cmp.candidates(), cmp.orphans(), cmp.hooks(), new SyncPlanner.Request(prune, only));
    String what =
        (dryRun ? "dry-run sync" : "sync")
            + " to "
            + AutoSyncPolicy.shortSha(revision)
            + (automated ? " (automated)" : user.isEmpty() ? "" : " by " + user);
    java.util.concurrent.atomic.AtomicReference<List<SyncOutcome.ResourceResult>> soFar =
        new java.util.concurrent.atomic.AtomicReference<>(List.of());
    SyncRunner.Options runOptions = options(app).at(revision, started).withProgress(soFar::set);
    int planned = plan.waves().stream().mapToInt(w -> w.steps().size()).sum() + plan.prune().size();
    SyncOutcome outcome;
    if (dryRun) {
      outcome = runner.dryRun(plan, runOptions);
    } else {
      long t0 = System.nanoTime();
      events.normal(app, "SyncStarted", what);
      // a sync that ends within RUNNING_AFTER is recorded once, finished: the Running state of a
      // large app is a write of the whole Application, as long as the sync of a few objects
      Object gate = new Object();
      boolean[] finished = {false};
      // then, while it runs, what is done so far (each wave's results), at most every
      // PROGRESS_EVERY
      int[] marked = {-1};
      java.util.concurrent.ScheduledFuture<?> mark =
          RUNNING_MARKER.scheduleWithFixedDelay(
              () -> {
                synchronized (gate) {
                  List<SyncOutcome.ResourceResult> done = soFar.get();
                  if (!finished[0] && done.size() != marked[0]) {
                    marked[0] = done.size();
                    markRunning(app, op, status, revision, started, retryCount, done, planned);
                  }
                }
              },
              RUNNING_AFTER.toMillis(),
              PROGRESS_EVERY.toMillis(),
              java.util.concurrent.TimeUnit.MILLISECONDS);
      long t1 = System.nanoTime();
      try {
        ensureNamespace(app, options);
        outcome = runner.run(plan, runOptions);
        LOG.debugf(
            "application %s: started in %d ms, ran in %d ms",
            key, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        forgetConfirmations(app, outcome);
      } catch (RuntimeException e) {
        // never leave the operation Running: whatever broke is recorded and the request ends
        LOG.warnf(e, "application %s: sync failed unexpectedly", key);
        outcome =
            new SyncOutcome(
                SyncOutcome.Phase.Failed,
                "sync failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                List.of());
      } finally {
        terminating.remove(key);
        synchronized (gate) {
          finished[0] = true; // a Running mark in flight is written before what follows
        }
        mark.cancel(false);
      }
    }
    Instant finished = Instant.now();
    status.operationState =
        StatusBuilder.operationState(op, outcome, revision, started, finished, retryCount);
    status.operationState.generation = app.getMetadata().getGeneration();
    if (!dryRun) {
      int limit =
          spec.revisionHistoryLimit == null
              ? config.sync().historyLimit()
              : spec.revisionHistoryLimit;
      var commit =
          spec.source == null || revision == null
              ? null
              : git.commitInfo(spec.source.repoURL, revision);
      StatusBuilder.addHistory(
          status,
          revision,
          spec.source,
          user,
          finished,
          limit,
          commit == null ? null : commit.subject,
          outcome.phase().name(),
          outcome.message());
      if (outcome.phase() == SyncOutcome.Phase.Succeeded) {
        events.normal(app, "SyncSucceeded", what + ": " + outcome.message());
      } else {
        events.warning(app, "SyncFailed", what + ": " + outcome.message());
      }
      metrics.synced(outcome, Duration.between(started, finished), automated);
    }
    LOG.infof("application %s: %s: %s %s", key, what, outcome.phase(), outcome.message());
  }

  /** Makes the running operation visible (API 409s, the event stream, kubectl). */
  private void markRunning(
      Application app,
      Operation op,
      ApplicationStatus status,
      String revision,
      Instant started,
      int retryCount,
      List<SyncOutcome.ResourceResult> done,
      int planned) {
    ApplicationStatus.OperationState running = new ApplicationStatus.OperationState();
    running.operation = op;
    running.phase = "Running";
    running.message =
        "syncing "
            + AutoSyncPolicy.shortSha(revision)
            + ": "
            + Math.min(done.size(), planned)
            + " of "
            + planned
            + " resources done";
    running.syncResult = new ApplicationStatus.SyncResult();
    running.syncResult.revision = revision;
    done.forEach(r -> running.syncResult.resources.add(StatusBuilder.resourceResult(r)));
    running.startedAt = started.toString();
    running.retryCount = retryCount;
    ApplicationStatus.OperationState previous = status.operationState;
    status.operationState = running;
    try {
      writer.write(app, status);
    } catch (RuntimeException e) {
      LOG.debugf("could not mark the operation running: %s", e.getMessage());
    }
    status.operationState = previous;
  }

  /** The Namespaces and CRDs the user confirmed to prune (see {@link PruneGuard}). */
  static Set<String> confirmedPrunes(Application app) {
    Map<String, String> annotations = app.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(PruneGuard.CONFIRM_ANNOTATION);
    Set<String> confirmed = new HashSet<>();
    if (value != null) {
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          confirmed.add(part.trim());
        }
      }
    }
    return confirmed;
  }

  /**
   * A confirmation is for one prune: once the object is gone, a later object of the same name must
   * be confirmed again.
   */
  private void forgetConfirmations(Application app, SyncOutcome outcome) {
    Set<String> confirmed = confirmedPrunes(app);
    if (confirmed.isEmpty()) {
      return;
    }
    List<String> left = new ArrayList<>(confirmed);
    for (SyncOutcome.ResourceResult r : outcome.resources()) {
      if ("pruned".equals(r.action())) {
        left.remove(r.key().kind() + "/" + r.key().name());
      }
    }
    if (left.size() == confirmed.size()) {
      return;
    }
    String value = left.isEmpty() ? null : String.join(",", left);
    try {
      client
          .resources(Application.class)
          .inNamespace(app.getMetadata().getNamespace())
          .withName(app.getMetadata().getName())
          .edit(
              a -> {
                if (a.getMetadata().getAnnotations() != null) {
                  if (value == null) {
                    a.getMetadata().getAnnotations().remove(PruneGuard.CONFIRM_ANNOTATION);
                  } else {
                    a.getMetadata().getAnnotations().put(PruneGuard.CONFIRM_ANNOTATION, value);
                  }
                }
                return a;
              });
    } catch (KubernetesClientException e) {
      LOG.warnf("could not remove used prune confirmations from %s: %s", key(app), e.getMessage());
    }
  }

  private void ensureNamespace(Application app, SyncOptions options) {
    ApplicationSpec.Destination dest = app.getSpec().destination;
    if (!options.isTrue("CreateNamespace")
        || dest == null
        || dest.namespace == null
        || dest.namespace.isBlank()) {
      return;
    }
    try {
      if (client.namespaces().withName(dest.namespace).get() == null) {
        client
            .namespaces()
            .resource(
                new NamespaceBuilder()
                    .withNewMetadata()
                    .withName(dest.namespace)
                    .endMetadata()
                    .build())
            .create();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  private static String key(Application app) {
    return app.getMetadata().getNamespace() + "/" + app.getMetadata().getName();
  }
}
