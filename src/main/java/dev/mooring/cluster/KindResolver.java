package dev.mooring.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps (apiVersion, kind) to a {@link ResourceType} as the API server serves it: its discovery
 * (cached per group/version, looked up again when a kind is missing, at most once per {@code
 * rediscoverAfterMillis}), or a CRD that the same sync applies, whose kind is not served yet. A
 * kind the client's model knows but the server does not serve (an API version removed from
 * Kubernetes) is unknown. Only the sandbox, whose in-memory server has no discovery, falls back to
 * the client's model.
 */
public class KindResolver {
  private final KubernetesClient client;
  private final boolean modelFallback;
  private final long rediscoverAfterNanos;
  private final Map<String, Discovered> discovered = new ConcurrentHashMap<>();

  private record Discovered(Map<String, ResourceType> byKind, long at) {}

  public KindResolver(KubernetesClient client) {
    this(client, false, 2_000);
  }

  /**
   * @param modelFallback resolve kinds from the client's model when discovery knows nothing (the
   *     sandbox)
   * @param rediscoverAfterMillis how old a group/version's discovery must be before a missing kind
   *     makes it look again
   */
  public KindResolver(KubernetesClient client, boolean modelFallback, long rediscoverAfterMillis) {
    this.client = client;
    this.modelFallback = modelFallback;
    this.rediscoverAfterNanos = rediscoverAfterMillis * 1_000_000L;
  }

  /**
   * Resolves a kind; {@code crds} are CustomResourceDefinition objects rendered for the same sync,
   * so that their custom resources can be addressed before the CRD is even applied (see {@link
   * #isServed}).
   */
  public ResourceType resolve(String apiVersion, String kind, Collection<? extends JsonNode> crds)
      throws UnknownKindException {
    ResourceType served = served(apiVersion, kind);
    if (served != null) {
      return served;
    }
    String group = ResourceType.groupOf(apiVersion);
    String version = ResourceType.versionOf(apiVersion);
    for (JsonNode crd : crds) {
      Optional<ResourceType> fromCrd = fromCrd(crd, group, version, kind);
      if (fromCrd.isPresent()) {
        return fromCrd.get();
      }
    }
    if (modelFallback) {
      Optional<ResourceType> known = fromModel(apiVersion, kind);
      if (known.isPresent()) {
        return known.get();
      }
    }
    throw new UnknownKindException(apiVersion, kind);
  }

  /** True when the API server serves this kind now (a CRD of this sync may not be established). */
  public boolean isServed(ResourceType type) {
    if (modelFallback) {
      return true;
    }
    return served(type.apiVersion(), type.kind()) != null;
  }

  /** Forgets what discovery said about a group/version, e.g. after a CRD was created or deleted. */
  public void forget(String apiVersion) {
    discovered.remove(apiVersion);
  }

  /**
   * Every kind the server serves that can be listed, namespaced ones only when {@code namespaced}
   * (for checking what a Namespace or CRD still holds before it is pruned).
   */
  public List<ResourceType> listableKinds(boolean namespaced) {
    List<ResourceType> out = new ArrayList<>();
    for (String gv : groupVersions()) {
      try {
        for (Map.Entry<ResourceType, APIResource> r : resources(gv).entrySet()) {
          if (r.getValue().getVerbs() != null
              && r.getValue().getVerbs().contains("list")
              && r.getKey().namespaced() == namespaced) {
            out.add(r.getKey());
          }
        }
      } catch (KubernetesClientException e) {
        // an aggregated API that is down: its objects cannot be checked, nor deleted by us
      }
    }
    return out;
  }

  private volatile List<String> apiVersions;
  private volatile long apiVersionsAt;

  /** How long the API list is reused: a CRD applied meanwhile shows within this. */
  private static final long API_VERSIONS_TTL_NANOS =
      java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

