package dev.mooring.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.controller.OperationRunner;
import dev.mooring.controller.ReconcileTrigger;
import dev.mooring.diff.ResourceDiff;
import dev.mooring.diff.SecretMasker;
import dev.mooring.model.Application;
import dev.mooring.model.ApplicationStatus;
import dev.mooring.model.Operation;
import dev.mooring.sync.Comparison;
import dev.mooring.sync.ResourceKey;
import dev.mooring.sync.SyncOutcome;
import dev.mooring.sync.SyncPlanner;
import dev.mooring.sync.Tracking;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
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
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The Applications API. Reads come from an informer cache; a sync or rollback is written into the
 * Application's {@code operation} field, which the controller (on whichever replica leads) runs, so
 * that no request is lost to a restart.
 */
@Path("/api/v1/applications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "applications")
public class ApplicationsResource {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String ACCEPTED_EXAMPLE =
      "{\"namespace\": \"mooring\", \"name\": \"guestbook\","
          + " \"operation\": {\"sync\": {\"prune\": true}, \"initiatedBy\": {\"username\": \"alice\"}}}";
  static final String PLAN_EXAMPLE =
      "{\"revision\": \"9f00726c1e4f5b2a0d3c8e7f6a5b4c3d2e1f0a9b\","
          + " \"dryRun\": true, \"resources\": [{\"group\": \"\", \"kind\": \"ConfigMap\","
          + " \"namespace\": \"guestbook\", \"name\": \"settings\", \"action\": \"configured\"}]}";
  static final String CONFLICT_EXAMPLE =
      "{\"error\": \"Conflict\","
          + " \"message\": \"an operation is already running on mooring/guestbook\"}";
  static final String AUTOMATED_EXAMPLE =
      "{\"error\": \"Conflict\", \"message\": \"automated sync"
          + " is enabled: the next auto-sync would undo a rollback. Remove spec.syncPolicy.automated first,"
          + " or revert the commit in Git\"}";

  private final AppIndex index;
  private final KubernetesClient client;
  private final Planning planning;
  private final OperationRunner operations;
  private final ReconcileTrigger trigger;
  private final dev.mooring.controller.MooringConfig config;
  private final ObjectEvents events;

  /**
   * Applications with an operation request in flight on this replica: a second request for one of
   * them gets its 409 at once instead of queueing behind the first one's write.
   */
  private static final Set<String> REQUESTING = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public ApplicationsResource(
      AppIndex index,
      KubernetesClient client,
      Planning planning,
      OperationRunner operations,
      ReconcileTrigger trigger,
      dev.mooring.controller.MooringConfig config,
      ObjectEvents events) {
    this.config = config;
    this.events = events;
    this.index = index;
    this.client = client;
    this.planning = planning;
    this.operations = operations;
    this.trigger = trigger;
  }

  @GET
  @org.eclipse.microprofile.openapi.annotations.Operation(
      summary = "List Applications with repo, revision, sync, health and last operation")
  public List<ApiModels.AppSummary> list() {
    return index.list().stream().map(ApplicationsResource::summary).toList();
  }

  @GET
  @Path("/{namespace}/{name}")
  @org.eclipse.microprofile.openapi.annotations.Operation(
      summary = "One Application: spec, operation and status")
  public Application get(@PathParam("namespace") String namespace, @PathParam("name") String name) {
    return find(namespace, name);
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Path("/{namespace}/{name}/sync")
  @org.eclipse.microprofile.openapi.annotations.Operation(
      summary =
          "Request a sync (202 with the operation), or compute a dry-run plan (200, nothing written)",
      description =
          "Body: {revision?, prune?, dryRun?, resources?: [{group, kind, namespace, name}]}. 409 while an operation runs.")
  @APIResponse(
      responseCode = "202",
      description = "the operation, written into the Application",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ApiModels.Accepted.class),
              examples = @ExampleObject(name = "accepted", value = ACCEPTED_EXAMPLE)))
  @APIResponse(
      responseCode = "200",
      description = "dry run: the plan, nothing written",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ApiModels.DryRunResult.class),
              examples = @ExampleObject(name = "plan", value = PLAN_EXAMPLE)))
  @APIResponse(
      responseCode = "409",
      description = "an operation is pending or running",
      content = @Content(examples = @ExampleObject(name = "conflict", value = CONFLICT_EXAMPLE)))
  public Response sync(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @RequestBody(
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      examples = {
                        @ExampleObject(name = "sync and prune", value = "{\"prune\": true}"),
                        @ExampleObject(
                            name = "dry run of one commit",
                            value = "{\"revision\": \"9f00726c1e4f\", \"dryRun\": true}"),
                        @ExampleObject(
                            name = "one resource",
                            value =
                                "{\"resources\": [{\"group\": \"apps\", \"kind\": \"Deployment\","
                                    + " \"namespace\": \"guestbook\", \"name\": \"web\"}]}")
                      }))
          ApiModels.SyncRequest body,
      @Context ContainerRequestContext request) {
    Application app = find(namespace, name);
    ApiModels.SyncRequest req =
        body == null ? new ApiModels.SyncRequest(null, null, null, null) : body;
    int maxResources = config.api().maxSyncResources();
    if (req.resources() != null && req.resources().size() > maxResources) {
      throw ApiError.badRequest(
          "the request names "
              + req.resources().size()
              + " resources; at most "
              + maxResources
              + " may be named (mooring.api.max-sync-resources): sync them all, or in parts");
    }
    if (Boolean.TRUE.equals(req.dryRun())) {
      return Response.ok(dryRun(app, req)).build();
    }
    Operation op = new Operation();
    op.sync = new Operation.Sync();
    op.sync.revision = blankToNull(req.revision());
    op.sync.prune = req.prune();
    if (req.resources() != null && !req.resources().isEmpty()) {
      op.sync.resources = new ArrayList<>();
      for (ApiModels.ResourceRef r : req.resources()) {
        if (r.kind() == null || r.name() == null) {
          throw ApiError.badRequest("each resource needs at least kind and name");
        }
        Operation.ResourceRef ref = new Operation.ResourceRef();
        ref.group = r.group() == null ? "" : r.group();
        ref.kind = r.kind();
        ref.namespace = r.namespace() == null ? "" : r.namespace();
        ref.name = r.name();
        op.sync.resources.add(ref);
      }
    }
    return accepted(app, op, user(request));
  }

  @POST
  @Path("/{namespace}/{name}/refresh")
  @org.eclipse.microprofile.openapi.annotations.Operation(
      summary = "Fetch Git and compare now; answers with the Application's summary")
  @APIResponse(
      responseCode = "202",
      description = "the summary as it was when the refresh was asked; the event stream follows",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ApiModels.AppSummary.class)))
  public Response refresh(
      @PathParam("namespace") String namespace, @PathParam("name") String name) {
    Application app = find(namespace, name);
    String patch =
        "{\"metadata\":{\"annotations\":{\"" + Tracking.REFRESH + "\":\"" + Instant.now() + "\"}}}";
    resource(app).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    trigger.trigger(namespace, name);
    return Response.accepted(summary(app)).build();
  }

  @GET
  @Path("/{namespace}/{name}/diff")
  @org.eclipse.microprofile.openapi.annotations.Operation(
      summary = "Per resource: desired, live (Secret values masked) and a unified diff")
  public ApiModels.DiffResult diff(
      @PathParam("namespace") String namespace, @PathParam("name") String name) {
    Application app = find(namespace, name);
    Comparison cmp = planning.compare(app, null);
    List<ApiModels.ResourceDiffView> views = new ArrayList<>();
    for (SyncPlanner.Candidate c : cmp.candidates()) {
      ResourceDiff d = cmp.diffs().get(c.key());
      SecretMasker.MaskedPair masked = SecretMasker.maskPair(clean(c.desired()), clean(c.live()));
      views.add(
          new ApiModels.ResourceDiffView(
              c.key().group(),
              c.key().kind(),
              c.key().namespace(),
              c.key().name(),
              c.inSync() ? "Synced" : "OutOfSync",
              masked.left(),
              masked.right(),
              d == null ? "" : d.unifiedDiff()));
    }
    for (SyncPlanner.Orphan o : cmp.orphans()) {
      views.add(
          new ApiModels.ResourceDiffView(
              o.key().group(),
              o.key().kind(),
              o.key().namespace(),
              o.key().name(),
              "OutOfSync",
              null,
              SecretMasker.mask(clean(o.live())),
              "requires pruning"));
    }
    return new ApiModels.DiffResult(cmp.revision(), views);
  }

  @GET
  @Path("/{namespace}/{name}/resources")
  @org.eclipse.microprofile.openapi.annotations.Operation(
      summary = "The managed resources with sync and health")
  public List<ApplicationStatus.ResourceStatus> resources(
      @PathParam("namespace") String namespace, @PathParam("name") String name) {
    Application app = find(namespace, name);
    return app.getStatus() == null ? List.of() : app.getStatus().resources;
  }

  @GET
  @Path("/{namespace}/{name}/events")
  @org.eclipse.microprofile.openapi.annotations.Operation(
      summary = "The Application's Kubernetes Events, oldest first (at most 100)")
  public List<ApiModels.EventView> events(
      @PathParam("namespace") String namespace, @PathParam("name") String name) {
    find(namespace, name);
    return events.of("Application", namespace, name);
  }

  @GET
  @Path("/{namespace}/{name}/history")
  @org.eclipse.microprofile.openapi.annotations.Operation(
      summary = "Deployment history, newest last")
  public List<ApplicationStatus.HistoryEntry> history(
      @PathParam("namespace") String namespace, @PathParam("name") String name) {
    Application app = find(namespace, name);
    return app.getStatus() == null ? List.of() : app.getStatus().history;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Path("/{namespace}/{name}/rollback")
  @org.eclipse.microprofile.openapi.annotations.Operation(
      summary = "Sync to a history entry's revision (409 while automated sync is on)")
  @APIResponse(
      responseCode = "202",
      description = "the rollback operation",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ApiModels.Accepted.class),
              examples = @ExampleObject(name = "accepted", value = ACCEPTED_EXAMPLE)))
  @APIResponse(
      responseCode = "409",
      description = "automated sync is on",
      content = @Content(examples = @ExampleObject(name = "automated", value = AUTOMATED_EXAMPLE)))
  public Response rollback(
      @PathParam("namespace") String namespace,
      @PathParam("name") String name,
      @RequestBody(
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      examples =
                          @ExampleObject(name = "to history entry 3", value = "{\"id\": 3}")))
          ApiModels.RollbackRequest body,
      @Context ContainerRequestContext request) {
    Application app = find(namespace, name);
    if (body == null || body.id() == null) {
      throw ApiError.badRequest("body must be {\"id\": <history id>}");
    }
    if (app.getSpec().syncPolicy != null && app.getSpec().syncPolicy.automated != null) {
      throw ApiError.conflict(
          "automated sync is enabled: the next auto-sync would undo a rollback."
              + " Remove spec.syncPolicy.automated first, or revert the commit in Git");
    }
    ApplicationStatus.HistoryEntry entry =
        app.getStatus() == null
            ? null
            : app.getStatus().history.stream()
                .filter(h -> body.id().equals(h.id))
                .findFirst()
                .orElse(null);
    if (entry == null) {
      throw new ApiError.Failure(404, "NotFound", "no history entry with id " + body.id());
    }
    if (dev.mooring.controller.StatusBuilder.isFailure(entry)) {
      throw ApiError.conflict(
          "history entry "
              + body.id()
              + " is a sync that "
              + entry.result.toLowerCase(java.util.Locale.ROOT)
              + "; roll back to an entry that deployed");
    }
    Operation op = new Operation();
    op.sync = new Operation.Sync();
    op.sync.revision = entry.revision;
    return accepted(app, op, user(request));
  }

  @DELETE
  @Path("/{namespace}/{name}/operation")
  @org.eclipse.microprofile.openapi.annotations.Operation(
      summary = "Stop the running sync before its next write, or withdraw a pending one")
  @APIResponse(
      responseCode = "202",
      description = "the sync stops (operationState says Terminated), or the request is withdrawn",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ApiModels.Accepted.class)))
  public Response terminate(
      @PathParam("namespace") String namespace, @PathParam("name") String name) {
    Application app = find(namespace, name);
    boolean running = running(app);
    if (app.getOperation() == null && !running) {
      throw ApiError.conflict("no operation is in progress");
    }
    operations.terminate(namespace, name);
    if (app.getOperation() != null && !running) {
      try {
        resource(app)
            .patch(
                PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":\"/operation\"}]");
      } catch (KubernetesClientException e) {
        // already picked up by the controller; the terminate flag stops it
      }
    }
    return Response.accepted(new ApiModels.Accepted(namespace, name, null)).build();
  }

  private Response accepted(Application app, Operation op, String user) {
    String key = app.getMetadata().getNamespace() + "/" + app.getMetadata().getName();
    if (!REQUESTING.add(key)) {
      throw ApiError.conflict("an operation is already being requested on " + key);
    }
    try {
      return request(app, op, user);
    } finally {
      REQUESTING.remove(key);
    }
  }

  private Response request(Application app, Operation op, String user) {
    if (app.getOperation() != null || running(app)) {
      throw ApiError.conflict(
          "an operation is already running on "
              + app.getMetadata().getNamespace()
              + "/"
              + app.getMetadata().getName());
    }
    op.initiatedBy = new Operation.InitiatedBy();
    op.initiatedBy.username = user;
    ObjectNode value = MAPPER.valueToTree(op);
    String patch =
        "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":"
            + MAPPER.valueToTree(app.getMetadata().getResourceVersion())
            + "},"
            + "{\"op\":\"add\",\"path\":\"/operation\",\"value\":"
            + value
            + "}]";
    try {
      resource(app).patch(PatchContext.of(PatchType.JSON), patch);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 || e.getCode() == 422) {
        throw ApiError.conflict("the application changed meanwhile; retry");
      }
      throw e;
    }
    trigger.trigger(app.getMetadata().getNamespace(), app.getMetadata().getName());
    return Response.accepted(
            new ApiModels.Accepted(
                app.getMetadata().getNamespace(), app.getMetadata().getName(), value))
        .build();
  }

  private ApiModels.DryRunResult dryRun(Application app, ApiModels.SyncRequest req) {
    Comparison cmp = planning.compare(app, blankToNull(req.revision()));
    Set<ResourceKey> only = new HashSet<>();
    if (req.resources() != null) {
      for (ApiModels.ResourceRef r : req.resources()) {
        only.add(
            new ResourceKey(
                r.group() == null ? "" : r.group(), r.kind(),
                r.namespace() == null ? "" : r.namespace(), r.name()));
      }
    }
    SyncOutcome outcome = operations.dryRun(app, cmp, Boolean.TRUE.equals(req.prune()), only);
    List<ApiModels.PlannedResource> planned = new ArrayList<>();
    for (SyncOutcome.ResourceResult r : outcome.resources()) {
      planned.add(
          new ApiModels.PlannedResource(
              r.key().group(),
              r.key().kind(),
              r.key().namespace(),
              r.key().name(),
              r.action(),
              "dry run".equals(r.message()) ? null : r.message()));
    }
    return new ApiModels.DryRunResult(cmp.revision(), true, planned);
  }

  private Application find(String namespace, String name) {
    return index.get(namespace, name).orElseThrow(() -> ApiError.notFound(namespace, name));
  }

  private io.fabric8.kubernetes.client.dsl.Resource<Application> resource(Application app) {
    return client
        .resources(Application.class)
        .inNamespace(app.getMetadata().getNamespace())
        .withName(app.getMetadata().getName());
  }

  static boolean running(Application app) {
    return app.getStatus() != null
        && app.getStatus().operationState != null
        && "Running".equals(app.getStatus().operationState.phase);
  }

  private static String user(ContainerRequestContext request) {
    Object access = request.getProperty(AccessFilter.ACCESS);
    return access instanceof Access a && a.user() != null ? a.user() : "anonymous";
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Drops what only clutters a diff view: the last-applied copy, managedFields, status. */
  private static ObjectNode clean(ObjectNode object) {
    if (object == null) {
      return null;
    }
    ObjectNode copy = object.deepCopy();
    copy.remove("status");
    ObjectNode meta = copy.with("metadata");
    meta.remove("managedFields");
    if (meta.get("annotations") instanceof ObjectNode annotations) {
      annotations.remove(Tracking.LAST_APPLIED);
      annotations.remove(Tracking.LEGACY_LAST_APPLIED);
    }
    return copy;
  }

  public static ApiModels.AppSummary summary(Application app) {
    ApplicationStatus s = app.getStatus();
    ApiModels.LastOperation last = null;
    if (s != null && s.operationState != null) {
      last =
          new ApiModels.LastOperation(
              s.operationState.phase,
              s.operationState.message,
              s.operationState.startedAt,
              s.operationState.finishedAt,
              s.operationState.syncResult == null ? null : s.operationState.syncResult.revision);
    }
    return new ApiModels.AppSummary(
        app.getMetadata().getNamespace(),
        app.getMetadata().getName(),
        app.getSpec().source == null ? null : app.getSpec().source.repoURL,
        app.getSpec().source == null ? null : app.getSpec().source.path,
        app.getSpec().source == null ? null : app.getSpec().source.targetRevision,
        s == null || s.sync == null ? null : s.sync.revision,
        s == null || s.sync == null ? "Unknown" : s.sync.status,
        s == null || s.health == null ? "Unknown" : s.health.status,
        s == null || s.health == null ? null : s.health.message,
        last,
        s == null || s.sync == null ? null : s.sync.commit,
        problem(s));
  }

  /** Reasons of a Ready=False condition that mean "not there yet" rather than "cannot". */
  private static final Set<String> NOT_YET =
      Set.of("OutOfSync", "Progressing", "Suspended", "Missing", "Unknown", "AwaitingPromotion");

  static ApiModels.Problem problem(ApplicationStatus s) {
    if (s == null || s.conditions == null) {
      return null;
    }
    return s.conditions.stream()
        .filter(c -> "Ready".equals(c.type) && "False".equals(c.status))
        .findFirst()
        .map(
            c ->
                new ApiModels.Problem(
                    c.reason,
                    c.message,
                    c.lastTransitionTime,
                    NOT_YET.contains(c.reason) ? "warning" : "error"))
        .orElse(null);
  }
}
