package dev.mooring.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps (apiVersion, kind) to a {@link ResourceType}: kinds the client's model knows first, then
 * CRDs that the same sync applies, then the cluster's discovery (cached per group/version).
 */
public class KindResolver {
  private final KubernetesClient client;
  private final Map<String, Map<String, ResourceType>> discovered = new ConcurrentHashMap<>();

  public KindResolver(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Resolves a kind; {@code crds} are CustomResourceDefinition objects rendered for the same sync,
   * so that their custom resources can be addressed before the CRD is even applied.
   */
  public ResourceType resolve(String apiVersion, String kind, Collection<? extends JsonNode> crds)
      throws UnknownKindException {
    String group = ResourceType.groupOf(apiVersion);
    String version = ResourceType.versionOf(apiVersion);
    Optional<ResourceType> known = fromModel(apiVersion, kind);
    if (known.isPresent()) {
      return known.get();
    }
    for (JsonNode crd : crds) {
      Optional<ResourceType> fromCrd = fromCrd(crd, group, version, kind);
      if (fromCrd.isPresent()) {
        return fromCrd.get();
      }
    }
    ResourceType viaDiscovery = discover(apiVersion).get(kind);
    if (viaDiscovery == null) {
      // a CRD may have been created since the last lookup
      discovered.remove(apiVersion);
      viaDiscovery = discover(apiVersion).get(kind);
    }
    if (viaDiscovery == null) {
      throw new UnknownKindException(apiVersion, kind);
    }
    return viaDiscovery;
  }

  private Optional<ResourceType> fromModel(String apiVersion, String kind) {
    Class<? extends KubernetesResource> type =
        client.getKubernetesSerialization().getRegisteredKubernetesResource(apiVersion, kind);
    if (type == null || !HasMetadata.class.isAssignableFrom(type)) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    Class<? extends HasMetadata> resource = (Class<? extends HasMetadata>) type;
    String group = ResourceType.groupOf(apiVersion);
    if (!group.equals(HasMetadata.getGroup(resource))
        || !ResourceType.versionOf(apiVersion).equals(HasMetadata.getVersion(resource))) {
      return Optional.empty();
    }
    return Optional.of(
        new ResourceType(
            group,
            ResourceType.versionOf(apiVersion),
            kind,
            HasMetadata.getPlural(resource),
            Namespaced.class.isAssignableFrom(resource)));
  }

  /** A CRD object describing group/kind at a served version. */
  static Optional<ResourceType> fromCrd(JsonNode crd, String group, String version, String kind) {
    JsonNode spec = crd.path("spec");
    if (!group.equals(spec.path("group").asText())
        || !kind.equals(spec.path("names").path("kind").asText())) {
      return Optional.empty();
    }
    boolean served = false;
    for (JsonNode v : spec.path("versions")) {
      // served: false means the API server does not answer at that version
      served |= version.equals(v.path("name").asText()) && v.path("served").asBoolean(true);
    }
    if (!served) {
      return Optional.empty();
    }
    return Optional.of(
        new ResourceType(
            group,
            version,
            kind,
            spec.path("names").path("plural").asText(),
            !"Cluster".equals(spec.path("scope").asText())));
  }

  private Map<String, ResourceType> discover(String apiVersion) {
    return discovered.computeIfAbsent(
        apiVersion,
        gv -> {
          Map<String, ResourceType> byKind = new ConcurrentHashMap<>();
          try {
            APIResourceList list = client.getApiResources(gv);
            if (list != null && list.getResources() != null) {
              for (APIResource r : list.getResources()) {
                if (r.getName().contains("/")) {
                  continue; // subresources such as deployments/scale
                }
                byKind.put(
                    r.getKind(),
                    new ResourceType(
                        ResourceType.groupOf(gv),
                        ResourceType.versionOf(gv),
                        r.getKind(),
                        r.getName(),
                        Boolean.TRUE.equals(r.getNamespaced())));
              }
            }
          } catch (KubernetesClientException e) {
            // not served: leave empty; the caller reports the unknown kind
          }
          return byKind;
        });
  }
}
