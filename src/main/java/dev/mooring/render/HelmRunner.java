package dev.mooring.render;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.mooring.model.ApplicationSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Renders a Helm chart written out from Git in process ({@code helm template} through helm-java):
 * release name and namespace, value files from the same repository, inline values and {@code --set}
 * parameters, local dependencies, and the cluster's Kubernetes version as {@code
 * .Capabilities.KubeVersion}; hooks included, as {@code helm template} prints them ({@link
 * HelmHooks}). Bounded in time, output size and concurrency.
 */
public final class HelmRunner {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private final InProcessTool tool;

  public HelmRunner(java.time.Duration timeout, long maxOutputBytes, int parallelism) {
    this.tool = new InProcessTool("mooring-helm", 0, timeout, maxOutputBytes, parallelism);
  }

  private volatile String version;

  /** "helm v3.x" as helm-java reports it, read once. */
  public String version() {
    String v = version;
    if (v == null) {
      try {
        v = "helm " + Helm.version().call();
      } catch (RuntimeException | LinkageError e) {
        v = "helm (version unknown: " + e.getMessage() + ")";
      }
      version = v;
    }
    return v;
  }

  /**
   * @param root the repository as written out
   * @param chart the chart's folder inside it
   * @param shown the chart's folder as messages name it
   * @param kubeVersion the cluster's version ({@code v1.32.13}), or null
   * @param apiVersions the cluster's API list for {@code .Capabilities.APIVersions.Has}, or null
   * @param notices gets what the render could not give as the cluster would (templates that ask
   *     {@code .Capabilities.APIVersions})
   */
  /**
   * What a chart rendered to.
   *
   * @param askedApiVersions its templates asked {@code .Capabilities.APIVersions} and got the
   *     cluster's list: the render depends on it
   */
  public record Output(byte[] bytes, boolean askedApiVersions) {}

  public Output template(
      Path root,
      Path chart,
      String shown,
      ApplicationSpec.Helm options,
      String releaseName,
      String namespace,
      String kubeVersion,
      java.util.List<String> apiVersions,
      Path work,
      java.util.List<String> notices)
      throws RenderException {
    ApplicationSpec.Helm o = options == null ? new ApplicationSpec.Helm() : options;
    Helm helm = new Helm(chart);
    TemplateCommand template =
        helm.template()
            .withName(
                o.releaseName != null && !o.releaseName.isBlank() ? o.releaseName : releaseName);
    if (namespace != null && !namespace.isBlank()) {
      template.withNamespace(namespace);
    }
    if (kubeVersion != null && !kubeVersion.isBlank()) {
      template.withKubeVersion(kubeVersion);
    }
    if (apiVersions != null) {
      // the cluster's API list, where the templates' .Capabilities.APIVersions.Has is pointed
      try {
        com.fasterxml.jackson.databind.node.ObjectNode apis = JSON.createObjectNode();
        apiVersions.forEach(a -> apis.put(a, true));
        com.fasterxml.jackson.databind.node.ObjectNode values = JSON.createObjectNode();
        values.putObject("global").set(HelmHooks.API_VERSIONS_VALUE, apis);
        Path file = work.resolve("cluster-api-versions.json");
        Files.writeString(file, values.toString(), StandardCharsets.UTF_8);
        template.withValuesFile(file);
      } catch (IOException e) {
        throw new RenderException(shown, "helm template " + shown + ": " + e.getMessage());
      }
    }
    if (o.valueFiles != null) {
      for (String file : o.valueFiles) {
        template.withValuesFile(valueFile(root, chart, shown, file));
      }
    }
    try {
      if (o.values != null && !o.values.isBlank()) {
        Path inline = work.resolve("inline-values.yaml");
        Files.writeString(inline, o.values, StandardCharsets.UTF_8);
        template.withValuesFile(inline);
      }
    } catch (IOException e) {
      throw new RenderException(shown, "helm template " + shown + ": " + e.getMessage());
    }
    if (o.parameters != null) {
      for (ApplicationSpec.HelmParameter p : o.parameters) {
        if (p == null || p.name == null || p.name.isBlank()) {
          throw new RenderException(shown, "spec.source.helm.parameters: an entry has no name");
        }
        template.set(p.name, p.value == null ? "" : p.value);
      }
    }
    boolean dependencies = declaresDependencies(chart);
    String ran = "helm template " + shown;
    Output out =
        tool.run(
            ran,
            shown,
            () -> {
              if (dependencies) {
                helm.dependency().build().call();
              }
              HelmHooks.Exposure exposure = HelmHooks.expose(chart, apiVersions != null);
              String rendered;
              boolean answered = exposure.answered();
              try {
                rendered = template.call();
              } catch (RuntimeException e) {
                if (!answered) {
                  throw e;
                }
                // a template that asks .Capabilities where .Values is not at hand: Helm's own
                // list it is, and the condition says so
                exposure.unanswer();
                answered = false;
                rendered = template.call();
              }
              java.util.List<String> asking = answered ? exposure.unanswered() : exposure.asking();
              if (!asking.isEmpty()) {
                notices.add(
                    ran
                        + ": "
                        + String.join(", ", asking.subList(0, Math.min(3, asking.size())))
                        + (asking.size() > 3 ? " and " + (asking.size() - 3) + " more" : "")
                        + " ask .Capabilities.APIVersions in a way Mooring cannot answer with"
                        + " the cluster's API list: they get Helm's built-in list, without the"
                        + " cluster's custom resources");
              }
              return new Output(
                  HelmHooks.restore(rendered).getBytes(StandardCharsets.UTF_8),
                  answered && !exposure.asking().isEmpty());
            },
            cause ->
                InProcessTool.message(cause)
                    .replace(root.toString() + "/", "")
                    .replace(work.toString(), ""));
    tool.checkSize(ran, shown, out.bytes().length);
    return out;
  }

  /** A value file of the same repository, relative to the chart (as Argo CD reads them). */
  private static Path valueFile(Path root, Path chart, String shown, String file)
      throws RenderException {
    if (file == null || file.isBlank()) {
      throw new RenderException(shown, "spec.source.helm.valueFiles: an entry is empty");
    }
    if (file.matches("(?i)^[a-z][a-z0-9+.-]*://.*")) {
      throw new RenderException(
          shown,
          "spec.source.helm.valueFiles: \""
              + file
              + "\" is a URL; value files come from the same repository");
    }
    Path p = chart.resolve(file).normalize();
    if (file.startsWith("/") || !p.startsWith(root)) {
      throw new RenderException(
          shown, "spec.source.helm.valueFiles: \"" + file + "\" is outside the repository");
    }
    if (!Files.isRegularFile(p)) {
      throw new RenderException(
          shown, "spec.source.helm.valueFiles: \"" + file + "\" does not exist in the repository");
    }
    return p;
  }

  private static boolean declaresDependencies(Path chart) {
    try {
      String text = Files.readString(chart.resolve("Chart.yaml"), StandardCharsets.UTF_8);
      return text.lines().anyMatch(l -> l.startsWith("dependencies:"));
    } catch (IOException e) {
      return false;
    }
  }
}
