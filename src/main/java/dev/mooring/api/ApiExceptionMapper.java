package dev.mooring.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every API error becomes the contract's JSON body with the right status. */
public class ApiExceptionMapper {

  @ServerExceptionMapper
  public Response failure(ApiError.Failure failure) {
    return failure.toResponse();
  }

  @ServerExceptionMapper
  public Response badJson(JsonProcessingException e) {
    return ApiError.response(400, "BadRequest", "malformed JSON: " + e.getOriginalMessage());
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    return ApiError.response(
        status,
        Response.Status.fromStatusCode(status) == null
            ? "Error"
            : Response.Status.fromStatusCode(status).getReasonPhrase().replace(" ", ""),
        e.getMessage());
  }
}
