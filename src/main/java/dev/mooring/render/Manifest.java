package dev.mooring.render;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Kubernetes object as written in Git.
 *
 * @param file the file it came from, relative to the Application's path
 * @param documentIndex the 0-based YAML document in that file (items of a {@code List} share their
 *     list's index)
 * @param object the object itself; callers must not modify it, since rendered manifests are cached
 *     and shared
 */
public record Manifest(String file, int documentIndex, ObjectNode object) {

  /** The API group: the part of {@code apiVersion} before the slash, "" for the core group. */
  public String group() {
    String apiVersion = object.path("apiVersion").asText();
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  public String kind() {
    return object.path("kind").asText();
  }

  /** {@code metadata.namespace}, "" when the object names none. */
  public String namespace() {
    return object.path("metadata").path("namespace").asText("");
  }

  public String name() {
    return object.path("metadata").path("name").asText();
  }

  /** Where the object was written, for messages: {@code file (document N)}. */
  public String origin() {
    return file + " (document " + documentIndex + ")";
  }
}