  /**
   * What the cluster serves, as Helm's {@code .Capabilities.APIVersions} lists it (and Argo CD
   * passes it with {@code --api-versions}): every group/version, and every group/version/Kind;
   * sorted, read at most every 30 s. Null when discovery fails.
   */
  public List<String> apiVersions() {
    List<String> known = apiVersions;
    if (known == null) {
      return readApiVersions();
    }
    if (System.nanoTime() - apiVersionsAt >= API_VERSIONS_TTL_NANOS
        && refreshing.compareAndSet(false, true)) {
      // never on the caller's time: the list a moment old serves meanwhile
      java.util.concurrent.CompletableFuture.runAsync(
          () -> {
            try {
              readApiVersions();
            } finally {
              refreshing.set(false);
            }
          });
    }
    return known;
  }

  private final java.util.concurrent.atomic.AtomicBoolean refreshing =
      new java.util.concurrent.atomic.AtomicBoolean();

  private List<String> readApiVersions() {
    List<String> known = apiVersions;
    try {
      java.util.TreeSet<String> all = new java.util.TreeSet<>();
      List<String> gvs = new ArrayList<>(List.of("v1"));
      APIGroupList groups = client.getApiGroups();
      if (groups != null && groups.getGroups() != null) {
        for (APIGroup g : groups.getGroups()) {
          if (g.getVersions() != null) {
            g.getVersions().forEach(v -> gvs.add(v.getGroupVersion()));
          }
        }
      }
      for (String gv : gvs) {
        all.add(gv);
        try {
          for (ResourceType t : resources(gv).keySet()) {
            all.add(gv + "/" + t.kind());
          }
        } catch (KubernetesClientException e) {
          // an aggregated API that is down: its group/version stays listed
        }
      }
      known = List.copyOf(all);
      apiVersions = known;
      apiVersionsAt = System.nanoTime();
      return known;
    } catch (KubernetesClientException e) {
      return known; // the last list, or null
    }
  }

  /** The kinds a group/version serves (subresources such as deployments/scale left out). */
  private Map<ResourceType, APIResource> resources(String gv) {
    Map<ResourceType, APIResource> out = new java.util.LinkedHashMap<>();
    APIResourceList list = client.getApiResources(gv);
    if (list != null && list.getResources() != null) {
      for (APIResource r : list.getResources()) {
        if (!r.getName().contains("/")) {
          out.put(
              new ResourceType(
                  ResourceType.groupOf(gv),
                  ResourceType.versionOf(gv),
                  r.getKind(),
                  r.getName(),
                  Boolean.TRUE.equals(r.getNamespaced())),
              r);
        }
      }
    }
    return out;
  }

  /** The preferred version of every group, plus v1. */
  private List<String> groupVersions() {
    List<String> gvs = new ArrayList<>(List.of("v1"));
    APIGroupList groups = client.getApiGroups();
    if (groups != null && groups.getGroups() != null) {
      for (APIGroup g : groups.getGroups()) {
        GroupVersionForDiscovery preferred = g.getPreferredVersion();
        if (preferred != null) {
          gvs.add(preferred.getGroupVersion());
        }
      }
    }
    return gvs;
  }

  private ResourceType served(String apiVersion, String kind) {
    Discovered d = discover(apiVersion, false);
    ResourceType type = d.byKind().get(kind);
    if (type == null && System.nanoTime() - d.at() > rediscoverAfterNanos) {
      // a CRD may have been created since the last lookup
      type = discover(apiVersion, true).byKind().get(kind);
    }
    return type;
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

  private Discovered discover(String apiVersion, boolean again) {
    if (again) {
      discovered.remove(apiVersion);
    }
    return discovered.computeIfAbsent(
        apiVersion,
        gv -> {
          Map<String, ResourceType> byKind = new ConcurrentHashMap<>();
          try {
            resources(gv).keySet().forEach(type -> byKind.put(type.kind(), type));
          } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
              throw e; // the server failed us: not an answer about the kind
            }
          }
          return new Discovered(byKind, System.nanoTime());
        });
  }
}
