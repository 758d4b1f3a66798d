package dev.mooring.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import java.util.Map;

/**
 * How the apex, primary and canary Services and the routing objects are generated: Flagger's
 * CanaryService. The mesh-specific parts (Istio match, retries, headers, CORS, traffic policy) are
 * kept as free JSON, so nothing a user writes is rejected or lost.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanaryService {
  /** Apex Service name; defaults to the target's name. */
  public String name;

  public Integer port;

  /** Defaults to {@code http}. */
  public String portName;

  /** Container port number or name; defaults to {@link #port}. */
  public IntOrString targetPort;

  public String appProtocol;

  /** Add all the target's container ports to the generated Services. */
  public Boolean portDiscovery;

  /**
   * Copied to the generated Services' {@code spec.trafficDistribution}: {@code PreferClose}, or
   * (Kubernetes 1.33 and later) {@code PreferSameZone}, {@code PreferSameNode}.
   */
  public String trafficDistribution;

  /** Make the generated primary and canary Services headless ({@code clusterIP: None}). */
  public Boolean headless;

  /** Request timeout of the generated routes, e.g. {@code 30s}. */
  public String timeout;

  /**
   * Timeout of each request from the gateway to a backend (Gateway API's {@code
   * timeouts.backendRequest}), e.g. {@code 5s}; at most {@link #timeout}.
   */
  public String backendTimeout;

  /** Gateway API parents of the generated HTTPRoute (provider {@code gatewayapi}). */
  public List<GatewayRef> gatewayRefs;

  /** Istio gateways (kept for Flagger compatibility). */
  public List<String> gateways;

  public Boolean delegation;

  public List<String> hosts;

  @PreserveUnknownFields public JsonNode trafficPolicy;

  @PreserveUnknownFields public JsonNode match;

  @PreserveUnknownFields public JsonNode rewrite;

  @PreserveUnknownFields public JsonNode retries;

  @PreserveUnknownFields public JsonNode headers;

  @PreserveUnknownFields public JsonNode corsPolicy;

  @PreserveUnknownFields public JsonNode mirror;

  public String meshName;

  public List<String> backends;

  /** Labels and annotations for the apex Service. */
  public CustomMetadata apex;

  /** Labels and annotations for the primary Service. */
  public CustomMetadata primary;

  /** Labels and annotations for the canary Service. */
  public CustomMetadata canary;

  /**
   * Label and annotation keys of the generated routing objects that other controllers own: their
   * values in the cluster are kept, never overwritten or removed.
   */
  public UnmanagedMetadata unmanagedMetadata;

  /** A Gateway API ParentReference. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class GatewayRef {
    public String group;
    public String kind;
    public String namespace;
    public String name;
    public String sectionName;
    public Integer port;
  }

  /** Label and annotation keys Mooring leaves to others on the objects it generates. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class UnmanagedMetadata {
    public List<String> labels;
    public List<String> annotations;
  }

  /** Labels and annotations to set on a generated object. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CustomMetadata {
    public Map<String, String> labels;
    public Map<String, String> annotations;
  }
}
