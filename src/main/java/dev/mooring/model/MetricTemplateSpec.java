package dev.mooring.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Where a metric comes from and how it is queried. The query is a template: {@code {{ namespace
 * }}}, {@code {{ target }}}, {@code {{ service }}}, {@code {{ ingress }}}, {@code {{ interval }}}
 * and {@code {{ variables.NAME }}} are filled in per Canary by the analysis.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricTemplateSpec {
  public Provider provider;
  public String query;

  /** The metrics backend; Mooring queries {@code prometheus}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Provider {
    /** Backend type, e.g. {@code prometheus}. */
    public String type;

    /** Base URL; when absent, {@code mooring.canary.prometheus.address} is used. */
    public String address;

    /** Secret in the template's namespace with credentials (username/password or token). */
    public SecretRef secretRef;

    public Boolean insecureSkipVerify;

    /**
     * Extra HTTP headers sent with every query, each name with one or more values (Go's {@code
     * http.Header}, as in Flagger), e.g. {@code X-Scope-OrgID: [tenant-a]}.
     */
    public Map<String, List<String>> headers;

    /** Cloud region, used by some Flagger providers (e.g. CloudWatch); kept so it is not lost. */
    public String region;
  }

  /** A Secret in the same namespace. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SecretRef {
    public String name;
  }
}
