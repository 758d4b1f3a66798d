package dev.mooring.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every API error becomes the contract's JSON body with the right status: a typo'd field or a value
 * of the wrong type is a 400 that names the field, never a request silently run without it.
 */
public class ApiExceptionMapper {
  private static final Logger LOG = Logger.getLogger(ApiExceptionMapper.class);

  @ServerExceptionMapper
  public Response failure(ApiError.Failure failure) {
    return failure.toResponse();
  }

  @ServerExceptionMapper
  public Response unknownField(UnrecognizedPropertyException e) {
    List<String> known =
        e.getKnownPropertyIds() == null
            ? List.of()
            : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
    return ApiError.response(
        400,
        "BadRequest",
        "unknown field \""
            + field(e)
            + "\""
            + (known.isEmpty() ? "" : "; the fields are " + String.join(", ", known)));
  }

  @ServerExceptionMapper
  public Response mismatched(MismatchedInputException e) {
    if (e.getCause() != null) {
      return badJson(e);
    }
    String where = field(e);
    String expected = e.getTargetType() == null ? "another type" : typeName(e.getTargetType());
    return ApiError.response(
        400,
        "BadRequest",
        where.isEmpty()
            ? "the body must be " + expected
            : "field \"" + where + "\" must be " + expected);
  }

  @ServerExceptionMapper
  public Response badJson(JsonProcessingException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ApiError.Failure f) {
        return f.toResponse(); // a chunked body over the limit, stopped while it was parsed
      }
    }
    return ApiError.response(400, "BadRequest", "malformed JSON: " + e.getOriginalMessage());
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    if (e.getCause() instanceof JsonProcessingException json) {
      return json instanceof MismatchedInputException m ? mismatched(m) : badJson(json);
    }
    return ApiError.response(
        status,
        Response.Status.fromStatusCode(status) == null
            ? "Error"
            : Response.Status.fromStatusCode(status).getReasonPhrase().replace(" ", ""),
        e.getMessage());
  }

  /** Anything unexpected: logged with an id, answered as JSON with that id and no details. */
  @ServerExceptionMapper
  public Response unexpected(RuntimeException e) {
    if (e instanceof ApiError.Failure f) {
      return f.toResponse();
    }
    if (e instanceof WebApplicationException w) {
      return web(w);
    }
    String id = UUID.randomUUID().toString().substring(0, 8);
    LOG.errorf(e, "request failed (error %s)", id);
    return ApiError.response(
        500, "InternalError", "the request failed unexpectedly; the log has error " + id);
  }

  private static String field(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  private static String typeName(Class<?> type) {
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    return "an object";
  }
}
