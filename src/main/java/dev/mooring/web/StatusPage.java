package dev.mooring.web;

import dev.mooring.api.ApiModels;
import dev.mooring.api.AppIndex;
import dev.mooring.api.ApplicationsResource;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /}: the web status page. Rendered on the server from the informer cache, then kept
 * current in the browser by the {@code /api/v1/events} stream; it reads the same API as scripts.
 */
@Path("/")
public class StatusPage {
  private final AppIndex index;

  public StatusPage(AppIndex index) {
    this.index = index;
  }

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance page(List<ApiModels.AppSummary> apps);
  }

  @GET
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance get() {
    return Templates.page(index.list().stream().map(ApplicationsResource::summary).toList());
  }
}
