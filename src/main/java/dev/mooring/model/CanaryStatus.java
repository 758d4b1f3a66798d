package dev.mooring.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Observed state of a Canary, written only by the controller: Flagger's CanaryStatus plus Mooring's
 * {@code analysisHistory}, the last metric checks with their values.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanaryStatus {
  public static final String INITIALIZING = "Initializing";
  public static final String INITIALIZED = "Initialized";
  public static final String WAITING = "Waiting";
  public static final String PROGRESSING = "Progressing";
  public static final String WAITING_PROMOTION = "WaitingPromotion";
  public static final String PROMOTING = "Promoting";
  public static final String FINALISING = "Finalising";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";

  /** The only condition type, as in Flagger. */
  public static final String CONDITION_PROMOTED = "Promoted";

  /** One of the phase constants above. */
  public String phase;

  public Integer canaryWeight;

  /**
   * The router in use: the Canary's {@code spec.provider}, or {@code
   * mooring.canary.default-provider} when it names none.
   */
  public String provider;

  public Integer failedChecks;
  public Integer iterations;

  /** Hash of the target's pod template last seen, to detect a new revision. */
  public String lastAppliedSpec;

  /** Hash of the pod template last promoted to the primary. */
  public String lastPromotedSpec;

  /**
   * Mooring's own: hash of the last revision that failed its analysis; it is not analysed again
   * until the target changes.
   */
  public String failedRevision;

  /** RFC 3339 time of the last phase change. */
  public String lastTransitionTime;

  /** ConfigMaps and Secrets the target uses, by {@code kind/name}, to their content hash. */
  public Map<String, String> trackedConfigs;

  public String sessionAffinityCookie;
  public String previousSessionAffinityCookie;

  public List<Condition> conditions = new ArrayList<>();

  /** The last checks, newest last; the controller keeps it bounded. */
  public List<AnalysisRecord> analysisHistory = new ArrayList<>();

  /** A Kubernetes-style condition; Flagger uses only type {@code Promoted}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Condition {
    public String type;

    /** {@code True}, {@code False} or {@code Unknown}. */
    public String status;

    public String reason;
    public String message;
    public String lastUpdateTime;
    public String lastTransitionTime;
  }

  /** The outcome of one metric check or webhook call. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class AnalysisRecord {
    /** RFC 3339 time of the check. */
    public String time;

    /** The metric's name as written in the analysis. */
    public String metric;

    /** The measured value; null when the query returned no data. */
    public Double value;

    public Double thresholdMin;
    public Double thresholdMax;
    public boolean passed;
    public String message;

    /** The query as sent to Prometheus (a metric check that reached it). */
    public String query;

    /** The canary's traffic weight (percent) while this was measured. */
    public Integer weight;

    /**
     * For a webhook call rather than a metric check: the hook's type (pre-rollout, rollout,
     * confirm-promotion, ...); {@code metric} is then the hook's name and {@code passed} its
     * answer.
     */
    public String webhook;

    public AnalysisRecord() {}

    public AnalysisRecord(
        String time,
        String metric,
        Double value,
        Double thresholdMin,
        Double thresholdMax,
        boolean passed,
        String message) {
      this.time = time;
      this.metric = metric;
      this.value = value;
      this.thresholdMin = thresholdMin;
      this.thresholdMax = thresholdMax;
      this.passed = passed;
      this.message = message;
    }
  }
}
