package dev.mooring.pipeline;

import dev.mooring.api.AppIndex;
import dev.mooring.api.InformerIndex;
import dev.mooring.controller.MooringConfig;
import dev.mooring.controller.ReconcileTrigger;
import dev.mooring.model.Pipeline;
import dev.mooring.model.PipelineSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Pipelines from an informer cache: for the API, and for the Application controller, which asks
 * which pipeline stage an Application is and what was promoted to it. A change of a stage's
 * revision reconciles its Application at once.
 */
@ApplicationScoped
public class PipelineIndex extends InformerIndex<Pipeline> {
  private final KubernetesClient client;
  private final MooringConfig config;
  private final ReconcileTrigger trigger;

  /**
   * The stage an Application is.
   *
   * @param revision what the pipeline promoted to it, null before the first promotion
   */
  public record Stage(String pipeline, String stage, String revision) {}

  public PipelineIndex(KubernetesClient client, MooringConfig config, ReconcileTrigger trigger) {
    this.client = client;
    this.config = config;
    this.trigger = trigger;
  }

  void start(@Observes StartupEvent event) {
    onChange(this::promoted);
    start(client, Pipeline.class, AppIndex.watchedNamespaces(config));
  }

  /** Reconciles the Applications whose promoted revision changed. */
  private void promoted(Pipeline before, Pipeline after) {
    Pipeline p = after == null ? before : after;
    if (p == null || p.getSpec() == null || p.getSpec().stages == null) {
      return;
    }
    for (PipelineSpec.Stage s : p.getSpec().stages) {
      if (s == null || s.application == null) {
        continue;
      }
      if (after == null || !Objects.equals(revision(before, s.name), revision(after, s.name))) {
        trigger.trigger(p.getMetadata().getNamespace(), s.application);
      }
    }
  }

  private static String revision(Pipeline p, String stage) {
    if (p == null || p.getStatus() == null) {
      return null;
    }
    return p.getStatus().stages.stream()
        .filter(st -> stage.equals(st.name))
        .findFirst()
        .map(st -> st.revision)
        .orElse(null);
  }

  /**
   * The pipeline stage an Application is: of the pipelines in its namespace that name it, the
   * oldest (then by name) owns it.
   */
  public Optional<Stage> stageOf(String namespace, String application) {
    return list().stream()
        .filter(p -> namespace.equals(p.getMetadata().getNamespace()))
        .filter(p -> stageName(p, application) != null)
        .min(
            Comparator.comparing(
                    (Pipeline p) ->
                        p.getMetadata().getCreationTimestamp() == null
                            ? ""
                            : p.getMetadata().getCreationTimestamp())
                .thenComparing(p -> p.getMetadata().getName()))
        .map(
            p -> {
              String stage = stageName(p, application);
              return new Stage(p.getMetadata().getName(), stage, revision(p, stage));
            });
  }

  private static String stageName(Pipeline p, String application) {
    if (p.getSpec() == null || p.getSpec().stages == null) {
      return null;
    }
    return p.getSpec().stages.stream()
        .filter(s -> s != null && application.equals(s.application))
        .findFirst()
        .map(s -> s.name)
        .orElse(null);
  }

  @PreDestroy
  void close() {
    stop();
  }
}
