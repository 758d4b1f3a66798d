package dev.mooring.api;

import dev.mooring.controller.AppEvents;
import dev.mooring.model.Pipeline;
import dev.mooring.model.PipelineSpec;
import dev.mooring.model.PipelineStatus;
import dev.mooring.pipeline.PipelineIndex;
import dev.mooring.pipeline.PipelinePlanner;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Pipelines, and the approvals and rejections of their stages' candidates by named tokens. An
 * approval is recorded in the Pipeline's status (who, when, comment, revision), which the pipeline
 * controller reads on its next step; it counts for the candidate it names and no other.
 */
@Path("/api/v1/pipelines")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "pipelines")
public class PipelinesResource {
  static final String DECISION_EXAMPLE = "{\"revision\": \"4f2a9c1\", \"comment\": \"looks good\"}";
  static final String CONFLICT_EXAMPLE =
      "{\"error\": \"Conflict\", \"message\": \"4f2a9c1 is not the candidate of stage production;"
          + " the candidate is 9b0e7d2\"}";

  /** An approval or rejection. */
  public record Decision(String revision, String comment) {}

  private final PipelineIndex index;
  private final KubernetesClient client;
  private final AppEvents events;

  private final ObjectEvents objectEvents;

  public PipelinesResource(
      PipelineIndex index, KubernetesClient client, AppEvents events, ObjectEvents objectEvents) {
    this.index = index;
    this.client = client;
    this.events = events;
    this.objectEvents = objectEvents;
  }

  @GET
  @Path("/{namespace}/{name}/events")
  @Operation(summary = "The Pipeline's Kubernetes Events, oldest first (at most 100)")
  public List<ApiModels.EventView> events(
      @PathParam("namespace") String namespace, @PathParam("name") String name) {
    available();
    find(namespace, name);
    return objectEvents.of("Pipeline", namespace, name);
  }

  @GET
  @Operation(
      summary = "List Pipelines: spec and status (stages, candidates, approvals, quarantine)")
  public List<Pipeline> list() {
    available();
    return index.list();
  }

