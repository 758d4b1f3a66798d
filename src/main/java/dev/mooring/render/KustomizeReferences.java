package dev.mooring.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks, before kustomize runs, every file and folder the kustomizations of an app refer to: each
 * must lie inside the repository (never {@code ../../..} out of it, never an absolute path), and a
 * remote base (a URL, {@code github.com/...}, {@code git@...}) is refused unless remote bases are
 * allowed. Folders referred to are checked in turn, so a base's own references are checked too.
 */
public final class KustomizeReferences {

  /** The kustomization file names kustomize looks for, in its order. */
  public static final List<String> FILE_NAMES =
      List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  private static final Pattern REMOTE =
      Pattern.compile(
          "^(?:[a-z][a-z0-9+.-]*://|git@|github\\.com/|gitlab\\.com/|bitbucket\\.org/)"
              + "|\\?ref=|\\.git(?:$|/|\\?|//)",
          Pattern.CASE_INSENSITIVE);

  private final DocumentParser parser = new DocumentParser();
  private final Path root;
  private final boolean allowRemote;

  /**
   * @param root the repository's files, as written out for kustomize
   */
  public KustomizeReferences(Path root, boolean allowRemote) {
    this.root = root.toAbsolutePath().normalize();
    this.allowRemote = allowRemote;
  }

  /** The kustomization file in {@code folder}, or null. */
  public static Path kustomizationIn(Path folder) {
    for (String name : FILE_NAMES) {
      Path f = folder.resolve(name);
      if (Files.isRegularFile(f)) {
        return f;
      }
    }
    return null;
  }

  /** Checks the kustomization in {@code start} and every kustomization it reaches. */
  public void check(Path start) throws RenderException {
    Deque<Path> folders = new ArrayDeque<>();
    Set<Path> seen = new HashSet<>();
    folders.add(start.toAbsolutePath().normalize());
    while (!folders.isEmpty()) {
      Path folder = folders.poll();
      if (!seen.add(folder)) {
        continue;
      }
      Path file = kustomizationIn(folder);
      if (file == null) {
        continue; // a folder of plain files as a resource: kustomize reads them itself
      }
      String shown = shown(file);
      List<JsonNode> documents;
      try {
        documents = parser.yaml(shown, Files.readAllBytes(file));
      } catch (IOException e) {
        throw new RenderException(shown, shown + ": cannot be read: " + e.getMessage());
      }
      JsonNode k = documents.isEmpty() || documents.get(0) == null ? null : documents.get(0);
      if (k == null || !k.isObject()) {
        throw new RenderException(shown, shown + ": is not a kustomization (not a YAML map)");
      }
      if (k.has("helmCharts") || k.has("helmChartInflationGenerator")) {
        throw new RenderException(
            shown,
            shown
                + ": helmCharts are not rendered inside kustomize; point an Application at the"
                + " chart's folder (Mooring renders Helm charts itself)");
      }
      for (Reference ref : references(k)) {
        Path target = resolve(shown, folder, ref);
        if (target != null && Files.isDirectory(target)) {
          folders.add(target);
        }
      }
    }
  }

  private record Reference(String field, String value) {}

  /** Every path-valued entry of the fields kustomize reads files or folders from. */
  static List<Reference> references(JsonNode k) {
    List<Reference> refs = new ArrayList<>();
    for (String field :
        List.of(
            "resources",
            "bases",
            "components",
            "crds",
            "configurations",
            "generators",
            "transformers",
            "validators")) {
      for (JsonNode v : k.path(field)) {
        if (v.isTextual()) {
          refs.add(new Reference(field, v.asText()));
        }
      }
    }
    for (JsonNode v : k.path("patchesStrategicMerge")) {
      // an entry is a file, or an inline patch (several lines of YAML)
      if (v.isTextual() && !v.asText().contains("\n")) {
        refs.add(new Reference("patchesStrategicMerge", v.asText()));
      }
    }
    for (String field : List.of("patches", "patchesJson6902", "replacements")) {
      for (JsonNode v : k.path(field)) {
        if (v.path("path").isTextual()) {
          refs.add(new Reference(field, v.path("path").asText()));
        }
      }
    }
    if (k.path("openapi").path("path").isTextual()) {
      refs.add(new Reference("openapi", k.path("openapi").path("path").asText()));
    }
    for (String field : List.of("configMapGenerator", "secretGenerator")) {
      for (JsonNode g : k.path(field)) {
        for (JsonNode f : g.path("files")) {
          if (f.isTextual()) {
            String entry = f.asText();
            int eq = entry.indexOf('=');
            refs.add(new Reference(field, eq >= 0 ? entry.substring(eq + 1) : entry));
          }
        }
        for (JsonNode e : g.path("envs")) {
          if (e.isTextual()) {
            refs.add(new Reference(field, e.asText()));
          }
        }
        if (g.path("env").isTextual()) {
          refs.add(new Reference(field, g.path("env").asText()));
        }
      }
    }
    return refs;
  }

  /** The local file or folder a reference names, or null for an allowed remote one. */
  private Path resolve(String shown, Path folder, Reference ref) throws RenderException {
    String value = ref.value().trim();
    if (value.isEmpty()) {
      return null;
    }
    Path local;
    try {
      local = folder.resolve(value).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      local = null;
    }
    boolean exists = local != null && local.startsWith(root) && Files.exists(local);
    if (!exists && REMOTE.matcher(value).find()) {
      if (allowRemote) {
        return null;
      }
      throw refused(
          shown,
          ref,
          "is remote; remote bases are not fetched (set"
              + " mooring.render.kustomize.allow-remote-bases=true to allow them)");
    }
    if (value.startsWith("/") || local == null || !local.startsWith(root)) {
      throw refused(
          shown, ref, "is outside the repository; only files of the same repository can be used");
    }
    return local;
  }

  private static RenderException refused(String shown, Reference ref, String why) {
    return new RenderException(
        shown, shown + ": " + ref.field() + " entry \"" + ref.value().trim() + "\" " + why);
  }

  private String shown(Path file) {
    return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
  }

  /** Whether a name is a kustomization file name. */
  public static boolean isKustomization(String fileName) {
    return FILE_NAMES.contains(fileName);
  }
}
