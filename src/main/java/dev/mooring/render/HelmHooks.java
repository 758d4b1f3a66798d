package dev.mooring.render;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Keeps a chart's hooks in what helm-java renders. helm-java's template returns the release's
 * manifest only, which leaves out every object Helm takes for a hook (those annotated {@code
 * helm.sh/hook}), where {@code helm template} prints them too. So before the render, in the chart's
 * scratch copy, packaged subcharts are unpacked and the templates' {@code helm.sh/hook} annotations
 * are renamed, so that Helm renders the hooks as ordinary objects; after it, the names are put back
 * and the sync runs them as hooks.
 */
final class HelmHooks {
  static final String HELM = "helm.sh/hook";
  static final String MASKED = "mooring.dev/helm-hook";

  /** Packed subcharts larger than this are not unpacked (a chart is kilobytes). */
  private static final long MAX_UNPACKED_BYTES = 64L * 1024 * 1024;

  private HelmHooks() {}

  /** Where the cluster's API list is put in the values ({@code .Values.global.<this>}). */
  static final String API_VERSIONS_VALUE = "mooringClusterApiVersions";

  /**
   * {@code .Capabilities.APIVersions.Has}, with what comes before it ({@code $}, {@code $root}).
   */
  private static final java.util.regex.Pattern HAS =
      java.util.regex.Pattern.compile("(\\$\\w*)?\\.Capabilities\\.APIVersions\\.Has\\b");

  /**
   * What {@link #expose} did to a chart's templates.
   *
   * @param asking the templates that ask {@code .Capabilities.APIVersions}
   * @param unanswered those of them that ask it otherwise than with {@code .Has}
   * @param originals the templates whose {@code .Has} calls now read the cluster's list, as they
   *     were before
   */
  record Exposure(
      List<String> asking, List<String> unanswered, java.util.Map<Path, String> originals) {
    boolean answered() {
      return !originals.isEmpty();
    }

    /** Puts back the templates' own {@code .Capabilities.APIVersions.Has} calls. */
    void unanswer() throws IOException {
      for (var e : originals.entrySet()) {
        Files.writeString(e.getKey(), e.getValue().replace(HELM, MASKED), StandardCharsets.UTF_8);
      }
    }
  }

  /**
   * Unpacks {@code charts/*.tgz} (at any depth) and renames the hook annotations of templates; with
   * {@code clusterApis}, points each {@code .Capabilities.APIVersions.Has "x"} at the cluster's API
   * list in the values ({@code index .Values.global.<list> "x"}), which Helm's template through
   * helm-java cannot be given otherwise.
   */
  static Exposure expose(Path chart, boolean clusterApis) throws IOException {
    unpackSubcharts(chart);
    List<Path> templates;
    try (Stream<Path> files = Files.walk(chart)) {
      templates =
          files
              .filter(Files::isRegularFile)
              .filter(
                  p ->
                      chart
                          .relativize(p)
                          .toString()
                          .replace('\\', '/')
                          .matches("(.*/)?templates/.*"))
              .sorted()
              .toList();
    }
    List<String> asking = new java.util.ArrayList<>();
    List<String> unanswered = new java.util.ArrayList<>();
    java.util.Map<Path, String> originals = new java.util.LinkedHashMap<>();
    for (Path t : templates) {
      String text = Files.readString(t, StandardCharsets.UTF_8);
      String changed = text.replace(HELM, MASKED);
      if (text.contains(".Capabilities.APIVersions")) {
        String name = chart.relativize(t).toString().replace('\\', '/');
        asking.add(name);
        if (clusterApis) {
          String answered =
              HAS.matcher(changed)
                  .replaceAll(
                      m ->
                          java.util.regex.Matcher.quoteReplacement(
                              "index "
                                  + (m.group(1) == null ? "" : m.group(1))
                                  + ".Values.global."
                                  + API_VERSIONS_VALUE));
          if (!answered.equals(changed)) {
            originals.put(t, text);
            changed = answered;
          }
          if (changed.contains(".Capabilities.APIVersions")) {
            unanswered.add(name);
          }
        } else {
          unanswered.add(name);
        }
      }
      if (!changed.equals(text)) {
        Files.writeString(t, changed, StandardCharsets.UTF_8);
      }
    }
    return new Exposure(asking, unanswered, originals);
  }

  /** The rendered output with the hook annotations under their own names again. */
  static String restore(String rendered) {
    return rendered.replace(MASKED, HELM);
  }

  private static void unpackSubcharts(Path chart) throws IOException {
    Path charts = chart.resolve("charts");
    if (!Files.isDirectory(charts)) {
      return;
    }
    List<Path> packed;
    try (Stream<Path> files = Files.list(charts)) {
      packed = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).toList();
    }
    for (Path tgz : packed) {
      String name = tgz.getFileName().toString().replaceAll("\\.tgz$", "");
      Path into = charts.resolve(".unpacked-" + name);
      unpack(tgz, into);
      // a chart archive holds one folder, the chart; it replaces the archive
      List<Path> tops;
      try (Stream<Path> files = Files.list(into)) {
        tops = files.filter(Files::isDirectory).toList();
      }
      if (tops.size() != 1 || !Files.isRegularFile(tops.get(0).resolve("Chart.yaml"))) {
        throw new IOException(
            "charts/" + tgz.getFileName() + " is not a chart archive (one folder with Chart.yaml)");
      }
      Path target = charts.resolve(name);
      if (Files.exists(target)) {
        throw new IOException(
            "charts/" + tgz.getFileName() + " and charts/" + name + " are both there; keep one");
      }
      Files.move(tops.get(0), target);
      Files.delete(into);
      Files.delete(tgz);
    }
    try (Stream<Path> files = Files.list(charts)) {
      for (Path sub : files.filter(Files::isDirectory).toList()) {
        unpackSubcharts(sub);
      }
    }
  }

  private static void unpack(Path tgz, Path into) throws IOException {
    Files.createDirectories(into);
    long total = 0;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(tgz));
        TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path target = into.resolve(entry.getName()).normalize();
        if (!target.startsWith(into)) {
          throw new IOException(tgz.getFileName() + ": entry " + entry.getName() + " escapes it");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (entry.isFile()) {
          total += entry.getSize();
          if (total > MAX_UNPACKED_BYTES) {
            throw new IOException(
                tgz.getFileName() + ": more than " + MAX_UNPACKED_BYTES + " bytes unpacked");
          }
          Files.createDirectories(target.getParent());
          Files.copy(tar, target);
        }
        // links and devices are never part of a chart: left out
      }
    }
  }
}
