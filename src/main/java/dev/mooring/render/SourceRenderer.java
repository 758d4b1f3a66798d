package dev.mooring.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.source.SourceException;
import dev.mooring.source.SourceFiles;
import dev.mooring.sync.Hook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns an Application's source at a commit into objects, the way Argo CD decides: a Helm chart
 * ({@code spec.source.helm}, or {@code Chart.yaml} in the folder), a Kustomize folder ({@code
 * spec.source.kustomize}, or a kustomization file in the folder), or a folder of plain manifests.
 * Then, whatever the source: what Argo CD never applies is left out ({@code Skip} hooks, Helm test
 * hooks), sync hooks stay for the sync to run in their phases, and a folder that gives no objects
 * says why.
 */
public final class SourceRenderer {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How an Application's folder is rendered. */
  public enum Type {
    DIRECTORY("Directory"),
    KUSTOMIZE("Kustomize"),
    HELM("Helm");

    private final String shown;

    Type(String shown) {
      this.shown = shown;
    }

    @Override
    public String toString() {
      return shown;
    }
  }

  /** The files of one commit of the repository. */
  @FunctionalInterface
  public interface Tree {
    SourceFiles files(String path, boolean recurse) throws SourceException;
  }

  /**
   * What a render depends on besides the commit and the folder.
   *
   * @param namespace the destination namespace (Helm's release namespace)
   * @param releaseName Helm's release name when the options name none (the Application's name)
   * @param kubeVersion the cluster's version, for Helm's {@code .Capabilities.KubeVersion}
   * @param apiVersions what the cluster serves ({@code apps/v1}, {@code apps/v1/Deployment}), for
   *     Helm's {@code .Capabilities.APIVersions}; null when unknown
   */
  public record Request(
      ApplicationSpec.Source source,
      String namespace,
      String releaseName,
      String kubeVersion,
      List<String> apiVersions) {

    public Request(
        ApplicationSpec.Source source, String namespace, String releaseName, String kubeVersion) {
      this(source, namespace, releaseName, kubeVersion, null);
    }

    /** A digest of {@link #apiVersions}, which a chart's render may depend on. */
    public String apiVersionsDigest() {
      return apiVersions == null
          ? "none"
          : dev.mooring.source.Digests.sha256(String.join("\n", apiVersions)).substring(0, 16);
    }
  }

  private final ManifestRenderer plain;
  private final KustomizeRunner kustomize;
  private final HelmRunner helm;

  private final JsonnetRunner jsonnet;

  public SourceRenderer(
      ManifestRenderer plain, KustomizeRunner kustomize, HelmRunner helm, JsonnetRunner jsonnet) {
    this.plain = plain;
    this.kustomize = kustomize;
    this.helm = helm;
    this.jsonnet = jsonnet;
  }

  /** With Jsonnet bounded by a minute, 8 MiB of output and two evaluations at once. */
  public SourceRenderer(ManifestRenderer plain, KustomizeRunner kustomize, HelmRunner helm) {
    this(plain, kustomize, helm, new JsonnetRunner(java.time.Duration.ofMinutes(1), 8 << 20, 2));
  }

  /**
   * Everything besides commit and path that changes the result, for the render cache: the source
   * options, the release, and the tools' versions.
   */
  public String cacheKey(Request r) {
    ObjectNode key = JSON.createObjectNode();
    ApplicationSpec.Source s = r.source();
    key.set("directory", JSON.valueToTree(s.directory));
    key.set("kustomize", JSON.valueToTree(s.kustomize));
    key.set("helm", JSON.valueToTree(s.helm));
    key.put("namespace", r.namespace());
    key.put("release", r.releaseName());
    key.put("kube", r.kubeVersion());
    if (s.kustomize != null) {
      key.put("kustomize", kustomize.version());
    }
    if (s.helm != null) {
      key.put("helm", helm.version());
    }
    return key.toString();
  }

