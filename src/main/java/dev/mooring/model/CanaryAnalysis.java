package dev.mooring.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Map;

/**
 * How a release is validated: the schedule, the traffic steps, the metric checks and the webhooks.
 * Flagger's CanaryAnalysis field for field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanaryAnalysis {
  /** Time between two checks, e.g. {@code 1m} (Flagger's default 60s, minimum 10s). */
  public String interval;

  /** Number of checks for A/B testing and Blue/Green (no traffic steps). */
  public Integer iterations;

  public Boolean mirror;
  public Integer mirrorWeight;

  /** Highest canary weight (percent) before promotion. */
  public Integer maxWeight;

  /** Weight added at each successful check. */
  public Integer stepWeight;

  /** Explicit weight steps; used instead of {@code stepWeight} when given. */
  public List<Integer> stepWeights;

  /** Weight moved to the primary at each promotion step. */
  public Integer stepWeightPromotion;

  /** Failed checks tolerated before rollback. */
  public Integer threshold;

  /** Percentage of primary pods that must be ready. */
  public Integer primaryReadyThreshold;

  /** Percentage of canary pods that must be ready. */
  public Integer canaryReadyThreshold;

  public List<Alert> alerts;

  public List<Metric> metrics;

  public List<Webhook> webhooks;

  /** A/B testing match conditions (Istio HTTPMatchRequest), kept as written. */
  @PreserveUnknownFields public JsonNode match;

  @PreserveUnknownFields public JsonNode sessionAffinity;

  /** A metric check: a builtin metric by name, or a MetricTemplate through {@code templateRef}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Metric {
    @Required public String name;

    /** Query window, e.g. {@code 1m} (Flagger's default). */
    public String interval;

    /** Deprecated by Flagger: a maximum, replaced by {@code thresholdRange.max}. */
    public Double threshold;

    public ThresholdRange thresholdRange;

    /** Deprecated by Flagger: an inline Prometheus query, replaced by {@code templateRef}. */
    public String query;

    public CanarySpec.ObjectRef templateRef;

    /** Values for {@code {{ variables.NAME }}} in the template's query. */
    public Map<String, String> templateVariables;
  }

  /** The accepted range of a metric's value; either end may be absent. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ThresholdRange {
    public Double min;
    public Double max;

    public ThresholdRange() {}

    public ThresholdRange(Double min, Double max) {
      this.min = min;
      this.max = max;
    }
  }

  /**
   * An HTTP call made at a point of the rollout; {@code type} is Flagger's: pre-rollout, rollout,
   * confirm-rollout, confirm-traffic-increase, confirm-promotion, post-rollout, rollback, event.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Webhook {
    @Required public String name;
    public String type;
    @Required public String url;

    /** e.g. {@code 30s}. */
    public String timeout;

    public Boolean muteAlert;
    public Map<String, String> metadata;
    public Integer retries;

    /** Accept any TLS certificate and host name from this hook (for self-signed ones). */
    @JsonProperty("disableTLS")
    public Boolean disableTLS;
  }

  /** An alert sent through an AlertProvider (kept for Flagger compatibility). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Alert {
    public String name;
    public String severity;
    public CanarySpec.ObjectRef providerRef;
  }
}
