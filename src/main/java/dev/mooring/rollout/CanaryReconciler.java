package dev.mooring.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.api.CanaryIndex;
import dev.mooring.canary.Action;
import dev.mooring.canary.AnalysisSettings;
import dev.mooring.canary.CanaryState;
import dev.mooring.canary.CanaryStateMachine;
import dev.mooring.canary.CheckResult;
import dev.mooring.canary.Decision;
import dev.mooring.canary.HookSpec;
import dev.mooring.canary.Observation;
import dev.mooring.canary.Phase;
import dev.mooring.canary.WebhookResult;
import dev.mooring.canary.Weights;
import dev.mooring.canary.hooks.HookCall;
import dev.mooring.canary.hooks.WebhookExecutor;
import dev.mooring.canary.routing.PrimaryBuilder;
import dev.mooring.controller.AppEvents;
import dev.mooring.controller.LatestWrites;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryAnalysis;
import dev.mooring.model.CanarySpec;
import dev.mooring.model.CanaryStatus;
import dev.mooring.rollout.CanarySettings.InvalidCanaryException;
import dev.mooring.rollout.CanaryWorkloads.Observed;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The Canary controller: one analysis tick per {@code analysis.interval}. A tick observes the
 * target and the primary, asks the pure {@link CanaryStateMachine} what to do (running the webhooks
 * and metric checks it asks for), carries out the actions, and writes the new state into status.
 * All progress lives in status, so a restarted controller resumes where it was. When an action
 * fails, the status keeps the last good state and the next tick tries again.
 */
