package dev.mooring.api;

import dev.mooring.model.Application;
import dev.mooring.model.Canary;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Objects;

/**
 * Application (and later Canary) changes as they happen, for the SSE endpoint: one broadcast, fed
 * by the informer, shared by every client. Only changes a person cares about are sent: sync status,
 * health, revision, operation phase.
 */
@ApplicationScoped
public class EventStream {
  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private final BroadcastProcessor<StreamEvent> broadcast = BroadcastProcessor.create();
  private final AppIndex index;
  private final CanaryIndex canaries;

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
      boolean deleted) {}

  /** What a canary event carries. */
  public record CanaryChange(
      String namespace,
      String name,
      String phase,
      Integer canaryWeight,
      Integer failedChecks,
      boolean deleted) {}

  public EventStream(AppIndex index, CanaryIndex canaries) {
    this.index = index;
    this.canaries = canaries;
  }

  void start(@Observes StartupEvent event) {
    index.onChange(this::changed);
    canaries.onChange(this::canaryChanged);
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
        deleted);
  }
}
