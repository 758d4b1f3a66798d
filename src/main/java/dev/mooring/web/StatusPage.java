package dev.mooring.web;

import dev.mooring.api.ApiModels;
import dev.mooring.api.AppIndex;
import dev.mooring.api.ApplicationsResource;
import dev.mooring.api.CanaryIndex;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryAnalysis;
import dev.mooring.model.CanarySpec;
import dev.mooring.model.CanaryStatus;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.util.List;

/**
 * The web pages. {@code GET /} is the list of Applications, Canaries and Pipelines, rendered on the
 * server from the informer caches (a first paint with no API round trip) and kept current in the
 * browser by the {@code /api/v1/events} stream. The detail pages are shells: their script reads the
 * same API as any client, with the token the person gives it, and follows the same stream.
 */
@Path("/")
public class StatusPage {
  private final AppIndex index;
  private final CanaryIndex canaries;
  private final dev.mooring.pipeline.PipelineIndex pipelines;

  public StatusPage(
      AppIndex index, CanaryIndex canaries, dev.mooring.pipeline.PipelineIndex pipelines) {
    this.index = index;
    this.canaries = canaries;
    this.pipelines = pipelines;
  }

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance page(
        List<AppRow> apps,
        List<CanaryRow> canaries,
        String canaryProblem,
        List<PipelineRow> pipelines);

    static native TemplateInstance application(String namespace, String name);

    static native TemplateInstance canary(String namespace, String name);

