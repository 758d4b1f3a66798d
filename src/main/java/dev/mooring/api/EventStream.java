package dev.mooring.api;

import dev.mooring.model.Application;
import dev.mooring.model.Canary;
import dev.mooring.model.Pipeline;
import dev.mooring.model.PipelineStatus;
import dev.mooring.pipeline.PipelineIndex;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Application, Canary and Pipeline changes as they happen, for the SSE endpoint: one broadcast, fed
 * by the informer, shared by every client. Only changes a person cares about are sent: sync status,
 * health, revision, operation phase.
 */
@ApplicationScoped
public class EventStream {
  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final BroadcastProcessor<StreamEvent> broadcast = BroadcastProcessor.create();
  private final AppIndex index;
  private final CanaryIndex canaries;
  private final PipelineIndex pipelines;

  /** One event: its SSE name and JSON payload. */
  public record StreamEvent(String type, Object data) {}

  /** What an application event carries. */
  public record AppChange(
      String namespace,
      String name,
      String sync,
      String health,
      String healthMessage,
      String revision,
      String operationPhase,
      String operationMessage,
      ApplicationStatusCommit commit,
      ApiModels.Problem problem,
      boolean deleted) {}

  /** The compared commit, as the page shows it. */
  public record ApplicationStatusCommit(String subject, String author, String date) {}

  /** What a canary event carries. */
  public record CanaryChange(
      String namespace,
      String name,
      String phase,
      Integer canaryWeight,
      Integer failedChecks,
      String lastCheck,
      boolean deleted) {}

  /** What a pipeline event carries: each stage's revision, phase, candidate and approvals. */
  public record PipelineChange(
      String namespace,
      String name,
      List<StageChange> stages,
      List<String> quarantined,
      boolean deleted) {}

  /** One stage of a pipeline event. */
  public record StageChange(
      String name,
      String revision,
      String phase,
      String candidate,
      List<String> approvedBy,
      String waitingFor) {}

  public EventStream(AppIndex index, CanaryIndex canaries, PipelineIndex pipelines) {
    this.index = index;
    this.canaries = canaries;
    this.pipelines = pipelines;
  }

  void start(@Observes StartupEvent event) {
    index.onChange(this::changed);
    canaries.onChange(this::canaryChanged);
    pipelines.onChange(this::pipelineChanged);
  }

  void pipelineChanged(Pipeline before, Pipeline after) {
    PipelineChange previous = before == null ? null : pipelineChange(before, false);
    PipelineChange current =
        after == null ? pipelineChange(before, true) : pipelineChange(after, false);
    if (!Objects.equals(previous, current)) {
      broadcast.onNext(new StreamEvent("pipeline", current));
    }
  }

  static PipelineChange pipelineChange(Pipeline p, boolean deleted) {
    PipelineStatus s = p.getStatus();
    List<StageChange> stages = new ArrayList<>();
    List<String> quarantined = new ArrayList<>();
    if (s != null) {
      for (PipelineStatus.StageStatus st : s.stages) {
        stages.add(
            new StageChange(
                st.name,
                st.revision,
                st.phase,
                st.candidate == null ? null : st.candidate.revision,
                st.candidate == null
                    ? List.of()
                    : st.candidate.approvals.stream().map(a -> a.by).distinct().toList(),
                st.waitingFor));
      }
      s.quarantine.forEach(q -> quarantined.add(q.revision));
    }
    return new PipelineChange(
        p.getMetadata().getNamespace(), p.getMetadata().getName(), stages, quarantined, deleted);
  }

  void canaryChanged(Canary before, Canary after) {
    CanaryChange previous = before == null ? null : canaryChange(before, false);
    CanaryChange current = after == null ? canaryChange(before, true) : canaryChange(after, false);
    if (!Objects.equals(previous, current)) {
      broadcast.onNext(new StreamEvent("canary", current));
    }
  }

  static CanaryChange canaryChange(Canary c, boolean deleted) {
    var s = c.getStatus();
    return new CanaryChange(
        c.getMetadata().getNamespace(),
        c.getMetadata().getName(),
        s == null ? null : s.phase,
        s == null ? null : s.canaryWeight,
        s == null ? null : s.failedChecks,
        s == null || s.analysisHistory == null || s.analysisHistory.isEmpty()
            ? null
            : s.analysisHistory.get(s.analysisHistory.size() - 1).time,
        deleted);
  }

  /** Events from now on, with a heartbeat so proxies keep the connection open. */
  public Multi<StreamEvent> subscribe() {
    Multi<StreamEvent> heartbeats =
        Multi.createFrom().ticks().every(HEARTBEAT).map(t -> new StreamEvent("heartbeat", t));
    return Multi.createBy().merging().streams(broadcast, heartbeats);
  }

  void changed(Application before, Application after) {
    AppChange previous = before == null ? null : change(before, false);
    AppChange current = after == null ? change(before, true) : change(after, false);
    if (!Objects.equals(previous, current)) {
      broadcast.onNext(new StreamEvent("application", current));
    }
  }

  static AppChange change(Application app, boolean deleted) {
    ApiModels.AppSummary s = ApplicationsResource.summary(app);
    return new AppChange(
        s.namespace(),
        s.name(),
        s.sync(),
        s.health(),
        s.healthMessage(),
        s.revision(),
        s.lastOperation() == null ? null : s.lastOperation().phase(),
        s.lastOperation() == null ? null : s.lastOperation().message(),
        s.commit() == null
            ? null
            : new ApplicationStatusCommit(s.commit().subject, s.commit().author, s.commit().date),
        s.problem(),
        deleted);
  }
}
