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

  /**
   * Unpacks {@code charts/*.tgz} (at any depth) and renames the hook annotations of templates.
   *
   * @return the templates (relative to the chart) that ask {@code .Capabilities.APIVersions}
   */
  static List<String> expose(Path chart) throws IOException {
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
              .toList();
    }
    List<String> asking = new java.util.ArrayList<>();
    for (Path t : templates) {
      String text = Files.readString(t, StandardCharsets.UTF_8);
      if (text.contains(HELM)) {
        Files.writeString(t, text.replace(HELM, MASKED), StandardCharsets.UTF_8);
      }
      if (text.contains(".Capabilities.APIVersions")) {
        asking.add(chart.relativize(t).toString().replace('\\', '/'));
      }
    }
    java.util.Collections.sort(asking);
    return asking;
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
