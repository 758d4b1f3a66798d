package dev.mooring.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mooring.cluster.ResourceType;

/** Identity of a Kubernetes object: group, kind, namespace ("" for cluster-scoped) and name. */
public record ResourceKey(String group, String kind, String namespace, String name)
    implements Comparable<ResourceKey> {

  public ResourceKey {
    group = group == null ? "" : group;
    namespace = namespace == null ? "" : namespace;
  }

  public static ResourceKey of(JsonNode object) {
    JsonNode meta = object.path("metadata");
    return new ResourceKey(
        ResourceType.groupOf(object.path("apiVersion").asText()),
        object.path("kind").asText(),
        meta.path("namespace").asText(""),
        meta.path("name").asText());
  }

  /** "apps/Deployment guestbook/web", as messages name objects. */
  @Override
  public String toString() {
    String gk = group.isEmpty() ? kind : group + "/" + kind;
    return gk + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
  }

  @Override
  public int compareTo(ResourceKey o) {
    return toString().compareTo(o.toString());
  }
}
