package dev.mooring.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The contract's error body: {@code {"error": "...", "message": "..."}}. */
public record ApiError(String error, String message) {

  public static Response response(int status, String error, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(new ApiError(error, message))
        .build();
  }

  /** Thrown by handlers; mapped to the JSON body by {@link ApiExceptionMapper}. */
  public static class Failure extends RuntimeException {
    private final int status;
    private final String error;

    public Failure(int status, String error, String message) {
      super(message);
      this.status = status;
      this.error = error;
    }

    public Response toResponse() {
      return response(status, error, getMessage());
    }
  }

  public static Failure notFound(String namespace, String name) {
    return new Failure(404, "NotFound", "application " + namespace + "/" + name + " not found");
  }

  public static Failure conflict(String message) {
    return new Failure(409, "Conflict", message);
  }

  public static Failure badRequest(String message) {
    return new Failure(400, "BadRequest", message);
  }
}