  @GET
  @Path("/{namespace}/{name}")
  @Operation(summary = "One Pipeline")
  public Pipeline get(@PathParam("namespace") String namespace, @PathParam("name") String name) {
    available();
    return find(namespace, name);
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Path("/{namespace}/{name}/stages/{stage}/approvals")
  @Operation(
      summary = "Approve a stage's candidate as the token's name",
      description =
          "Body {revision, comment?}: the revision must be the stage's current candidate (a short"
              + " sha is enough). The same name twice counts once. 401 without a named token, 403"
              + " for a read-only token or a name not in the stage's approvers, 409 when the"
              + " revision is not the candidate.")
  @APIResponse(
      responseCode = "200",
      description = "the Pipeline with the approval recorded",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema =
                  @org.eclipse.microprofile.openapi.annotations.media.Schema(
                      implementation = Pipeline.class)))
  @APIResponse(
      responseCode = "409",
      description = "not the current candidate",
      content = @Content(examples = @ExampleObject(name = "conflict", value = CONFLICT_EXAMPLE)))
  public Pipeline approve(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("stage") String stage,
      @RequestBody(
              content =
                  @Content(examples = @ExampleObject(name = "approve", value = DECISION_EXAMPLE)))
          Decision body,
      @Context ContainerRequestContext request) {
    return decide(namespace, name, stage, body, request, true);
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Path("/{namespace}/{name}/stages/{stage}/rejections")
  @Operation(
      summary = "Reject a stage's candidate: it is not promoted there, a newer revision is awaited",
      description = "Body {revision, comment?}; the same rules as approvals.")
  public Pipeline reject(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("stage") String stage,
      @RequestBody(
              content =
                  @Content(examples = @ExampleObject(name = "reject", value = DECISION_EXAMPLE)))
          Decision body,
      @Context ContainerRequestContext request) {
    return decide(namespace, name, stage, body, request, false);
  }

  @DELETE
  @Path("/{namespace}/{name}/quarantine/{revision}")
  @Operation(summary = "Lift a revision's quarantine: it may be a candidate again")
  public Pipeline lift(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @PathParam("revision") String revision,
      @Context ContainerRequestContext request) {
    String user = user(request);
    Pipeline lifted =
        write(
            namespace,
            name,
            p -> {
              PipelineStatus st = status(p);
              boolean removed =
                  st.quarantine.removeIf(
                      q -> q.revision != null && q.revision.startsWith(revision));
              if (!removed) {
                throw new ApiError.Failure(
                    404, "NotFound", revision + " is not quarantined in pipeline " + name);
              }
            });
    events.normal(
        lifted,
        "QuarantineLifted",
        user + " lifted the quarantine of " + PipelinePlanner.shortSha(revision));
    return lifted;
  }

  private Pipeline decide(
      String namespace,
      String name,
      String stageName,
      Decision body,
      ContainerRequestContext request,
      boolean approve) {
    String user = user(request);
    if (body == null || body.revision() == null || body.revision().isBlank()) {
      throw ApiError.badRequest("body must be {\"revision\": \"<sha>\", \"comment\": \"...\"}");
    }
    String[] decided = new String[1];
    Pipeline written =
        write(
            namespace,
            name,
            p -> {
              PipelineSpec.Stage stage =
                  p.getSpec().stages.stream()
                      .filter(s -> stageName.equals(s.name))
                      .findFirst()
                      .orElseThrow(
                          () ->
                              new ApiError.Failure(
                                  404,
                                  "NotFound",
                                  "pipeline " + name + " has no stage " + stageName));
              if (approve && !PipelinePlanner.allowed(stage, user)) {
                throw new ApiError.Failure(
                    403,
                    "Forbidden",
                    user
                        + " may not approve stage "
                        + stageName
                        + " (approvers: "
                        + String.join(", ", stage.approvals.approvers)
                        + ")");
              }
              PipelineStatus.StageStatus st =
                  status(p).stages.stream()
                      .filter(s -> stageName.equals(s.name))
                      .findFirst()
                      .orElse(null);
              PipelineStatus.Candidate c = st == null ? null : st.candidate;
              if (c == null || c.revision == null) {
                throw ApiError.conflict("stage " + stageName + " has no candidate now");
              }
              if (!c.revision.startsWith(body.revision().trim())) {
                throw ApiError.conflict(
                    body.revision()
                        + " is not the candidate of stage "
                        + stageName
                        + "; the candidate is "
                        + PipelinePlanner.shortSha(c.revision));
              }
              PipelineStatus.Approval a = new PipelineStatus.Approval();
              a.by = user;
              a.at = Instant.now().toString();
              a.comment = body.comment() == null ? "" : body.comment();
              String comment = a.comment.isBlank() ? "" : ": " + a.comment;
              if (approve) {
                if (c.approvals.stream().noneMatch(x -> user.equals(x.by))) {
                  c.approvals.add(a); // the same name twice counts once
                  decided[0] =
                      user
                          + " approved "
                          + PipelinePlanner.shortSha(c.revision)
                          + " for stage "
                          + stageName
                          + comment;
                }
              } else {
                c.rejectedBy = a;
                PipelineStatus.HistoryEntry h = new PipelineStatus.HistoryEntry();
                h.revision = c.revision;
                h.result = "Rejected";
                h.approvedBy = c.approvals.stream().map(x -> x.by).distinct().toList();
                h.message = "rejected by " + user + " at " + a.at + comment;
                st.history.add(h);
                decided[0] =
                    user
                        + " rejected "
                        + PipelinePlanner.shortSha(c.revision)
                        + " for stage "
                        + stageName
                        + comment;
              }
            });
    if (decided[0] != null) {
      events.normal(written, approve ? "Approved" : "Rejected", decided[0]);
    }
    return written;
  }

  /** Changes a Pipeline's status with the resourceVersion read: 409 when it moved meanwhile. */
  private Pipeline write(
      String namespace, String name, java.util.function.Consumer<Pipeline> change) {
    for (int attempt = 1; ; attempt++) {
      Pipeline p = client.resources(Pipeline.class).inNamespace(namespace).withName(name).get();
      if (p == null || p.getSpec() == null) {
        throw new ApiError.Failure(
            404, "NotFound", "pipeline " + namespace + "/" + name + " not found");
      }
      change.accept(p);
      try {
        return client.resource(p).updateStatus();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 5) {
          throw e;
        }
      }
    }
  }

  private static PipelineStatus status(Pipeline p) {
    if (p.getStatus() == null) {
      p.setStatus(new PipelineStatus());
    }
    return p.getStatus();
  }

  /** The token's name; approvals and rejections need a named token, never anonymous. */
  private static String user(ContainerRequestContext request) {
    Object access = request.getProperty(AccessFilter.ACCESS);
    if (access instanceof Access a && a.user() != null && !"anonymous".equals(a.user())) {
      return a.user();
    }
    throw new ApiError.Failure(
        401, "Unauthorized", "approvals and rejections need a named bearer token");
  }

  private Pipeline find(String namespace, String name) {
    return index
        .get(namespace, name)
        .orElseThrow(
            () ->
                new ApiError.Failure(
                    404, "NotFound", "pipeline " + namespace + "/" + name + " not found"));
  }

  private void available() {
    if (index.problem() != null) {
      throw new ApiError.Failure(503, "Unavailable", index.problem());
    }
  }
}
