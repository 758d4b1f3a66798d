package dev.mooring.cluster;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** An API resource type: what a URL path and an informer need to address a kind. */
public record ResourceType(
    String group, String version, String kind, String plural, boolean namespaced) {

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  public ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(namespaced)
        .build();
  }

  /**
   * The URL path of the collection ({@code name} null) or of one object, relative to the server:
   * {@code /api/v1/namespaces/shop/configmaps/web}, {@code /apis/apps/v1/deployments}.
   */
  public String path(String namespace, String name) {
    StringBuilder p = new StringBuilder(group.isEmpty() ? "/api/" : "/apis/" + group + "/");
    p.append(version);
    if (namespaced && namespace != null && !namespace.isEmpty()) {
      p.append("/namespaces/").append(namespace);
    }
    p.append('/').append(plural);
    if (name != null) {
      p.append('/').append(name);
    }
    return p.toString();
  }

  /** The group of an apiVersion string ("apps/v1" is "apps", "v1" is the core group ""). */
  public static String groupOf(String apiVersion) {
    int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  public static String versionOf(String apiVersion) {
    int slash = apiVersion == null ? -1 : apiVersion.indexOf('/');
    return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
  }
}
