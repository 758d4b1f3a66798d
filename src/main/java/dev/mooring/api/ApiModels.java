package dev.mooring.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Request and response bodies of the REST API. */
public final class ApiModels {
  private ApiModels() {}

  /** One line of the application list. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AppSummary(
      String namespace,
      String name,
      String repo,
      String path,
      String targetRevision,
      String revision,
      String sync,
      String health,
      String healthMessage,
      LastOperation lastOperation,
      dev.mooring.model.ApplicationStatus.CommitInfo commit,
      Problem problem) {}

  /**
   * Why an Application is not Ready, from its {@code Ready=False} condition.
   *
   * @param reason the condition's reason: SourceError, RenderError, OutOfSync, Degraded, ...
   * @param since when it became not Ready (RFC 3339)
   * @param severity {@code error} when Mooring cannot do its job (the source, the render, the
   *     cluster, the spec), {@code warning} while it is just not there yet (OutOfSync, Progressing)
   */
  public record Problem(String reason, String message, String since, String severity) {}

  /** The last (or running) operation of an application. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record LastOperation(
      String phase, String message, String startedAt, String finishedAt, String revision) {}

  /** Selects one resource, as in the contract. */
  public record ResourceRef(String group, String kind, String namespace, String name) {}

  /** Body of POST .../sync; every field optional; an unknown field is a 400. */
  public record SyncRequest(
      String revision, Boolean prune, Boolean dryRun, List<ResourceRef> resources) {}

  /** Body of POST .../rollback. */
  public record RollbackRequest(Long id) {}

  /** What a (dry-run) plan does to one resource. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PlannedResource(
      String group, String kind, String namespace, String name, String action, String message) {}

  /** The answer to a dry-run sync: the plan, nothing written. */
  public record DryRunResult(String revision, boolean dryRun, List<PlannedResource> resources) {}

  /** The answer to an accepted sync or rollback: the operation as written. */
  public record Accepted(String namespace, String name, JsonNode operation) {}

  /** One resource of GET .../diff. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ResourceDiffView(
      String group,
      String kind,
      String namespace,
      String name,
      String status,
      JsonNode desired,
      JsonNode live,
      String diff) {}

  /** One Kubernetes Event of an object. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EventView(
      String type,
      String reason,
      String message,
      Integer count,
      String firstTimestamp,
      String lastTimestamp) {}

  /** GET .../diff. */
  public record DiffResult(String revision, List<ResourceDiffView> resources) {}
}
