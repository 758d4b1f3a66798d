package dev.mooring.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Guards {@code /api/v1} and the status page: reads need READ, everything else ADMIN. No or an
 * unknown token that is not enough gets 401, a read-only token asking to write gets 403. Webhooks
 * verify their own signatures and are not guarded here.
 */
public class AccessFilter {
  public static final String ACCESS = "mooring.access";
  private final TokenAuthenticator authenticator;

  public AccessFilter(TokenAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @ServerRequestFilter(preMatching = true)
  public Response check(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    // the API and the status page; not the webhook (signed) nor /q/* (probes, metrics)
    if (!path.startsWith("/api/v1") && !path.equals("/")) {
      return null;
    }
    Access access = authenticator.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION));
    String method = request.getMethod();
    Access.Level needed =
        "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method)
            ? Access.Level.READ
            : Access.Level.ADMIN;
    request.setProperty(ACCESS, access);
    if (access.level().allows(needed)) {
      return null;
    }
    if (access.level() == Access.Level.READ
        && access.user() != null
        && !"anonymous".equals(access.user())) {
      return ApiError.response(403, "Forbidden", "this token is read-only");
    }
    return ApiError.response(
        401,
        "Unauthorized",
        access.user() == null
            ? "unknown or malformed bearer token"
            : "a bearer token with " + needed.name().toLowerCase() + " access is required");
  }
}
