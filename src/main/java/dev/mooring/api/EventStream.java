package dev.mooring.api;

import dev.mooring.model.Application;
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

  public EventStream(AppIndex index) {
    this.index = index;
  }

  void start(@Observes StartupEvent event) {
    index.onChange(this::changed);
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