  /** The tool and version that renders a type, or null for plain folders. */
  public String tool(Type type) {
    return switch (type) {
      case KUSTOMIZE -> kustomize.version();
      case HELM -> helm.version();
      case DIRECTORY -> null;
    };
  }

  /** The source type of a folder, from the options and the folder's top-level files. */
  public static Type detect(ApplicationSpec.Source source, java.util.Set<String> topLevelFiles) {
    if (source.helm != null || topLevelFiles.contains("Chart.yaml")) {
      return Type.HELM;
    }
    if (source.kustomize != null
        || topLevelFiles.stream().anyMatch(KustomizeReferences::isKustomization)) {
      return Type.KUSTOMIZE;
    }
    return Type.DIRECTORY;
  }

  public RenderedManifests render(String commit, Request request, Tree tree)
      throws SourceException, RenderException {
    ApplicationSpec.Source source = request.source();
    String path = normalize(source.path);
    boolean recurse = source.directory != null && Boolean.TRUE.equals(source.directory.recurse);
    SourceFiles top = tree.files(path, false);
    Type type = detect(source, top.files().keySet());
    RenderedManifests rendered;
    if (type == Type.DIRECTORY) {
      SourceFiles files = filtered(recurse ? tree.files(path, true) : top, source.directory);
      rendered = withJsonnet(commit, path, plain.render(files), files, source, tree);
      explainNothing(path, files, rendered);
    } else {
      rendered = withTool(commit, path, type, request, tree);
      if (rendered.manifests().isEmpty()) {
        throw RenderException.because(
            "EmptySource",
            path,
            (type == Type.HELM ? "helm template " : "kustomize build ")
                + shown(path)
                + " gave no objects");
      }
    }
    List<String> notices = new ArrayList<>(rendered.notices());
    List<Manifest> applied = withoutSkippedHooks(rendered.manifests(), notices);
    return new RenderedManifests(
        rendered.commit(), rendered.path(), applied, type, notices, rendered.apiVersionsDigest());
  }

  private RenderedManifests withTool(
      String commit, String path, Type type, Request request, Tree tree)
      throws SourceException, RenderException {
    Path work = null;
    try {
      work = Files.createTempDirectory("mooring-render");
      Path root = work.resolve("repo");
      writeOut(tree.files("", true), root);
      Path folder = root.resolve(path).normalize();
      if (type == Type.HELM) {
        if (!Files.isRegularFile(folder.resolve("Chart.yaml"))) {
          throw new RenderException(
              path, shown(path) + ": spec.source.helm is set but the folder has no Chart.yaml");
        }
        List<String> notices = new ArrayList<>();
        HelmRunner.Output out =
            helm.template(
                root,
                folder,
                shown(path),
                request.source().helm,
                request.releaseName(),
                request.namespace(),
                request.kubeVersion(),
                request.apiVersions(),
                work,
                notices);
        RenderedManifests chart =
            plain.fromOutput(commit, path, "helm template " + shown(path), out.bytes());
        return new RenderedManifests(
            commit,
            path,
            chart.manifests(),
            Type.HELM,
            notices,
            out.askedApiVersions() ? request.apiVersionsDigest() : null);
      }
      KustomizeReferences references =
          new KustomizeReferences(root, kustomize.settings().allowRemoteBases());
      if (KustomizeReferences.kustomizationIn(folder) == null) {
        throw new RenderException(
            path,
            shown(path)
                + ": spec.source.kustomize is set but the folder has no kustomization.yaml,"
                + " kustomization.yml or Kustomization");
      }
      references.check(folder);
      Path build = folder;
      ApplicationSpec.Kustomize options = request.source().kustomize;
      if (KustomizeOverlay.needed(options)) {
        Path overlay = root.resolve(".mooring-overlay");
        Files.createDirectories(overlay);
        String relative = overlay.relativize(folder).toString().replace('\\', '/');
        Files.writeString(
            overlay.resolve("kustomization.yaml"),
            KustomizeOverlay.kustomization(options, relative, relative));
        references.check(overlay);
        build = overlay;
      }
      byte[] out = kustomize.build(build, shown(path), work);
      return plain.fromOutput(commit, path, "kustomize build " + shown(path), out);
    } catch (IOException e) {
      throw new RenderException(path, shown(path) + ": cannot prepare the render: " + e);
    } finally {
      delete(work);
    }
  }

