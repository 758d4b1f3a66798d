package dev.mooring.controller;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.model.Operation;
import dev.mooring.render.Manifest;
import dev.mooring.render.RenderCache;
import dev.mooring.render.RenderException;
import dev.mooring.render.RenderedManifests;
import dev.mooring.render.SourceRenderer;
import dev.mooring.source.GitSource;
import dev.mooring.source.RepoCredentials;
import dev.mooring.source.SourceException;
import dev.mooring.sync.Tracking;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * The Git side of a reconcile: credentials from the app's Secret, the shared mirror (fetched by the
 * poller, or now on a refresh request or an operation), the revision, and the rendered manifests
 * from the (commit, path) cache. An unreachable repository falls back to the mirror's last fetched
 * state and says so.
 */
@ApplicationScoped
public class DesiredState {
  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(DesiredState.class);
  private final KubernetesClient client;
  private final StatusWriter writer;
  private final SourceTracker tracker;
  private final GitSource git;
  private final RenderCache cache;
  private final SourceRenderer sources;
  private final MooringConfig config;
  private final dev.mooring.cluster.KindResolver kinds;
  private final dev.mooring.pipeline.PipelineIndex pipelines;

  /** Manifests at a revision, or the reason there are none. */
  public record Result(
      String revision,
      List<Manifest> manifests,
      String error,
      String errorReason,
      String warning,
      String sourceType,
      String renderedBy,
      List<String> notices) {
    static Result failed(String reason, String message) {
      return new Result(null, List.of(), message, reason, null, null, null, List.of());
    }
  }

  private volatile String kubeVersion;

  /** The cluster's version, for Helm's .Capabilities.KubeVersion; read once. */
  private String kubeVersion() {
    String v = kubeVersion;
    if (v == null) {
      try {
        v = client.getKubernetesVersion().getGitVersion();
      } catch (RuntimeException e) {
        return null; // asked again next time
      }
      kubeVersion = v;
    }
    return v;
  }

  public DesiredState(
      KubernetesClient client,
      SourceTracker tracker,
      GitSource git,
      RenderCache cache,
      SourceRenderer sources,
      MooringConfig config,
      StatusWriter writer,
      dev.mooring.cluster.KindResolver kinds,
      dev.mooring.pipeline.PipelineIndex pipelines) {
    this.kinds = kinds;
    this.pipelines = pipelines;
    this.client = client;
    this.writer = writer;
    this.tracker = tracker;
    this.git = git;
    this.cache = cache;
    this.sources = sources;
    this.config = config;
  }

  /** A commit's subject, author and time from the repository's mirror; null when unknown. */
  public dev.mooring.model.ApplicationStatus.CommitInfo commitInfo(String repoURL, String sha) {
    return git.commitInfo(repoURL, sha);
  }

