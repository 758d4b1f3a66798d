package dev.mooring.api;

import dev.mooring.controller.MooringConfig;
import dev.mooring.model.Application;
import dev.mooring.webhook.Provider;
import dev.mooring.webhook.WebhookOutcome;
import dev.mooring.webhook.WebhookParser;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/webhook}: Git push events from GitHub, Gitea, Gogs, GitLab, Bitbucket (Cloud and
 * Server) and Mooring's generic HMAC form. Verifies, matches, queues, answers: no Git on the
 * request thread.
 */
@Path("/api/webhook")
@Tag(name = "webhook")
public class WebhookResource {
  private static final Logger LOG = Logger.getLogger(WebhookResource.class);

  private final WebhookSecretsSource secrets;
  private final WebhookDispatcher dispatcher;
  private final MooringConfig config;
  private final MeterRegistry registry;

  /** The answer: which Applications will refresh. */
  public record WebhookAnswer(
      String provider, String deliveryId, List<String> applications, String message) {}

  public WebhookResource(
      WebhookSecretsSource secrets,
      WebhookDispatcher dispatcher,
      MooringConfig config,
      MeterRegistry registry) {
    this.secrets = secrets;
    this.dispatcher = dispatcher;
    this.config = config;
    this.registry = registry;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Receive a Git push event",
      description =
          "Provider detected from headers. 202 with the refreshed Applications; 200 with an"
              + " empty list for pings and unrelated events; 400 malformed; 401 bad signature; 413 too large.")
  @APIResponse(
      responseCode = "202",
      description = "the Applications that will refresh",
      content =
          @Content(
              examples =
                  @ExampleObject(
                      name = "refreshing",
                      value =
                          "{\"provider\": \"github\", \"deliveryId\": \"72d3162e-cc78-11e3-81ab-4c9367dc0958\","
                              + " \"applications\": [\"mooring/guestbook\"], \"message\": \"refreshing\"}")))
  @APIResponse(
      responseCode = "401",
      description = "missing or bad signature",
      content =
          @Content(
              examples =
                  @ExampleObject(
                      name = "unauthorized",
                      value =
                          "{\"error\": \"unauthorized\", \"message\": \"signature does not match\"}")))
  public Response receive(
      @RequestBody(
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON,
                      examples =
                          @ExampleObject(
                              name = "generic push (header X-Mooring-Signature: sha256=<hmac>)",
                              value =
                                  "{\"repoURL\": \"https://git.example.com/org/repo.git\", \"ref\": \"refs/heads/main\","
                                      + " \"after\": \"9f00726c1e4f5b2a0d3c8e7f6a5b4c3d2e1f0a9b\"}")))
          InputStream body,
      @Context HttpHeaders headers) {
    long received = System.nanoTime();
    String provider =
        WebhookParser.detect(headers::getHeaderString).map(Provider::configKey).orElse("unknown");
    byte[] bytes;
    try {
      bytes = readLimited(body, config.webhook().maxPayload());
    } catch (IOException e) {
      return count(
          provider, "malformed", ApiError.response(400, "BadRequest", "cannot read the body"));
    }
    if (bytes == null) {
      return count(
          provider,
          "too-large",
          ApiError.response(
              413,
              "PayloadTooLarge",
              "payload over "
                  + config.webhook().maxPayload()
                  + " bytes (mooring.webhook.max-payload)"));
    }
    WebhookOutcome outcome =
        new WebhookParser(secrets.secrets()).parse(headers::getHeaderString, bytes);
    if (outcome instanceof WebhookOutcome.Rejected r) {
      LOG.infof("webhook from %s rejected: %d %s", provider, r.status(), r.message());
      return count(
          provider,
          r.status() == 401 ? "unauthorized" : "malformed",
          ApiError.response(r.status(), r.error(), r.message()));
    }
    if (outcome instanceof WebhookOutcome.Ignored i) {
      return count(
          provider,
          "ignored",
          Response.ok(new WebhookAnswer(provider, i.deliveryId(), List.of(), i.reason())).build());
    }
    var push = ((WebhookOutcome.Push) outcome).event();
    List<Application> apps = dispatcher.match(push);
    dispatcher.dispatch(push, apps, received);
    List<String> names =
        apps.stream()
            .map(a -> a.getMetadata().getNamespace() + "/" + a.getMetadata().getName())
            .toList();
    LOG.infof(
        "webhook %s delivery %s: push to %s refreshes %d application(s)",
        provider, push.deliveryId(), push.ref(), names.size());
    return count(
        provider,
        names.isEmpty() ? "no-match" : "accepted",
        Response.status(202)
            .entity(
                new WebhookAnswer(
                    provider,
                    push.deliveryId(),
                    names,
                    names.isEmpty()
                        ? "no application uses this repository, ref and path"
                        : "refreshing"))
            .build());
  }

  private Response count(String provider, String outcome, Response response) {
    registry
        .counter("mooring.webhook.requests", "provider", provider, "outcome", outcome)
        .increment();
    return response;
  }

  /** The body, or null when it is longer than {@code limit}. */
  static byte[] readLimited(InputStream in, int limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 64 * 1024));
    byte[] buffer = new byte[16 * 1024];
    int total = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      total += n;
      if (total > limit) {
        return null;
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }
}
