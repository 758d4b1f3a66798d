package dev.mooring.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.source.SourceFiles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a folder of plain manifests ({@code spec.source.directory}): {@code .yaml}, {@code .yml}
 * and {@code .json} files in lexical path order, multi-document YAML, {@code kind: List} (and any
 * {@code *List} kind with {@code items}) expanded, empty documents skipped.
 *
 * <p>Other files are ignored, and so is everything inside a folder or file whose name starts with a
 * dot ({@code .github/workflows/ci.yaml} is no manifest). The render is all or nothing: any invalid
 * file, any object without {@code apiVersion}, {@code kind} or {@code metadata.name}, and any
 * object defined twice fails it, so that a half-read folder never gets applied or pruned against.
 */
public final class ManifestRenderer {

  private final DocumentParser parser = new DocumentParser();

  /**
   * Parsed documents by file and content: a commit that changes one file of a large folder parses
   * that file again, not the folder.
   */
  private final Map<String, List<JsonNode>> parsed =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, List<JsonNode>> eldest) {
              return size() > 4096;
            }
          });

  public RenderedManifests render(SourceFiles files) throws RenderException {
    List<Manifest> manifests = new ArrayList<>();
    Map<String, Manifest> seen = new HashMap<>();
    for (Map.Entry<String, byte[]> file : files.files().entrySet()) {
      String name = file.getKey();
      if (!isManifestFile(name)) {
        continue;
      }
      String shown = files.path().isEmpty() ? name : files.path() + "/" + name;
      List<JsonNode> documents = documents(shown, name, file.getValue());
      for (int i = 0; i < documents.size(); i++) {
        collect(shown, i, documents.get(i), manifests, seen);
      }
    }
    return new RenderedManifests(files.commit(), files.path(), manifests);
  }

  /**
   * The objects a tool printed ({@code kustomize build}, {@code helm template}), named in messages
   * as {@code origin}, with the same checks as files of a folder. Output equal to an earlier one's
   * gives the same nodes, so that a commit that changes nothing of an app compares as nothing.
   */
  public RenderedManifests fromOutput(String commit, String path, String origin, byte[] yaml)
      throws RenderException {
    List<Manifest> manifests = new ArrayList<>();
    Map<String, Manifest> seen = new HashMap<>();
    List<JsonNode> documents = documents(origin, "output.yaml", yaml);
    for (int i = 0; i < documents.size(); i++) {
      collect(origin, i, documents.get(i), manifests, seen);
    }
    return new RenderedManifests(commit, path, manifests);
  }

  /**
   * A file's documents, from the parse of the same content if there was one: the same nodes, which
   * nothing downstream changes (renders are shared by the apps of a commit and path already), so
   * that an object of an unchanged file is the same node in the next commit, and its comparison is
   * known.
   */
  private List<JsonNode> documents(String shown, String name, byte[] content)
      throws RenderException {
    String key = shown + "\u0000" + dev.mooring.source.Digests.sha256(content);
    List<JsonNode> documents = parsed.get(key);
    if (documents == null) {
      documents =
          name.toLowerCase(Locale.ROOT).endsWith(".json")
              ? jsonDocuments(shown, content)
              : parser.yaml(shown, content);
      parsed.put(key, documents);
    }
    return documents;
  }

  static boolean isManifestFile(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    if (!(lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json"))) {
      return false;
    }
    for (String segment : path.split("/")) {
      if (segment.startsWith(".")) {
        return false;
      }
    }
    return true;
  }

  /** A JSON file holds one object, or an array of objects. */
  private List<JsonNode> jsonDocuments(String file, byte[] content) throws RenderException {
    JsonNode value = parser.json(file, content);
    List<JsonNode> documents = new ArrayList<>();
    if (value != null && value.isArray()) {
      value.forEach(documents::add);
    } else {
      documents.add(value);
    }
    return documents;
  }

  private void collect(
      String file, int index, JsonNode node, List<Manifest> out, Map<String, Manifest> seen)
      throws RenderException {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return; // an empty document, e.g. a trailing "---" or a comment-only document
    }
    String where = file + ": document " + index;
    if (!node.isObject()) {
      throw new RenderException(
          file,
          where
              + " is not an object (found "
              + node.getNodeType().name().toLowerCase(Locale.ROOT)
              + ")");
    }
    ObjectNode object = (ObjectNode) node;
    String kind = object.path("kind").asText("");
    if (kind.endsWith("List") && object.path("items").isArray()) {
      for (JsonNode item : object.path("items")) {
        collect(file, index, item, out, seen);
      }
      return;
    }
    requireText(file, where, object.path("apiVersion"), "apiVersion");
    requireText(file, where, object.path("kind"), "kind");
    boolean generated =
        !object.path("metadata").path("name").isTextual()
            && object.path("metadata").path("generateName").isTextual();
    if (generated && dev.mooring.sync.Hook.isHook(object)) {
      // a hook is named when a sync creates it: generateName plus the revision, phase and time
      out.add(new Manifest(file, index, object));
      return;
    }
    if (generated) {
      throw new RenderException(
          file,
          where
              + " ("
              + kind
              + ") has metadata.generateName and no name: only sync hooks, which are created anew"
              + " on each sync, may use generateName; give the object a name");
    }
    requireText(
        file, where + " (" + kind + ")", object.path("metadata").path("name"), "metadata.name");
    Manifest manifest = new Manifest(file, index, object);
    String key = manifest.group() + "/" + kind + "/" + manifest.namespace() + "/" + manifest.name();
    Manifest earlier = seen.putIfAbsent(key, manifest);
    if (earlier != null) {
      String group = manifest.group().isEmpty() ? "" : manifest.group() + "/";
      String namespace = manifest.namespace().isEmpty() ? "" : manifest.namespace() + "/";
      throw new RenderException(
          earlier.file(),
          "duplicate object "
              + group
              + kind
              + " "
              + namespace
              + manifest.name()
              + ": defined in "
              + earlier.origin()
              + " and in "
              + manifest.origin());
    }
    out.add(manifest);
  }

  private static void requireText(String file, String where, JsonNode value, String field)
      throws RenderException {
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new RenderException(file, where + " has no " + field);
    }
  }
}
