package dev.mooring.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/events}: Server-Sent Events of Application, Canary and Pipeline changes, with
 * heartbeats.
 */
@Path("/api/v1/events")
@Tag(name = "events")
public class EventsResource {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final EventStream stream;

  public EventsResource(EventStream stream) {
    this.stream = stream;
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(
      summary =
          "Live changes: events 'application' (sync, health, revision, operation phase),"
              + " 'canary' (phase, weight, failed checks), 'pipeline' (each stage's revision,"
              + " phase, candidate, approvals and what it waits for; quarantined revisions),"
              + " and 'heartbeat' every 15 s")
  public Multi<OutboundSseEvent> events(@Context Sse sse) {
    return stream
        .subscribe()
        .map(
            e ->
                sse.newEventBuilder()
                    .name(e.type())
                    .mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(json(e.data()))
                    .build());
  }

  private static String json(Object data) {
    try {
      return MAPPER.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      return "{}";
    }
  }
}
