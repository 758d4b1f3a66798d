package dev.mooring.api;

import dev.mooring.controller.MooringConfig;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The API's size limits, answered in the contract's JSON error shape: a request target longer than
 * {@code mooring.api.max-uri-length} gets 414 and a body over {@code mooring.api.max-body} gets 413
 * (by its Content-Length, or while it is read when it is chunked). Webhooks have their own limit.
 */
public class RequestLimits {
  private final MooringConfig config;

  public RequestLimits(MooringConfig config) {
    this.config = config;
  }

  @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION - 100)
  public Response check(ContainerRequestContext request) {
    String target = request.getUriInfo().getRequestUri().getRawPath();
    String query = request.getUriInfo().getRequestUri().getRawQuery();
    int length = target.length() + (query == null ? 0 : query.length() + 1);
    int maxUri = config.api().maxUriLength();
    if (length > maxUri) {
      return ApiError.response(
          414,
          "URITooLong",
          "request target of "
              + length
              + " characters, over "
              + maxUri
              + " (mooring.api.max-uri-length)");
    }
    if (!request.getUriInfo().getPath().startsWith("/api/v1")) {
      return null;
    }
    int maxBody = config.api().maxBody();
    String declared = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
    if (declared != null) {
      long size;
      try {
        size = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        return ApiError.response(400, "BadRequest", "Content-Length is not a number");
      }
      if (size > maxBody) {
        return tooLarge(maxBody);
      }
    } else if (request.hasEntity()) {
      request.setEntityStream(new Limited(request.getEntityStream(), maxBody));
    }
    return null;
  }

  static Response tooLarge(int maxBody) {
    return new Limited.TooLarge(maxBody).toResponse();
  }

  /** A chunked body: fails with 413 once more than the limit has been read. */
  private static final class Limited extends FilterInputStream {
    private final int max;
    private long read;

    Limited(InputStream in, int max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    static final class TooLarge extends ApiError.Failure {
      TooLarge(int max) {
        super(413, "PayloadTooLarge", "request body over " + max + " bytes (mooring.api.max-body)");
      }
    }

    private void count(int n) {
      read += n;
      if (read > max) {
        throw new TooLarge(max);
      }
    }
  }
}