  public Result load(Application app, Operation operation) {
    String invalid = invalid(app.getSpec());
    if (invalid != null) {
      return Result.failed("InvalidSpec", invalid);
    }
    String unsupported = unsupported(app.getSpec());
    if (unsupported != null) {
      return Result.failed("UnsupportedSpec", unsupported);
    }
    ApplicationSpec.Source source = app.getSpec().source;
    if (source == null || source.repoURL == null || source.repoURL.isBlank()) {
      return Result.failed("InvalidSpec", "spec.source.repoURL is required");
    }
    try {
      GitSource.normalizeUrl(source.repoURL);
    } catch (IllegalArgumentException e) {
      return Result.failed("InvalidSpec", "spec.source.repoURL: " + e.getMessage());
    }
    if (source.repoURL.matches("(?i)^[a-z][a-z0-9+.-]*://[^/@]*@.*")
        && !source.repoURL.startsWith("ssh://")) {
      // the mirror is shared by URL: credentials must come from the app's own Secret
      return Result.failed(
          "InvalidSpec",
          "spec.source.repoURL must not contain credentials;"
              + " put them in the Secret named by spec.source.secretRef");
    }
    RepoCredentials creds;
    try {
      creds = credentials(app);
    } catch (IllegalStateException e) {
      return Result.failed("CredentialsError", e.getMessage());
    }
    String appKey = app.getMetadata().getNamespace() + "/" + app.getMetadata().getName();
    Duration interval =
        Durations.parse(app.getSpec().refreshInterval, config.git().defaultRefreshInterval());
    tracker.register(appKey, source.repoURL, interval, creds);
    boolean refresh = ApplicationReconciler.hasRefreshAnnotation(app);
    long fetchStart = System.nanoTime();
    String fetchError = tracker.ensureFetched(source.repoURL, creds, refresh || operation != null);
    long fetched = System.nanoTime();
    if (refresh) {
      clearRefresh(app);
    }
    if (fetchError != null && !tracker.verified(source.repoURL, creds)) {
      // the mirror is shared: never serve it to an app whose own credentials have not fetched it
      return Result.failed("SourceError", fetchError);
    }
    String wanted =
        operation != null && operation.sync.revision != null && !operation.sync.revision.isBlank()
            ? operation.sync.revision
            : source.targetRevision;
    dev.mooring.pipeline.PipelineIndex.Stage stage =
        pipelines
            .stageOf(app.getMetadata().getNamespace(), app.getMetadata().getName())
            .orElse(null);
    if (stage != null) {
      // a stage of a pipeline syncs what the pipeline promoted to it, whatever targetRevision says
      String promoted = stage.revision();
      String by = promotedBy(stage);
      if (promoted == null || promoted.isBlank()) {
        return Result.failed(
            "AwaitingPromotion", by + " has promoted no revision to this Application yet");
      }
      if (operation != null
          && operation.sync.revision != null
          && !operation.sync.revision.isBlank()
          && !promoted.startsWith(operation.sync.revision)) {
        return Result.failed(
            "NotPromoted",
            "revision "
                + operation.sync.revision
                + " was not promoted by "
                + by
                + "; this Application syncs only "
                + AutoSyncPolicy.shortSha(promoted));
      }
      wanted = promoted;
    }
    String path = source.path == null ? "" : source.path;
    String namespace =
        app.getSpec().destination != null && app.getSpec().destination.namespace != null
            ? app.getSpec().destination.namespace
            : app.getMetadata().getNamespace();
    SourceRenderer.Request request =
        new SourceRenderer.Request(
            source, namespace, app.getMetadata().getName(), kubeVersion(), kinds.apiVersions());
    try {
      String revision = git.resolve(source.repoURL, wanted == null ? "" : wanted);
      RenderCache.Loader render =
          () ->
              sources.render(
                  revision,
                  request,
                  (folder, recurse) -> git.files(source.repoURL, revision, folder, recurse));
      String key = sources.cacheKey(request);
      RenderedManifests rendered = cache.get(source.repoURL, revision, path, key, render);
      if (rendered.apiVersionsDigest() != null
          && !rendered.apiVersionsDigest().equals(request.apiVersionsDigest())) {
        // a chart that asks .Capabilities.APIVersions, rendered before the cluster's API list
        // changed (a CRD came or went): its render under this list
        rendered =
            cache.get(
                source.repoURL,
                revision,
                path,
                key + "|apis=" + request.apiVersionsDigest(),
                render);
      }
      LOG.debugf(
          "%s: fetch %d ms, resolve and render %d ms",
          appKey, (fetched - fetchStart) / 1_000_000, (System.nanoTime() - fetched) / 1_000_000);
      return new Result(
          revision,
          rendered.manifests(),
          null,
          null,
          fetchError == null ? null : fetchError + " (showing the last fetched revision)",
          rendered.type().toString(),
          sources.tool(rendered),
          rendered.notices());
    } catch (SourceException e) {
      String message = fetchError != null ? fetchError : e.getMessage();
      return Result.failed(fetchError != null ? "SourceUnreachable" : "SourceError", message);
    } catch (RenderException e) {
      return Result.failed(e.reason(), e.getMessage());
    }
  }