@ControllerConfiguration(name = "canary")
public class CanaryReconciler implements Reconciler<Canary> {
  private static final Logger LOG = Logger.getLogger(CanaryReconciler.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_INPUT_ROUNDS = 16;
  private static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(10);
  private static final Duration MIN_WAIT = Duration.ofMillis(100);
  private static final int WRITE_ATTEMPTS = 3;
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  private static final Duration SAFETY_NET = Duration.ofMinutes(5);

  private final KubernetesClient client;
  private final CanaryWorkloads workloads;
  private final CanaryChecks checks;
  private final WebhookExecutor webhooks;
  private final CanaryMeters meters;
  private final AppEvents events;
  private final CanaryAlerts alerts;
  private final String defaultProvider;

  /**
   * Held on Canaries with {@code spec.revertOnDeletion} only (Flagger's finalizer.flagger.app), so
   * that their deletion waits until the target is restored; other Canaries carry no finalizer, and
   * their deletion never waits for Mooring.
   */
  public static final String FINALIZER = "mooring.dev/revert-on-deletion";

  /** Marks, on the in-memory copy only, a provider that came from the default setting. */
  static final String DEFAULTED = "mooring.dev/provider-defaulted";

  private final Clock clock = Clock.systemUTC();
  private final LatestWrites<Canary> written = new LatestWrites<>();
  private final CanaryTicker<Canary> ticker;
  private final Map<String, Instant> unreadySince = new ConcurrentHashMap<>();

  public CanaryReconciler(
      KubernetesClient client,
      CanaryWorkloads workloads,
      CanaryChecks checks,
      WebhookExecutor webhooks,
      CanaryMeters meters,
      AppEvents events,
      CanaryIndex index,
      CanaryAlerts alerts,
      dev.mooring.controller.MooringConfig config,
      dev.mooring.controller.Leadership leadership) {
    this.alerts = alerts;
    this.defaultProvider = config.canary().defaultProvider().trim();
    if (config.canary().analysisThreads() < 1) {
      throw new IllegalArgumentException(
          "mooring.canary.analysis-threads must be at least 1, not "
              + config.canary().analysisThreads());
    }
    this.ticker =
        new CanaryTicker<>(
            config.canary().analysisThreads(), c -> c.getMetadata().getGeneration(), this::runTick);
    meters.busy(ticker::busy);
    index.onChange(
        (old, now) -> {
          if (now == null && old != null) {
            forget(old);
          } else if (now != null && now.isMarkedForDeletion() && leadership.isLeader()) {
            // the reconciler is not called for objects being deleted: the next tick sees the
            // deletion (and reverts, with revertOnDeletion) instead of working on a stale copy
            ticker.offer(key(now), now);
          }
        });
    this.client = client;
    this.workloads = workloads;
    this.checks = checks;
    this.webhooks = webhooks;
    this.meters = meters;
    this.events = events;
  }

  /**
   * Hands the Canary to the {@link CanaryTicker}, which runs its ticks on the analysis pool: the
   * reconcile thread (shared with Applications) never waits on a webhook or Prometheus. The
   * reschedule is only a safety net; the ticker keeps each Canary's schedule.
   */
  @Override
  public UpdateControl<Canary> reconcile(Canary cached, Context<Canary> context) {
    ticker.offer(key(cached), cached);
    return UpdateControl.<Canary>noUpdate().rescheduleAfter(SAFETY_NET);
  }

  /** One analysis tick of the newest copy; returns the wait until the next one. */
  private Duration runTick(Canary offered, Duration late) {
    long started = System.nanoTime();
    long cpu = CPU.isCurrentThreadCpuTimeSupported() ? CPU.getCurrentThreadCpuTime() : -1;
    Instant now = clock.instant();
    Canary canary = withProvider(written.latest(offered));
    Duration requeue;
    try {
      requeue = canary.isMarkedForDeletion() ? revertOnDeletion(canary, now) : tick(canary, now);
    } catch (RuntimeException e) {
      // report it and tick again later: the state in status stays as it was
      LOG.warnf(e, "canary %s: tick failed", key(canary));
      try {
        problem(canary, "TickFailed", "the analysis tick failed: " + message(e), now);
      } catch (RuntimeException again) {
        LOG.debugf("canary %s: cannot report the failure: %s", key(canary), again.getMessage());
      }
      requeue = shorter(CanarySettings.interval(canary));
    } finally {
      long cpuUsed = cpu < 0 ? -1 : CPU.getCurrentThreadCpuTime() - cpu;
      meters.tick(Duration.ofNanos(System.nanoTime() - started), late, cpuUsed);
    }
    // fixed rate, as Flagger's ticker: the next tick is due an interval after this one started,
    // not after it ended, so slow ticks (hooks, Prometheus) do not stretch the schedule
    Duration wait = requeue.minus(Duration.ofNanos(System.nanoTime() - started));
    return wait.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : wait;
  }

  /** No tick starts once the application stops (a running one is interrupted). */
  void stop(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
    ticker.close();
  }

  @jakarta.annotation.PreDestroy
  void close() {
    ticker.close();
  }

  /**
   * A deleted Canary: its gauges go. Nothing else to undo: the objects it owns carry its
   * ownerReference, so Kubernetes collects them (no finalizer, so deletion never waits for us).
   */
  private void forget(Canary canary) {
    String ns = canary.getMetadata().getNamespace();
    String name = canary.getMetadata().getName();
    meters.forget(ns, name);
    written.forget(ns, name);
    ticker.forget(ns + "/" + name);
    unreadySince.remove(ns + "/" + name);
  }

  /**
   * The Canary as its router sees it: with no {@code spec.provider}, a copy naming {@code
   * mooring.canary.default-provider} (the cached object is never changed, nor the spec in the
   * cluster).
   */
  private Canary withProvider(Canary canary) {
    if (canary.getSpec() == null
        || (canary.getSpec().provider != null && !canary.getSpec().provider.isBlank())) {
      return canary;
    }
    Canary copy = io.fabric8.kubernetes.client.utils.Serialization.clone(canary);
    copy.getSpec().provider = defaultProvider;
    copy.getSpec().ignoredFields = canary.getSpec().ignoredFields; // not serialized by the clone
    if (copy.getMetadata().getAnnotations() == null) {
      copy.getMetadata().setAnnotations(new java.util.HashMap<>());
    }
    copy.getMetadata().getAnnotations().put(DEFAULTED, "true"); // in memory only
    return copy;
  }

  /** Says which router is in use, and why, when it is new (the first status, or a change). */
  private void router(Canary canary, CanaryStatus before, CanaryStatus next) {
    String provider = CanarySettings.provider(canary.getSpec());
    next.provider = provider;
    if (before == null || !provider.equals(before.provider)) {
      var annotations = canary.getMetadata().getAnnotations();
      boolean named = annotations == null || !annotations.containsKey(DEFAULTED);
      events.normal(
          canary,
          "Router",
          "routing with provider "
              + provider
              + (named
                  ? " (spec.provider)"
                  : " (mooring.canary.default-provider: the Canary names none)"));
    }
  }

  /**
   * A Canary being deleted that holds {@link #FINALIZER}: the target is restored ({@link
   * CanaryWorkloads#revert}), then the finalizer is removed so that the deletion goes on. A failure
   * keeps the finalizer and is tried again.
   */
  private Duration revertOnDeletion(Canary canary, Instant now) {
    if (!canary.hasFinalizer(FINALIZER)) {
      return SAFETY_NET; // held by someone else's finalizer: nothing is done while it goes
    }
    try {
      workloads.revert(canary, workloads.observe(canary));
      events.normal(
          canary,
          "Reverted",
          "Canary deleted with revertOnDeletion: "
              + canary.getSpec().targetRef.name
              + " runs the traffic again; the primary and the routing objects are removed");
      finalizer(canary, false);
      return SAFETY_NET;
    } catch (Exception e) {
      LOG.warnf("canary %s: revert on deletion failed: %s", key(canary), message(e));
      events.warning(canary, "RevertFailed", "revert on deletion failed: " + message(e));
      return RETRY_AFTER_ERROR;
    }
  }

  /** Adds or removes {@link #FINALIZER}; nothing is written when it is already so. */
  private void finalizer(Canary canary, boolean wanted) {
    if (canary.hasFinalizer(FINALIZER) == wanted) {
      return;
    }
    client
        .resources(Canary.class)
        .inNamespace(canary.getMetadata().getNamespace())
        .withName(canary.getMetadata().getName())
        .edit(
            latest -> {
              if (wanted) {
                latest.addFinalizer(FINALIZER);
              } else {
                latest.removeFinalizer(FINALIZER);
              }
              return latest;
            });
  }

  private Duration tick(Canary canary, Instant now) {
    if (canary.getSpec() != null) {
      try {
        finalizer(canary, Boolean.TRUE.equals(canary.getSpec().revertOnDeletion));
      } catch (KubernetesClientException e) {
        LOG.warnf("canary %s: cannot update its finalizer: %s", key(canary), message(e));
      }
    }
    CanaryStatus before = canary.getStatus();
    // routing may move the session cookies in the live status object: compare the write with this
    CanaryStatus original = before == null ? null : CanaryStatuses.copy(before);
    AnalysisSettings settings;
    try {
      settings = CanarySettings.of(canary);
    } catch (InvalidCanaryException e) {
      problem(canary, "InvalidSpec", "Canary spec is invalid: " + e.getMessage(), now);
      return CanarySettings.interval(canary);
    }
    if (settings.suspend()) {
      return settings.interval(); // Flagger's suspend: nothing at all is done
    }
    Observed seen;
    try {
      seen = workloads.observe(canary);
    } catch (Exception e) {
      problem(canary, "ClusterError", "cannot read the target: " + message(e), now);
      return shorter(settings.interval());
    }
    if (seen.target() == null) {
      problem(
          canary,
          "TargetNotFound",
          (CanarySettings.isDaemonSet(canary.getSpec()) ? "DaemonSet " : "Deployment ")
              + canary.getMetadata().getNamespace()
              + "/"
              + canary.getSpec().targetRef.name
              + " (spec.targetRef) not found",
          now);
      return settings.interval();
    }
    if (canary.getSpec().autoscalerRef != null && seen.scaler() == null) {
      CanarySpec.AutoscalerRef ref = canary.getSpec().autoscalerRef;
      problem(
          canary,
          "AutoscalerNotFound",
          dev.mooring.canary.routing.PrimaryScaler.kind(ref)
              + " "
              + canary.getMetadata().getNamespace()
              + "/"
              + ref.name
              + " (spec.autoscalerRef) not found",
          now);
      return settings.interval();
    }
    String hash = PrimaryBuilder.podTemplateHash(seen.target(), seen.configs());
    Observation observation =
        Observation.of(
            now,
            hash,
            Readiness.of(seen.primary(), CanarySettings.readyThreshold(canary, true)).ready(),
            Readiness.of(seen.target(), CanarySettings.readyThreshold(canary, false)).ready());
    CanaryState state = CanaryStatuses.state(before);
    observation = observation.withUnreadySince(notReadySince(canary, state, observation, now));
    String phase =
        before == null || before.phase == null ? Phase.Initializing.name() : before.phase;
    List<CheckResult> checked = new ArrayList<>();
    List<WebhookResult> called = new ArrayList<>();
    Decision decision = CanaryStateMachine.step(state, settings, observation);
    for (int round = 0; decision.awaitingInput() && round < MAX_INPUT_ROUNDS; round++) {
      for (Action action : decision.actions()) {
        if (action instanceof Action.RunWebhooks run) {
          List<WebhookResult> answers = runHooks(canary, run.type(), phase, hash);
          called.addAll(answers);
          observation = observation.withWebhookResults(answers);
        } else if (action instanceof Action.RunChecks) {
          checked = checks.run(canary);
          observation = observation.withChecks(checked);
        }
      }
      decision = CanaryStateMachine.step(state, settings, observation);
    }
    if (decision.awaitingInput()) {
      problem(canary, "AnalysisError", "the analysis asked for input without end", now);
      return settings.interval();
    }
    Duration requeue = settings.interval();
    try {
      for (Action action : decision.actions()) {
        Duration after = execute(canary, seen, action, hash);
        if (after != null) {
          requeue = after;
        }
      }
    } catch (Exception e) {
      LOG.warnf("canary %s: %s failed: %s", key(canary), decision.message(), message(e));
      problem(canary, "ActionFailed", decision.message() + " failed: " + message(e), now);
      return shorter(settings.interval());
    }
    if (decision.actions().stream().allMatch(a -> a instanceof Action.Requeue)) {
      try {
        enforceRest(canary, seen, decision.next(), hash);
      } catch (Exception e) {
        problem(
            canary, "ActionFailed", "repairing the canary's objects failed: " + message(e), now);
        return shorter(settings.interval());
      }
    }
    CanaryStatus next =
        CanaryStatuses.next(before, decision.next(), decision.message(), checked, called, now);
    router(canary, before, next);
    String unsupported =
        CanaryStatuses.unsupported(
            before,
            next,
            CanaryFeatures.unsupported(canary.getSpec(), CanarySettings.provider(canary.getSpec())),
            now);
    if (unsupported != null) {
      events.warning(canary, "Unsupported", unsupported);
    }
    LOG.debugf("canary %s: %s", key(canary), decision.message());
    write(canary, original, next);
    meters.record(
        canary.getMetadata().getNamespace(),
        canary.getMetadata().getName(),
        decision.next().phase(),
        decision.next().canaryWeight(),
        checked);
    return requeue;
  }

  /**
   * A quiet tick at rest (Initialized, Succeeded, Failed) puts back what the rest state implies:
   * the primary (when it still matches the promoted revision), the Services, all traffic on the
   * primary, and the target at zero. Unchanged objects cost no write; this repairs objects deleted
   * or edited by hand, and takes over objects another owner (Flagger) left behind.
   */
  private void enforceRest(Canary canary, Observed seen, CanaryState state, String hash)
      throws Exception {
    Phase phase = state.phase();
    boolean atRest =
        phase == Phase.Initialized || phase == Phase.Succeeded || phase == Phase.Failed;
    if (!atRest || state.lastPromotedSpec() == null) {
      return;
    }
    if (seen.primary() == null) {
      if (!hash.equals(state.lastPromotedSpec())) {
        throw new IllegalStateException(
            "the primary Deployment is gone and the target is revision "
                + hash
                + ", not the promoted "
                + state.lastPromotedSpec()
                + "; restore the promoted revision in Git or delete the Canary's status to"
                + " initialize again");
      }
      workloads.initialize(canary, seen);
    } else {
      workloads.services(canary, seen);
    }
    workloads.route(canary, seen, Weights.TOTAL, 0);
    workloads.scaleTarget(canary, seen, 0);
  }

  /**
   * Since when a workload the phase needs has been seen not ready; kept in memory only (after a
   * restart the deadline counts from the restart at the latest, which only ever waits longer).
   */
  private Instant notReadySince(Canary canary, CanaryState state, Observation seen, Instant now) {
    Phase phase = state == null ? Phase.Initializing : state.phase();
    boolean canaryNeeded = phase == Phase.Progressing || phase == Phase.WaitingPromotion;
    boolean unready = !seen.primaryReady() || (canaryNeeded && !seen.canaryReady());
    String key = key(canary);
    if (!unready) {
      unreadySince.remove(key);
      return null;
    }
    return unreadySince.computeIfAbsent(key, k -> now);
  }

  /** Carries out one action; returns the requeue delay for {@link Action.Requeue}, else null. */
  private Duration execute(Canary canary, Observed seen, Action action, String hash)
      throws Exception {
    if (action instanceof Action.InitializePrimary) {
      workloads.initialize(canary, seen);
    } else if (action instanceof Action.ScaleCanaryUp) {
      workloads.scaleTarget(canary, seen, CanaryWorkloads.desiredReplicas(seen));
    } else if (action instanceof Action.ScaleCanaryToZero) {
      workloads.scaleTarget(canary, seen, 0);
    } else if (action instanceof Action.SetWeights weights) {
      workloads.route(canary, seen, weights.primary(), weights.canary(), weights.mirror());
    } else if (action instanceof Action.PromoteToPrimary) {
      workloads.promote(canary, seen);
    } else if (action instanceof Action.NotifyWebhooks notify) {
      runHooks(canary, notify.type(), notify.phase().name(), hash);
    } else if (action instanceof Action.RecordEvent event) {
      record(canary, event, hash);
    } else if (action instanceof Action.Requeue requeue) {
      return requeue.after();
    }
    return null;
  }

  private List<WebhookResult> runHooks(Canary canary, String type, String phase, String hash) {
    CanaryAnalysis analysis = canary.getSpec().effectiveAnalysis();
    List<CanaryAnalysis.Webhook> hooks = analysis == null ? null : analysis.webhooks;
    if (hooks == null || hooks.isEmpty()) {
      return List.of();
    }
    return webhooks.runAll(template(canary, phase, hash), hooks, type);
  }

  private void record(Canary canary, Action.RecordEvent event, String hash) {
    if (Action.RecordEvent.WARNING.equals(event.type())) {
      events.warning(canary, event.reason(), event.message());
    } else {
      events.normal(canary, event.reason(), event.message());
    }
    LOG.infof("canary %s: %s: %s", key(canary), event.reason(), event.message());
    alerts.onEvent(canary, event.reason(), event.message()); // queued: never holds the tick
    CanaryAnalysis analysis = canary.getSpec().effectiveAnalysis();
    if (analysis == null || analysis.webhooks == null) {
      return;
    }
    String phase = canary.getStatus() == null ? "" : canary.getStatus().phase;
    for (CanaryAnalysis.Webhook hook : analysis.webhooks) {
      if (HookSpec.EVENT.equals(hook.type)) {
        webhooks.event(template(canary, phase, hash).withHook(hook), event.type(), event.message());
      }
    }
  }

  private static HookCall template(Canary canary, String phase, String hash) {
    return new HookCall(
        canary.getMetadata().getName(),
        canary.getMetadata().getNamespace(),
        phase,
        hash,
        new CanaryAnalysis.Webhook());
  }

  /** Says what stops the tick in status (once) and as a Warning Event; the state stays. */
  private void problem(Canary canary, String reason, String message, Instant now) {
    CanaryStatus before = canary.getStatus();
    if (message.equals(CanaryStatuses.message(before))) {
      return;
    }
    LOG.warnf("canary %s: %s", key(canary), message);
    events.warning(canary, reason, message);
    write(canary, before, CanaryStatuses.problem(before, reason, message, now));
  }

  private void write(Canary canary, CanaryStatus before, CanaryStatus next) {
    if (before != null && MAPPER.valueToTree(before).equals(MAPPER.valueToTree(next))) {
      return;
    }
    // the status is this controller's alone: a conflict means the spec or metadata changed in
    // between (a sync, kubectl annotate), so the status is written again on the newer object
    String[] seenVersion = new String[1];
    for (int attempt = 1; ; attempt++) {
      try {
        Canary after =
            client
                .resources(Canary.class)
                .inNamespace(canary.getMetadata().getNamespace())
                .withName(canary.getMetadata().getName())
                .editStatus(
                    latest -> {
                      seenVersion[0] = latest.getMetadata().getResourceVersion();
                      latest.setStatus(next);
                      return latest;
                    });
        written.remember(canary, after, seenVersion[0]);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return;
        }
        if (e.getCode() != 409 || attempt >= WRITE_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static Duration shorter(Duration interval) {
    return interval.compareTo(RETRY_AFTER_ERROR) < 0 ? interval : RETRY_AFTER_ERROR;
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String key(Canary canary) {
    return canary.getMetadata().getNamespace() + "/" + canary.getMetadata().getName();
  }
}
