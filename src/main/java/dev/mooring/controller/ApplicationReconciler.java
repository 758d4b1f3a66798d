package dev.mooring.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.cluster.UnknownKindException;
import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.model.ApplicationStatus;
import dev.mooring.model.Operation;
import dev.mooring.render.Manifest;
import dev.mooring.sync.Comparer;
import dev.mooring.sync.Comparison;
import dev.mooring.sync.Tracking;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The Application controller: fetch (shared per repo), render (cached per commit and path), compare
 * against the informer cache, then sync when asked or when automation says so, and write what it
 * found into status. Status is written only when it changed.
 */
@ControllerConfiguration(
    name = "application",
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = ApplicationUpdateFilter.class))
public class ApplicationReconciler implements Reconciler<Application> {
  private static final Logger LOG = Logger.getLogger(ApplicationReconciler.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ReconcileTrigger trigger;
  private final DesiredState desiredState;
  private final Comparer comparer;
  private final OperationRunner operations;
  private final MooringConfig config;
  private final StatusWriter writer;
  private final MeterRegistry registry;
  private final dev.mooring.pipeline.PipelineIndex pipelines;

  public ApplicationReconciler(
      ReconcileTrigger trigger,
      DesiredState desiredState,
      Comparer comparer,
      OperationRunner operations,
      MooringConfig config,
      StatusWriter writer,
      MeterRegistry registry,
      dev.mooring.pipeline.PipelineIndex pipelines) {
    this.pipelines = pipelines;
    this.writer = writer;
    this.registry = registry;
    this.trigger = trigger;
    this.desiredState = desiredState;
    this.comparer = comparer;
    this.operations = operations;
    this.config = config;
  }

  @Override
  public List<EventSource<?, Application>> prepareEventSources(
      EventSourceContext<Application> context) {
    return List.of(trigger.eventSource());
  }

  @Override
  public UpdateControl<Application> reconcile(Application cached, Context<Application> context) {
    Timer.Sample sample = Timer.start(registry);
    try {
      Application app = writer.latest(cached);
      LOG.debugf(
          "reconcile %s/%s (cached version %s, working from %s)",
          cached.getMetadata().getNamespace(),
          cached.getMetadata().getName(),
          cached.getMetadata().getResourceVersion(),
          app.getMetadata().getResourceVersion());
      return reconcileLatest(app);
    } finally {
      sample.stop(registry.timer("mooring.reconcile"));
    }
  }

  private UpdateControl<Application> reconcileLatest(Application app) {
    Instant now = Instant.now();
    ApplicationStatus before = app.getStatus() == null ? new ApplicationStatus() : app.getStatus();
    ApplicationStatus status = MAPPER.convertValue(before, ApplicationStatus.class);
    ApplicationSpec spec = app.getSpec();
    if (spec == null) {
      // a spec that could not be read (a wrong type on a server that does not validate): nothing
      // is compared or applied, and the last good state stays in place
      String message =
          app.unreadable() != null ? app.unreadable() : "spec is missing; nothing is synced";
      LOG.warnf(
          "application %s/%s: %s",
          app.getMetadata().getNamespace(), app.getMetadata().getName(), message);
      StatusBuilder.ready(status, false, "InvalidSpec", message, now);
      writer.write(app, status);
      return UpdateControl.noUpdate();
    }
    Duration interval =
        Durations.parse(spec.refreshInterval, config.git().defaultRefreshInterval());
    Operation operation =
        app.getOperation() != null && app.getOperation().sync != null ? app.getOperation() : null;
    if (app.getOperation() != null && app.getOperation().sync == null) {
      // an operation Mooring cannot run must not block every later request
      operations.comparisonFailed(
          app,
          app.getOperation(),
          status,
          "InvalidOperation",
          "operation has no sync: only sync operations are supported",
          now);
    }
    Duration requeue = interval;

    long t0 = System.nanoTime();
    DesiredState.Result desired = desiredState.load(app, operation);
    long tSource = System.nanoTime();
    long tCompare = tSource;
    String project = spec.project == null ? "" : spec.project.trim();
    StatusBuilder.condition(
        status,
        "Unsupported",
        project.isEmpty() || project.equals("default") ? null : "True",
        "ProjectNotEnforced",
        "spec.project "
            + project
            + " is read but not enforced: Mooring has no projects (their source, destination and"
            + " kind restrictions do not apply)",
        now);
    if (desired.sourceType() != null) {
      status.sourceType = desired.sourceType();
      status.renderedBy = desired.renderedBy();
    }
    dev.mooring.pipeline.PipelineIndex.Stage stage =
        pipelines
            .stageOf(app.getMetadata().getNamespace(), app.getMetadata().getName())
            .orElse(null);
    StatusBuilder.condition(
        status,
        "Pipeline",
        stage == null ? null : "True",
        "Promoted",
        stage == null
            ? ""
            : "syncs what "
                + DesiredState.promotedBy(stage)
                + " promotes"
                + (stage.revision() == null
                    ? " (nothing yet)"
                    : " (" + AutoSyncPolicy.shortSha(stage.revision()) + ")")
                + ", not spec.source.targetRevision",
        now);
    if (desired.error() == null) {
      // what of Git is left out is said on the app, never dropped silently
      StatusBuilder.condition(
          status,
          "RenderNotice",
          desired.notices().isEmpty() ? null : "True",
          "PartlyRendered",
          String.join("; ", desired.notices()),
          now);
    }
    if (desired.error() != null) {
      comparisonError(app, status, desired.errorReason(), desired.error(), operation, now);
    } else {
      try {
        List<ObjectNode> objects = objects(desired.manifests());
        Comparer.Target target = AppTarget.of(app);
        OperationRunner.Recompare recompare =
            () -> comparer.compare(target, desired.revision(), objects);
        Comparison cmp = recompare.get();
        tCompare = System.nanoTime();
        operations.holdForPostDelete(app, hasPostDeleteHooks(cmp));
        if (operation != null) {
          cmp =
              operations.runRequested(
                  app, operation, cmp, status, desired.revision(), now, recompare);
        } else {
          OperationRunner.AutoResult auto =
              operations.runAutomated(app, cmp, status, desired.revision(), now, recompare);
          cmp = auto.comparison();
          if (auto.retryAt() != null) {
            Duration wait = Duration.between(Instant.now(), auto.retryAt());
            requeue = wait.isNegative() ? Duration.ofMillis(100) : wait.plusMillis(50);
          }
        }
        StatusBuilder.applyComparison(status, cmp);
        if (status.sync.commit == null && spec.source != null) {
          status.sync.commit = desiredState.commitInfo(spec.source.repoURL, status.sync.revision);
        }
        String problem = desired.warning();
        boolean ready = cmp.inSync() && "Healthy".equals(status.health.status) && problem == null;
        String reason =
            problem != null
                ? "SourceUnreachable"
                : !cmp.inSync() ? "OutOfSync" : status.health.status;
        String message =
            problem != null
                ? problem
                : !cmp.inSync() ? outOfSyncMessage(status) : status.health.message;
        StatusBuilder.ready(status, ready, ready ? "Synced" : reason, message, now);
      } catch (UnknownKindException e) {
        comparisonError(app, status, "UnknownKind", e.getMessage(), operation, now);
      } catch (dev.mooring.sync.DuplicateObjectException e) {
        comparisonError(app, status, "DuplicateObject", e.getMessage(), operation, now);
      } catch (dev.mooring.cluster.KindUnavailableException e) {
        comparisonError(app, status, "ClusterError", e.getMessage(), operation, now);
      } catch (KubernetesClientException e) {
        // the API server failed us (discovery, a watch, a read): say so and look again later,
        // instead of leaving the app to the operator SDK's retries alone
        LOG.warnf(
            e,
            "application %s/%s: cluster error",
            app.getMetadata().getNamespace(),
            app.getMetadata().getName());
        comparisonError(
            app,
            status,
            "ClusterError",
            "cannot compare with the cluster: " + e.getMessage(),
            null,
            now);
        requeue = Duration.ofSeconds(10).compareTo(requeue) < 0 ? Duration.ofSeconds(10) : requeue;
      }
    }
    long tOperation = System.nanoTime();
    status.observedGeneration = app.getMetadata().getGeneration();
    if (!changed(before, status)) {
      return UpdateControl.<Application>noUpdate().rescheduleAfter(requeue);
    }
    status.reconciledAt = now.toString();
    writer.write(app, status);
    LOG.debugf(
        "reconciled %s/%s: source %d ms, compare %d ms, operation %d ms, status %d ms",
        app.getMetadata().getNamespace(),
        app.getMetadata().getName(),
        (tSource - t0) / 1_000_000,
        (tCompare - tSource) / 1_000_000,
        (tOperation - tCompare) / 1_000_000,
        (System.nanoTime() - tOperation) / 1_000_000);
    return UpdateControl.<Application>noUpdate().rescheduleAfter(requeue);
  }

  static boolean hasPostDeleteHooks(Comparison cmp) {
    return cmp.hooks().stream()
        .anyMatch(h -> h.hook().runsIn(dev.mooring.sync.Hook.Type.PostDelete));
  }

  private void comparisonError(
      Application app,
      ApplicationStatus status,
      String reason,
      String message,
      Operation operation,
      Instant now) {
    LOG.warnf(
        "application %s/%s: %s",
        app.getMetadata().getNamespace(), app.getMetadata().getName(), message);
    operations.comparisonFailed(app, operation, status, reason, message, now);
    if (status.sync == null) {
      status.sync = new ApplicationStatus.SyncInfo();
      status.sync.status = "Unknown";
    }
    if (status.health == null) {
      status.health = new ApplicationStatus.HealthInfo("Unknown", "");
    }
    // the last good state stays applied; only the condition says what is wrong
    StatusBuilder.ready(status, false, reason, message, now);
  }

  private static String outOfSyncMessage(ApplicationStatus status) {
    List<String> names = new ArrayList<>();
    for (ApplicationStatus.ResourceStatus r : status.resources) {
      if (r.message != null) {
        // a refused object first: it blocks the sync, and the message says why
        names.add(
            0,
            r.kind
                + " "
                + (r.namespace == null || r.namespace.isEmpty() ? "" : r.namespace + "/")
                + r.name
                + ": "
                + r.message);
      } else if (!"Synced".equals(r.status)) {
        names.add(
            r.kind
                + " "
                + (r.namespace == null || r.namespace.isEmpty() ? "" : r.namespace + "/")
                + r.name
                + (Boolean.TRUE.equals(r.requiresPruning) ? " (requires pruning)" : ""));
      }
    }
    int shown = Math.min(names.size(), 5);
    return "OutOfSync: "
        + String.join(", ", names.subList(0, shown))
        + (names.size() > shown ? " and " + (names.size() - shown) + " more" : "");
  }

  static List<ObjectNode> objects(List<Manifest> manifests) {
    return manifests.stream().map(Manifest::object).toList();
  }

  private static boolean changed(ApplicationStatus before, ApplicationStatus after) {
    ObjectNode a = MAPPER.valueToTree(before);
    ObjectNode b = MAPPER.valueToTree(after);
    a.remove("reconciledAt");
    b.remove("reconciledAt");
    return !a.equals(b);
  }

  static boolean hasRefreshAnnotation(Application app) {
    return app.getMetadata().getAnnotations() != null
        && app.getMetadata().getAnnotations().containsKey(Tracking.REFRESH);
  }
}