  /** {@code stage dev of pipeline shop}. */
  static String promotedBy(dev.mooring.pipeline.PipelineIndex.Stage stage) {
    return "stage " + stage.stage() + " of pipeline " + stage.pipeline();
  }

  /** URLs by which Argo CD names the cluster it runs in. */
  private static final java.util.Set<String> IN_CLUSTER =
      java.util.Set.of("https://kubernetes.default.svc", "https://kubernetes.default.svc:443");

  /** What an Application written for Argo CD asks that Mooring cannot do, or null. */
  /** A field of the spec Mooring cannot read (a malformed duration), or null. */
  static String invalid(ApplicationSpec spec) {
    java.util.Map<String, String> durations = new java.util.LinkedHashMap<>();
    durations.put("spec.refreshInterval", spec.refreshInterval);
    if (spec.syncPolicy != null
        && spec.syncPolicy.retry != null
        && spec.syncPolicy.retry.backoff != null) {
      durations.put(
          "spec.syncPolicy.retry.backoff.duration", spec.syncPolicy.retry.backoff.duration);
      durations.put(
          "spec.syncPolicy.retry.backoff.maxDuration", spec.syncPolicy.retry.backoff.maxDuration);
    }
    for (var d : durations.entrySet()) {
      if (!Durations.blankOrValid(d.getValue())) {
        // never silently replaced by a default
        return d.getKey()
            + " \""
            + d.getValue()
            + "\" is not a duration (write it as 30s, 3m, 1h30m)";
      }
    }
    return null;
  }

  static String unsupported(ApplicationSpec spec) {
    ApplicationSpec.Source source = spec.source;
    if (source != null && source.chart != null && !source.chart.isBlank()) {
      return "spec.source.chart "
          + source.chart
          + ": charts from a Helm repository are not supported yet; keep the chart in Git and"
          + " point spec.source.path at it";
    }
    if (source != null && source.plugin != null) {
      return "spec.source.plugin: config management plugins are not supported; Mooring renders"
          + " plain YAML/JSON, Kustomize and Helm";
    }
    if (spec.sources != null && !spec.sources.isEmpty()) {
      return "spec.sources (several sources in one Application) is not supported yet;"
          + " give the Application one spec.source, or make one Application per source";
    }
    ApplicationSpec.Destination d = spec.destination;
    if (d != null && d.server != null && !d.server.isBlank()) {
      String server = d.server.trim().replaceAll("/+$", "");
      if (!IN_CLUSTER.contains(server)) {
        return "spec.destination.server "
            + d.server
            + ": Mooring deploys only to the cluster it runs in"
            + " (https://kubernetes.default.svc); other clusters are not supported yet";
      }
    }
    if (d != null && d.name != null && !d.name.isBlank() && !"in-cluster".equals(d.name)) {
      return "spec.destination.name "
          + d.name
          + ": Mooring deploys only to the cluster it runs in (in-cluster);"
          + " other clusters are not supported yet";
    }
    return null;
  }

  private RepoCredentials credentials(Application app) {
    ApplicationSpec.SecretRef ref = app.getSpec().source.secretRef;
    if (ref == null || ref.name == null || ref.name.isBlank()) {
      return RepoCredentials.none();
    }
    Secret secret;
    try {
      secret =
          client.secrets().inNamespace(app.getMetadata().getNamespace()).withName(ref.name).get();
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("cannot read Secret " + ref.name + ": " + e.getCode());
    }
    if (secret == null) {
      throw new IllegalStateException(
          "Secret " + app.getMetadata().getNamespace() + "/" + ref.name + " not found");
    }
    return RepoCredentials.fromSecretData(dev.mooring.cluster.Secrets.decoded(secret));
  }

  private void clearRefresh(Application app) {
    writer.removeAnnotationSoon(app, Tracking.REFRESH);
  }
}
