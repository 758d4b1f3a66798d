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

  /** Request timeout of the generated routes, e.g. {@code 30s}. */
  public String timeout;

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

  /** Labels and annotations to set on a generated object. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CustomMetadata {
    public Map<String, String> labels;
    public Map<String, String> annotations;
  }
}