    static native TemplateInstance pipeline(String namespace, String name);
  }

  @GET
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance get() {
    String problem = canaries.problem();
    List<CanaryRow> rows =
        problem == null ? canaries.list().stream().map(CanaryRow::of).toList() : List.of();
    java.time.Instant now = java.time.Instant.now();
    return Templates.page(
        index.list().stream()
            .map(ApplicationsResource::summary)
            .map(s -> AppRow.of(s, now))
            .toList(),
        rows,
        problem,
        pipelines.list().stream().map(PipelineRow::of).toList());
  }

  @GET
  @Path("applications/{namespace}/{name}")
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance application(
      @PathParam("namespace") String namespace, @PathParam("name") String name) {
    return Templates.application(namespace, name);
  }

  @GET
  @Path("canaries/{namespace}/{name}")
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance canary(
      @PathParam("namespace") String namespace, @PathParam("name") String name) {
    return Templates.canary(namespace, name);
  }

  @GET
  @Path("pipelines/{namespace}/{name}")
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance pipeline(
      @PathParam("namespace") String namespace, @PathParam("name") String name) {
    return Templates.pipeline(namespace, name);
  }

  /**
   * One Application as the list shows it.
   *
   * @param shortRevision the first 7 characters of the compared commit
   * @param problemSince e.g. {@code for 5 min}, from the Ready condition's transition time
   */
  public record AppRow(ApiModels.AppSummary app, String shortRevision, String problemSince) {
    static AppRow of(ApiModels.AppSummary app, java.time.Instant now) {
      String since = "";
      if (app.problem() != null && app.problem().since() != null) {
        try {
          since =
              "for "
                  + age(
                      java.time.Duration.between(
                          java.time.Instant.parse(app.problem().since()), now));
        } catch (java.time.format.DateTimeParseException e) {
          since = "";
        }
      }
      String rev = app.revision() == null ? "" : app.revision();
      return new AppRow(app, rev.length() > 7 ? rev.substring(0, 7) : rev, since);
    }
  }

  /** A duration as a person says it: 12 s, 5 min, 3 h, 2 d. */
  public static String age(java.time.Duration d) {
    long s = Math.max(0, d.getSeconds());
    return s < 60
        ? s + " s"
        : s < 3600 ? s / 60 + " min" : s < 86_400 ? s / 3600 + " h" : s / 86_400 + " d";
  }

  /**
   * One Pipeline as the list shows it.
   *
   * @param stages each stage as {@code name: phase (short revision)}
   */
  public record PipelineRow(String namespace, String name, List<String> stages, int quarantined) {
    static PipelineRow of(dev.mooring.model.Pipeline p) {
      List<String> stages = new java.util.ArrayList<>();
      var status = p.getStatus();
      if (status != null) {
        for (var st : status.stages) {
          String rev =
              st.revision == null
                  ? ""
                  : " " + st.revision.substring(0, Math.min(7, st.revision.length()));
          stages.add(st.name + ": " + (st.phase == null ? "Unknown" : st.phase) + rev);
        }
      } else if (p.getSpec() != null) {
        p.getSpec().stages.forEach(st -> stages.add(st.name + ": Unknown"));
      }
      return new PipelineRow(
          p.getMetadata().getNamespace(),
          p.getMetadata().getName(),
          stages,
          status == null ? 0 : status.quarantine.size());
    }
  }

  /**
   * One Canary as the page shows it, every cell already formatted (empty rather than null).
   *
   * @param phase the status phase, {@code Unknown} before the controller wrote one
   * @param weight e.g. {@code 20%}
   * @param threshold failed checks tolerated (the analysis threshold, default 1)
   * @param failed e.g. {@code 1/5}
   * @param lastCheck the newest check: {@code metric value} and ✓ or ✗
   * @param lastCheckClass {@code pass} or {@code fail}
   * @param lastCheckMessage the newest check's message
   * @param message the Promoted condition's message
   */
  public record CanaryRow(
      String namespace,
      String name,
      String target,
      String provider,
      String phase,
      String weight,
      int threshold,
      String failed,
      String lastCheck,
      String lastCheckClass,
      String lastCheckMessage,
      String message) {

    static CanaryRow of(Canary canary) {
      CanarySpec spec = canary.getSpec();
      CanaryStatus status = canary.getStatus();
      CanaryAnalysis analysis = spec == null ? null : spec.effectiveAnalysis();
      int threshold = analysis == null || analysis.threshold == null ? 1 : analysis.threshold;
      String target = spec == null || spec.targetRef == null ? "" : orEmpty(spec.targetRef.name);
      // the router in use as the controller wrote it (spec.provider, or the default setting)
      String provider =
          status != null && status.provider != null
              ? status.provider
              : spec == null || spec.provider == null ? "" : spec.provider;
      String phase = "Unknown";
      String weight = "";
      int failedChecks = 0;
      String lastCheck = "";
      String lastCheckClass = "";
      String lastCheckMessage = "";
      String message = "";
      if (status != null) {
        phase = status.phase == null ? phase : status.phase;
        weight = status.canaryWeight == null ? "" : status.canaryWeight + "%";
        failedChecks = status.failedChecks == null ? 0 : status.failedChecks;
        List<CanaryStatus.AnalysisRecord> history =
            status.analysisHistory == null
                ? List.of()
                : status.analysisHistory.stream().filter(r -> r.webhook == null).toList();
        if (!history.isEmpty()) {
          CanaryStatus.AnalysisRecord last = history.get(history.size() - 1);
          lastCheck =
              orEmpty(last.metric) + " " + number(last.value) + " " + (last.passed ? "✓" : "✗");
          lastCheckClass = last.passed ? "pass" : "fail";
          lastCheckMessage = orEmpty(last.message);
        }
        if (status.conditions != null) {
          message =
              status.conditions.stream()
                  .filter(c -> CanaryStatus.CONDITION_PROMOTED.equals(c.type))
                  .map(c -> orEmpty(c.message))
                  .findFirst()
                  .orElse("");
        }
      }
      return new CanaryRow(
          canary.getMetadata().getNamespace(),
          canary.getMetadata().getName(),
          target,
          provider,
          phase,
          weight,
          threshold,
          failedChecks + "/" + threshold,
          lastCheck,
          lastCheckClass,
          lastCheckMessage,
          message);
    }

    private static String number(Double value) {
      return value == null
          ? "no data"
          : value.isNaN() || value.isInfinite()
              ? value.toString()
              : BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String orEmpty(String s) {
      return s == null ? "" : s;
    }
  }
}
