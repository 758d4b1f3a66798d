package dev.mooring.sandbox;

import dev.mooring.controller.MooringConfig;
import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.model.Pipeline;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * In the sandbox only: installs the CRDs into the in-memory API server and registers an Application
 * for this checkout's {@code manifests-example/} and a Pipeline for {@code pipeline-example/}, so
 * that one command shows the loop and a promotion waiting for approval; writes a kubeconfig for
 * kubectl ({@code mooring.sandbox.kubeconfig}) and removes it again when Mooring stops.
 */
@ApplicationScoped
public class SandboxBootstrap {
  private static final Logger LOG = Logger.getLogger(SandboxBootstrap.class);
  static final String PIPELINE_EXAMPLE = "pipeline-example";
  private volatile Path kubeconfig;

  void onStart(
      @Observes StartupEvent event,
      KubernetesClient client,
      MooringConfig config,
      SandboxMode mode) {
    String examplePath = config.sandbox().examplePath();
    if (!mode.active()) {
      return;
    }
    LOG.warnf(
        "SANDBOX: no kubeconfig or in-cluster account found; using an in-memory API server at %s"
            + " (fabric8 mock, CRUD mode). Nothing reaches a real cluster.",
        client.getMasterUrl());
    for (String plural :
        List.of("alertproviders", "applications", "canaries", "metrictemplates", "pipelines")) {
      try (InputStream crd =
          getClass().getResourceAsStream("/crd/" + plural + ".mooring.dev-v1.yml")) {
        if (crd != null) {
          client
              .resource(Serialization.unmarshal(crd, CustomResourceDefinition.class))
              .createOr(c -> c.update());
        }
      } catch (Exception e) {
        LOG.warnf(e, "SANDBOX: could not install the %s CRD: %s", plural, e.getMessage());
      }
    }
    writeKubeconfig(Path.of(config.sandbox().kubeconfig()), client.getMasterUrl().toString());
    Path root = Path.of("").toAbsolutePath();
    // .git is a folder in a clone, a file in a linked worktree
    while (root != null && !Files.exists(root.resolve(".git"))) {
      root = root.getParent();
    }
    if (root == null || !Files.isDirectory(root.resolve(examplePath))) {
      LOG.warnf(
          "SANDBOX: no Git checkout with %s/ around the working directory; register Applications"
              + " yourself",
          examplePath);
      return;
    }
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("mooring").endMetadata().build())
        .createOr(n -> n.update());
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("example").withNamespace("mooring").build());
    ApplicationSpec spec = new ApplicationSpec();
    spec.source = new ApplicationSpec.Source();
    spec.source.repoURL = root.toUri().toString();
    spec.source.path = examplePath;
    spec.source.targetRevision = "HEAD";
    spec.destination = new ApplicationSpec.Destination();
    spec.destination.namespace = "example";
    spec.syncPolicy = new ApplicationSpec.SyncPolicy();
    spec.syncPolicy.automated = new ApplicationSpec.Automated();
    spec.syncPolicy.automated.prune = true;
    spec.syncPolicy.automated.selfHeal = true;
    spec.syncPolicy.syncOptions = List.of("CreateNamespace=true");
    spec.refreshInterval = "10s";
    app.setSpec(spec);
    client.resource(app).createOr(a -> a.update());
    LOG.infof(
        "SANDBOX: registered Application mooring/example for %s (path %s, committed state only)",
        root, examplePath);
    registerPipeline(client, root);
  }

  /** A kubeconfig for kubectl against the in-memory API server (no credentials: it has none). */
  static String kubeconfigFor(String masterUrl) {
    String server =
        masterUrl.endsWith("/") ? masterUrl.substring(0, masterUrl.length() - 1) : masterUrl;
    return String.join(
        "\n",
        "# written by Mooring's sandbox; removed when Mooring stops",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: mooring-sandbox",
        "  cluster: {server: \"" + server + "\"}",
        "users:",
        "- name: mooring-sandbox",
        "  user: {}",
        "contexts:",
        "- name: mooring-sandbox",
        "  context: {cluster: mooring-sandbox, user: mooring-sandbox, namespace: mooring}",
        "current-context: mooring-sandbox",
        "");
  }

  private void writeKubeconfig(Path file, String masterUrl) {
    Path absolute = file.toAbsolutePath();
    try {
      if (absolute.getParent() != null) {
        Files.createDirectories(absolute.getParent());
      }
      Files.writeString(absolute, kubeconfigFor(masterUrl));
      kubeconfig = absolute;
      LOG.infof(
          "SANDBOX: kubeconfig written to %s; try: kubectl --kubeconfig %s get applications -A",
          absolute, absolute);
    } catch (IOException e) {
      LOG.warnf("SANDBOX: could not write the kubeconfig %s: %s", absolute, e.getMessage());
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    Path file = kubeconfig;
    if (file != null) {
      try {
        // it points at a server that is going away with this process
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.debugf("SANDBOX: could not remove %s: %s", file, e.getMessage());
      }
    }
  }

  /**
   * Registers {@code pipeline-example/pipeline.yaml} (three Applications and their Pipeline) with
   * this checkout as the repository and its checked-out branch as the pipeline's branch.
   */
  private static void registerPipeline(KubernetesClient client, Path root) {
    Path file = root.resolve(PIPELINE_EXAMPLE).resolve("pipeline.yaml");
    if (!Files.isRegularFile(file)) {
      return;
    }
    String repo = root.toUri().toString();
    try {
      for (String doc : Files.readString(file).split("(?m)^---\\s*$")) {
        GenericKubernetesResource generic =
            Serialization.unmarshal(doc, GenericKubernetesResource.class);
        if (generic == null) {
          continue;
        }
        HasMetadata item;
        if ("Application".equals(generic.getKind())) {
          Application app = Serialization.unmarshal(doc, Application.class);
          app.getSpec().source.repoURL = repo;
          app.getSpec().source.targetRevision = "HEAD";
          item = app;
        } else if ("Pipeline".equals(generic.getKind())) {
          Pipeline pipeline = Serialization.unmarshal(doc, Pipeline.class);
          pipeline.getSpec().source.repoURL = repo;
          pipeline.getSpec().source.targetRevision = "HEAD";
          item = pipeline;
        } else {
          continue;
        }
        client.resource(item).createOr(x -> x.update());
      }
      LOG.infof(
          "SANDBOX: registered Pipeline mooring/shop from %s: dev takes each commit, staging waits"
              + " for one approval, production for two (sandbox tokens: see the README)",
          root.relativize(file));
    } catch (Exception e) {
      LOG.warnf("SANDBOX: could not register %s: %s", file, e.getMessage());
    }
  }
}
