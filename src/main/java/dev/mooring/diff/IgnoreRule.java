package dev.mooring.diff;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One {@code ignoreDifferences} entry of an Application, with Argo CD's meaning: the fields at
 * {@code jsonPointers} of the matching objects never count as a difference.
 *
 * @param group API group ({@code apps}); null or empty matches any group
 * @param kind kind ({@code Deployment}); required, {@code *} matches any kind
 * @param name object name; null or empty matches any name
 * @param namespace object namespace; null or empty matches any namespace
 * @param jsonPointers RFC 6901 pointers such as {@code /spec/replicas}
 */
public record IgnoreRule(
    String group, String kind, String name, String namespace, List<String> jsonPointers) {

  public IgnoreRule {
    jsonPointers = jsonPointers == null ? List.of() : List.copyOf(jsonPointers);
  }

  /** True when this rule applies to {@code obj}. */
  public boolean matches(ObjectNode obj) {
    if (obj == null || kind == null || kind.isEmpty()) {
      return false;
    }
    String apiVersion = obj.path("apiVersion").asText("");
    String objGroup =
        apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    return (kind.equals("*") || kind.equals(obj.path("kind").asText()))
        && any(group, objGroup)
        && any(name, obj.path("metadata").path("name").asText(""))
        && any(namespace, obj.path("metadata").path("namespace").asText(""));
  }

  private static boolean any(String wanted, String actual) {
    return wanted == null || wanted.isEmpty() || wanted.equals(actual);
  }
}
