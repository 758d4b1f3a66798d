package dev.mooring.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.api.AppIndex;
import dev.mooring.api.CanaryIndex;
import dev.mooring.cluster.Secrets;
import dev.mooring.controller.AppEvents;
import dev.mooring.model.Application;
import dev.mooring.model.ApplicationStatus;
import dev.mooring.model.Canary;
import dev.mooring.model.Pipeline;
import dev.mooring.model.PipelineSpec;
import dev.mooring.model.PipelineStatus;
import dev.mooring.source.GitSource;
import dev.mooring.source.RepoCredentials;
import dev.mooring.source.SourceException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The Pipeline controller: every few seconds (and whenever the Pipeline changes) it reads the
 * branch's commit from the shared Git mirror, the stage Applications and Canaries from the informer
 * indexes, lets {@link PipelinePlanner} decide, and writes the status, where each stage's promoted
 * revision is: the Application controller syncs a stage Application to it instead of its {@code
 * targetRevision} ({@link PipelineIndex#stageOf}). Everything lives in the status, so a restarted
 * controller goes on where it was.
 */
@ControllerConfiguration(name = "pipeline")
public class PipelineReconciler implements Reconciler<Pipeline> {
  private static final Logger LOG = Logger.getLogger(PipelineReconciler.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final Duration EVERY = Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final AppIndex apps;
  private final CanaryIndex canaries;
  private final GitSource git;
  private final AppEvents events;
  private final PipelineIndex pipelines;
  private final PipelineNotifier notifier;
  private final MeterRegistry registry;

  public PipelineReconciler(
      KubernetesClient client,
      AppIndex apps,
      CanaryIndex canaries,
      GitSource git,
      AppEvents events,
      PipelineIndex pipelines,
      PipelineNotifier notifier,
      MeterRegistry registry) {
    this.registry = registry;
    this.pipelines = pipelines;
    this.notifier = notifier;
    this.client = client;
    this.apps = apps;
    this.canaries = canaries;
    this.git = git;
    this.events = events;
  }

  @Override
  public UpdateControl<Pipeline> reconcile(Pipeline cached, Context<Pipeline> context) {
    try {
      step(cached);
    } catch (KubernetesClientException e) {
      // a conflict with an approval written meanwhile, or the API server away: the next step
      LOG.debugf(
          "pipeline %s/%s: %s",
          cached.getMetadata().getNamespace(), cached.getMetadata().getName(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.warnf(
          e,
          "pipeline %s/%s: step failed",
          cached.getMetadata().getNamespace(),
          cached.getMetadata().getName());
    }
    return UpdateControl.<Pipeline>noUpdate().rescheduleAfter(EVERY);
  }

  private void step(Pipeline cached) {
    String ns = cached.getMetadata().getNamespace();
    String name = cached.getMetadata().getName();
    // the status from the server, not the cache: an approval may have just been written
    Pipeline pipeline = client.resources(Pipeline.class).inNamespace(ns).withName(name).get();
    if (pipeline == null || pipeline.getSpec() == null) {
      return;
    }
    PipelineSpec spec = pipeline.getSpec();
    Instant now = Instant.now();
    PipelinePlanner.Observation obs = observe(pipeline);
    PipelinePlanner.Result result = PipelinePlanner.step(spec, pipeline.getStatus(), obs, ns, now);
    // what it promotes is in its status: the stage Applications read it from there
    PipelineStatus status = result.status();
    List<PipelinePlanner.Notice> notices = new ArrayList<>(result.notices());
    for (PipelinePlanner.Revert r : result.reverts()) {
      notices.add(revert(pipeline, status, r));
    }
    ApplicationStatus.Condition before =
        status.conditions.stream().filter(c -> "Ready".equals(c.type)).findFirst().orElse(null);
    ApplicationStatus.Condition ready = PipelinePlanner.ready(result, before, now);
    if (result.problem() != null && (before == null || !result.problem().equals(before.message))) {
      events.warning(pipeline, "InvalidPipeline", result.problem());
    }
    status.conditions.removeIf(c -> "Ready".equals(c.type));
    status.conditions.add(ready);
    // what earlier versions said they did not do (notifications, revert commits) they now do
    status.conditions.removeIf(c -> "Unsupported".equals(c.type));
    status.observedGeneration = pipeline.getMetadata().getGeneration();
    if (!MAPPER.valueToTree(status).equals(MAPPER.valueToTree(pipeline.getStatus()))) {
      pipeline.setStatus(status);
      // optimistic: an approval written since the read makes this a 409, and the next step
      // starts from it, deciding (and telling) the same again
      client.resource(pipeline).updateStatus();
    }
    // told once the status holds it: a step lost to a conflict tells nothing
    for (PipelinePlanner.Notice n : notices) {
      if (n.warning()) {
        events.warning(pipeline, n.reason(), n.message());
      } else {
        events.normal(pipeline, n.reason(), n.message());
      }
      LOG.infof("pipeline %s/%s: %s", ns, name, n.message());
      Counter.builder("mooring.pipeline.events")
          .description("Pipeline stage events: promotions, approvals awaited, failures, rollbacks")
          .tag("event", n.reason())
          .register(registry)
          .increment();
    }
    notifier.notify(pipeline, notices);
  }

  /**
   * Pushes the revert commit of a failed revision ({@code onFailure.revertCommit}) and records the
   * outcome on its quarantine entry. A revert that cannot be pushed is reported; the rollback
   * stands either way. Done again after a lost status write, it finds its first commit on the
   * branch (by its trailer) and pushes nothing.
   */
  private PipelinePlanner.Notice revert(
      Pipeline pipeline, PipelineStatus status, PipelinePlanner.Revert r) {
    String ns = pipeline.getMetadata().getNamespace();
    String id = ns + "/" + pipeline.getMetadata().getName();
    PipelineSpec spec = pipeline.getSpec();
    PipelineStatus.Quarantined q =
        status.quarantine.stream().filter(x -> r.bad().equals(x.revision)).findFirst().orElse(null);
    String shortBad = PipelinePlanner.shortSha(r.bad());
    try {
      Map<String, String> secret = Map.of();
      PipelineSpec.SecretRef ref = spec.onFailure.pushSecretRef;
      if (ref != null && ref.name != null && !ref.name.isBlank()) {
        secret =
            Secrets.read(client, ns, ref.name)
                .orElseThrow(
                    () ->
                        new SourceException(
                            SourceException.Reason.AuthFailed,
                            "Secret "
                                + ns
                                + "/"
                                + ref.name
                                + " (onFailure.pushSecretRef) not found"));
      }
      String message =
          "Pipeline "
              + id
              + ", stage "
              + r.stage()
              + ": "
              + r.bad()
              + " failed: "
              + r.why()
              + ".\n"
              + (r.good() == null
                  ? "This reverts commit " + r.bad() + "."
                  : "This reverts the change from "
                      + r.good()
                      + " (the stage's last good revision) to "
                      + r.bad()
                      + ".");
      GitSource.RevertResult done =
          git.revert(
              spec.source.repoURL,
              RepoCredentials.fromSecretData(secret),
              new GitSource.RevertRequest(
                  branch(spec.source.targetRevision),
                  r.bad(),
                  r.good(),
                  message,
                  secret.getOrDefault("authorName", "Mooring"),
                  secret.getOrDefault("authorEmail", "mooring@mooring.dev")));
      if (q != null) {
        q.revertCommit = done.commit();
        q.revertMessage = done.message();
      }
      return new PipelinePlanner.Notice(
          done.nothingPushed() ? "RevertNotNeeded" : "RevertPushed",
          "stage "
              + r.stage()
              + ": "
              + (done.nothingPushed()
                  ? "no revert commit of " + shortBad + " pushed: " + done.message()
                  : "revert commit "
                      + PipelinePlanner.shortSha(done.commit())
                      + " of "
                      + shortBad
                      + " pushed to "
                      + (branch(spec.source.targetRevision) == null
                          ? "the default branch"
                          : branch(spec.source.targetRevision))),
          false,
          r.stage(),
          r.bad());
    } catch (SourceException | RuntimeException e) {
      // whatever goes wrong with the push, the rollback in this step's status stands
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (q != null) {
        q.revertMessage = "not pushed: " + why;
      }
      return new PipelinePlanner.Notice(
          "RevertFailed",
          "stage "
              + r.stage()
              + ": the revert commit of "
              + shortBad
              + " could not be pushed (the rollback stands): "
              + why,
          true,
          r.stage(),
          r.bad());
    }
  }

  /** {@code main} for {@code main} or {@code refs/heads/main}; null for the remote HEAD's. */
  private static String branch(String targetRevision) {
    if (targetRevision == null || targetRevision.isBlank() || "HEAD".equals(targetRevision)) {
      return null;
    }
    return targetRevision.startsWith("refs/heads/")
        ? targetRevision.substring("refs/heads/".length())
        : targetRevision;
  }

  private PipelinePlanner.Observation observe(Pipeline pipeline) {
    String ns = pipeline.getMetadata().getNamespace();
    PipelineSpec spec = pipeline.getSpec();
    String head = null;
    String headProblem = null;
    if (spec.source != null && spec.source.repoURL != null) {
      try {
        String wanted = spec.source.targetRevision == null ? "" : spec.source.targetRevision;
        head = git.resolve(spec.source.repoURL, wanted);
      } catch (SourceException | RuntimeException e) {
        headProblem = e.getMessage() + " (the repository is fetched for the stage Applications)";
      }
    }
    Map<String, PipelinePlanner.App> stageApps = new HashMap<>();
    Map<String, Map<String, PipelinePlanner.CanaryView>> stageCanaries = new HashMap<>();
    for (PipelineSpec.Stage s : spec.stages == null ? List.<PipelineSpec.Stage>of() : spec.stages) {
      if (s == null || s.application == null) {
        continue;
      }
      Application app = apps.get(ns, s.application).orElse(null);
      if (app == null) {
        continue;
      }
      ApplicationStatus st = app.getStatus();
      stageApps.put(
          s.application,
          new PipelinePlanner.App(
              app.getSpec() == null || app.getSpec().source == null
                  ? null
                  : app.getSpec().source.repoURL,
              pipelines.stageOf(ns, s.application).map(PipelineIndex.Stage::pipeline).orElse(null),
              st == null || st.sync == null ? null : st.sync.status,
              st == null || st.sync == null ? null : st.sync.revision,
              st == null || st.health == null ? null : st.health.status,
              st == null || st.health == null ? null : st.health.message));
      if (s.analysis != null && s.analysis.canaries != null) {
        String canaryNs =
            app.getSpec().destination != null && app.getSpec().destination.namespace != null
                ? app.getSpec().destination.namespace
                : ns;
        Map<String, PipelinePlanner.CanaryView> views = new HashMap<>();
        for (String c : s.analysis.canaries) {
          canaries.get(canaryNs, c).ifPresent(canary -> views.put(c, view(c, canary)));
        }
        stageCanaries.put(s.name, views);
      }
    }
    return new PipelinePlanner.Observation(
        ns + "/" + pipeline.getMetadata().getName(), head, headProblem, stageApps, stageCanaries);
  }

  private static PipelinePlanner.CanaryView view(String name, Canary canary) {
    var st = canary.getStatus();
    Integer max =
        canary.getSpec() == null || canary.getSpec().analysis == null
            ? null
            : canary.getSpec().analysis.maxWeight;
    Instant at = null;
    if (st != null && st.lastTransitionTime != null) {
      try {
        at = Instant.parse(st.lastTransitionTime);
      } catch (RuntimeException e) {
        at = null;
      }
    }
    String message = null;
    if (st != null && st.conditions != null) {
      message =
          st.conditions.stream()
              .filter(c -> "Promoted".equals(c.type))
              .findFirst()
              .map(c -> c.message)
              .orElse(null);
    }
    String interval =
        canary.getSpec() == null || canary.getSpec().analysis == null
            ? null
            : canary.getSpec().analysis.interval;
    return new PipelinePlanner.CanaryView(
        name,
        st == null ? null : st.phase,
        st == null ? null : st.canaryWeight,
        max,
        at,
        message,
        dev.mooring.controller.Durations.parse(interval, Duration.ofMinutes(1)));
  }
}
