package dev.mooring.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Test only: an endpoint that fails as a bug would, to see what a 500 looks like. */
@Path("/api/v1/test-only/failure")
public class FailingResource {
  @GET
  @Operation(hidden = true)
  public String fail() {
    throw new IllegalStateException("a bug with secret details: hunter2");
  }
}
