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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.util.List;

/**
 * {@code GET /}: the web status page. Rendered on the server from the informer caches, then kept
 * current in the browser by the {@code /api/v1/events} stream; it reads the same API as scripts.
 */
@Path("/")
public class StatusPage {
  private final AppIndex index;
  private final CanaryIndex canaries;

  public StatusPage(AppIndex index, CanaryIndex canaries) {
    this.index = index;
    this.canaries = canaries;
  }

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance page(
        List<ApiModels.AppSummary> apps, List<CanaryRow> canaries, String canaryProblem);
  }

  @GET
  @Produces(MediaType.TEXT_HTML)
  public TemplateInstance get() {
    String problem = canaries.problem();
    List<CanaryRow> rows =
        problem == null ? canaries.list().stream().map(CanaryRow::of).toList() : List.of();
    return Templates.page(
        index.list().stream().map(ApplicationsResource::summary).toList(), rows, problem);
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
      String provider = spec == null || spec.provider == null ? "kubernetes" : spec.provider;
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
        List<CanaryStatus.AnalysisRecord> history = status.analysisHistory;
        if (history != null && !history.isEmpty()) {
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
