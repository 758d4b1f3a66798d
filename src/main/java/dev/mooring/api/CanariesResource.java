package dev.mooring.api;

import dev.mooring.model.Canary;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Canaries with their status and analysis history (every check's value and threshold). */
@Path("/api/v1/canaries")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "canaries")
public class CanariesResource {
  private final CanaryIndex index;
  private final ObjectEvents events;

  public CanariesResource(CanaryIndex index, ObjectEvents events) {
    this.index = index;
    this.events = events;
  }

  @GET
  @Path("/{namespace}/{name}/events")
  @Operation(summary = "The Canary's Kubernetes Events, oldest first (at most 100)")
  public List<ApiModels.EventView> events(
      @PathParam("namespace") String namespace, @PathParam("name") String name) {
    get(namespace, name);
    return events.of("Canary", namespace, name);
  }

  @GET
  @Operation(summary = "List Canaries: spec and status, including analysisHistory")
  public List<Canary> list() {
    available();
    return index.list();
  }

  @GET
  @Path("/{namespace}/{name}")
  @Operation(summary = "One Canary with its analysis history")
  public Canary get(@PathParam("namespace") String namespace, @PathParam("name") String name) {
    available();
    return index
        .get(namespace, name)
        .orElseThrow(
            () ->
                new ApiError.Failure(
                    404, "NotFound", "canary " + namespace + "/" + name + " not found"));
  }

  private void available() {
    if (index.problem() != null) {
      throw new ApiError.Failure(503, "Unavailable", index.problem());
    }
  }
}