  /**
   * The files {@code directory.include} selects and {@code directory.exclude} does not (globs
   * relative to the path, as {@code {a.yaml,b/*.yaml}}; {@code *} stays within a folder, {@code **}
   * crosses folders).
   */
  static SourceFiles filtered(SourceFiles files, ApplicationSpec.Directory directory)
      throws RenderException {
    if (directory == null || (blank(directory.include) && blank(directory.exclude))) {
      return files;
    }
    java.nio.file.PathMatcher include = matcher("include", directory.include, files.path());
    java.nio.file.PathMatcher exclude = matcher("exclude", directory.exclude, files.path());
    java.util.SortedMap<String, byte[]> kept = new java.util.TreeMap<>();
    files
        .files()
        .forEach(
            (name, bytes) -> {
              Path p = Path.of(name);
              if ((include == null || include.matches(p))
                  && (exclude == null || !exclude.matches(p))) {
                kept.put(name, bytes);
              }
            });
    return new SourceFiles(files.commit(), files.path(), kept);
  }

  private static java.nio.file.PathMatcher matcher(String field, String glob, String path)
      throws RenderException {
    if (blank(glob)) {
      return null;
    }
    try {
      return java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob.trim());
    } catch (IllegalArgumentException e) {
      throw new RenderException(
          path,
          "spec.source.directory." + field + " \"" + glob + "\" is not a glob: " + e.getMessage());
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** Files of the repository, written out for a tool, symlinks already resolved by the reader. */
  private static void writeOut(SourceFiles files, Path root) throws IOException {
    Files.createDirectories(root);
    for (Map.Entry<String, byte[]> f : files.files().entrySet()) {
      Path target = root.resolve(f.getKey()).normalize();
      if (!target.startsWith(root)) {
        continue; // cannot happen for paths read from a Git tree; never write outside anyway
      }
      Files.createDirectories(target.getParent());
      Files.write(target, f.getValue());
    }
  }

  /**
   * The folder's {@code .jsonnet} files evaluated (as Argo CD does in a directory app; {@code
   * .libsonnet} files are only imported), their objects after the plain files' ones. Each result is
   * an object, or an array of objects.
   */
  private RenderedManifests withJsonnet(
      String commit,
      String path,
      RenderedManifests plainFiles,
      SourceFiles files,
      ApplicationSpec.Source source,
      Tree tree)
      throws SourceException, RenderException {
    List<String> programs =
        files.files().keySet().stream()
            .filter(f -> f.toLowerCase(Locale.ROOT).endsWith(".jsonnet"))
            .toList();
    if (programs.isEmpty()) {
      return plainFiles;
    }
    SourceFiles repository = tree.files("", true);
    List<Manifest> all = new ArrayList<>(plainFiles.manifests());
    for (String program : programs) {
      String file = path.isEmpty() ? program : path + "/" + program;
      String out =
          jsonnet.evaluate(
              repository.files(), file, source.directory == null ? null : source.directory.jsonnet);
      all.addAll(plain.fromOutput(commit, path, program, documents(program, out)).manifests());
    }
    return new RenderedManifests(commit, path, all, Type.DIRECTORY, plainFiles.notices());
  }

  /** A Jsonnet result as a stream of documents: the object, or each object of the array. */
  private static byte[] documents(String program, String json) throws RenderException {
    JsonNode value;
    try {
      value = JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new RenderException(program, "jsonnet " + program + ": " + e.getMessage());
    }
    if (value.isObject()) {
      return json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    if (!value.isArray()) {
      throw new RenderException(
          program,
          "jsonnet "
              + program
              + ": the result is "
              + value.getNodeType().name().toLowerCase(Locale.ROOT)
              + ", not an object or an array of objects");
    }
    StringBuilder stream = new StringBuilder();
    for (JsonNode item : value) {
      stream.append("---\n").append(item.toString()).append('\n');
    }
    return stream.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The tool that rendered these manifests: for a folder, sjsonnet when it held Jsonnet. */
  public String tool(RenderedManifests rendered) {
    if (rendered.type() == Type.DIRECTORY
        && rendered.manifests().stream().anyMatch(m -> m.file().endsWith(".jsonnet"))) {
      return JsonnetRunner.version();
    }
    return tool(rendered.type());
  }

  /** A folder of plain files that gives no objects is an error that says what it holds. */
  private static void explainNothing(String path, SourceFiles files, RenderedManifests rendered)
      throws RenderException {
    if (!rendered.manifests().isEmpty()) {
      return;
    }
    if (files.files().isEmpty()) {
      throw RenderException.because(
          "EmptySource", path, shown(path) + ": the folder is empty (no objects to deploy)");
    }
    List<String> manifests =
        files.files().keySet().stream().filter(ManifestRenderer::isManifestFile).toList();
    if (!manifests.isEmpty()) {
      throw RenderException.because(
          "EmptySource", path, shown(path) + ": " + list(manifests) + " hold no objects");
    }
    throw RenderException.because(
        "UnsupportedSource",
        path,
        shown(path)
            + ": no Kubernetes manifests (.yaml, .yml, .json), only "
            + list(new ArrayList<>(files.files().keySet()))
            + "; Mooring renders plain YAML/JSON, Kustomize and Helm");
  }

  /**
   * Leaves out what Argo CD never applies (hook {@code Skip}, Helm's test hooks, Helm events a sync
   * never is, which {@code notices} names) and refuses an object whose hook annotation cannot be
   * read. Hooks stay: the sync runs them in their phases.
   */
  static List<Manifest> withoutSkippedHooks(List<Manifest> manifests, List<String> notices)
      throws RenderException {
    List<Manifest> kept = new ArrayList<>(manifests.size());
    for (Manifest m : manifests) {
      Hook.Kind kind;
      try {
        kind = Hook.classify(m.object());
      } catch (Hook.InvalidHookException e) {
        throw RenderException.because(
            "InvalidHook",
            m.file(),
            m.origin() + " (" + m.kind() + " " + shownName(m) + "): " + e.getMessage());
      }
      if (kind instanceof Hook.Skipped skipped) {
        if (skipped.notice() != null) {
          notices.add(m.kind() + " " + shownName(m) + " is not applied: " + skipped.notice());
        }
        continue;
      }
      if (kind instanceof Hook.Hooked hooked && hooked.hook().runsIn(Hook.Type.PreDelete)) {
        notices.add(
            m.kind()
                + " "
                + shownName(m)
                + ": PreDelete hooks are not run: Mooring does not delete an Application's"
                + " resources when the Application is deleted");
        if (hooked.hook().types().size() == 1) {
          continue;
        }
      }
      kept.add(m);
    }
    return kept;
  }

  /** The object's name, or its generateName as {@code prefix*}. */
  static String shownName(Manifest m) {
    String name = m.name();
    if (name.isEmpty()) {
      String generate = m.object().path("metadata").path("generateName").asText("");
      return generate.isEmpty() ? "(no name)" : generate + "*";
    }
    return name;
  }

  private static String list(List<String> items) {
    int shown = Math.min(items.size(), 5);
    return String.join(", ", items.subList(0, shown))
        + (items.size() > shown ? " and " + (items.size() - shown) + " more" : "");
  }

  private static String normalize(String path) {
    if (path == null) {
      return "";
    }
    String p = path.trim();
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    if (p.equals(".")) {
      return "";
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private static String shown(String path) {
    return path.isEmpty() ? "the repository root" : path;
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a scratch folder left behind is no error of the render
    }
  }
}
