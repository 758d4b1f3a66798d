package dev.mooring.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Map;

/**
 * What a Canary delivers and how: Flagger's CanarySpec field for field. Wrapper types (Integer,
 * Boolean) keep "not written" apart from "written as the default", so a round trip changes nothing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanarySpec {
  /** Traffic provider: {@code kubernetes}, {@code nginx} or {@code gatewayapi}. */
  public String provider;

  /** Overrides the default metrics server (Prometheus address) for this Canary. */
  public String metricsServer;

  /** The workload delivered, usually a {@code apps/v1} Deployment. */
  @Required public ObjectRef targetRef;

  public AutoscalerRef autoscalerRef;

  /** The NGINX Ingress that routes traffic to the service (provider {@code nginx}). */
  public ObjectRef ingressRef;

  /** The route object of providers that use one (kept for Flagger compatibility). */
  public ObjectRef routeRef;

  /** The upstream object of providers that use one (kept for Flagger compatibility). */
  public ObjectRef upstreamRef;

  @Required public CanaryService service;

  public CanaryAnalysis analysis;

  /** Flagger's deprecated name of {@link #analysis}, read when {@code analysis} is absent. */
  public CanaryAnalysis canaryAnalysis;

  /** Time the canary may take to make progress before it fails (Flagger's default 600). */
  public Integer progressDeadlineSeconds;

  /** Promote without analysis. */
  public Boolean skipAnalysis;

  /** Stop analysing; the canary keeps its current state. */
  public Boolean suspend;

  /** Give the target back its traffic when the Canary is deleted. */
  public Boolean revertOnDeletion;

  /**
   * Fields of the object read that Mooring does not know (only where the API server did not prune
   * them, e.g. on a mock); set by {@link Canary.Reader}, never written.
   */
  @JsonIgnore public List<String> ignoredFields;

  /** The analysis settings in use: {@code analysis}, else the deprecated {@code canaryAnalysis}. */
  public CanaryAnalysis effectiveAnalysis() {
    return analysis != null ? analysis : canaryAnalysis;
  }

  /** A reference to an object, in the Canary's namespace unless {@code namespace} is given. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ObjectRef {
    public String apiVersion;
    public String kind;
    @Required public String name;
    public String namespace;

    public ObjectRef() {}

    public ObjectRef(String apiVersion, String kind, String name) {
      this.apiVersion = apiVersion;
      this.kind = kind;
      this.name = name;
    }
  }

  /** A HorizontalPodAutoscaler (or similar) scaled alongside the primary. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AutoscalerRef {
    public String apiVersion;
    public String kind;
    @Required public String name;
    public Map<String, String> primaryScalerQueries;
    public PrimaryScalerReplicas primaryScalerReplicas;
  }

  /** Replica bounds for the primary's autoscaler. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PrimaryScalerReplicas {
    public Integer minReplicas;
    public Integer maxReplicas;
  }
}
