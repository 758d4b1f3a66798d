package dev.mooring.controller;

import dev.mooring.cluster.KindResolver;
import dev.mooring.cluster.KubeClusterOps;
import dev.mooring.cluster.LiveCache;
import dev.mooring.health.HealthAssessor;
import dev.mooring.render.ManifestRenderer;
import dev.mooring.render.RenderCache;
import dev.mooring.sandbox.SandboxMode;
import dev.mooring.source.GitSource;
import dev.mooring.sync.Applier;
import dev.mooring.sync.Comparer;
import dev.mooring.sync.ForeignFields;
import dev.mooring.sync.PruneGuard;
import dev.mooring.sync.ServerPreview;
import dev.mooring.sync.SyncRunner;
import dev.mooring.sync.Tracking;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;

/** Builds the plain-Java core and its edges once, for CDI. */
@ApplicationScoped
public class Wiring {

  @Produces
  @ApplicationScoped
  GitSource gitSource(MooringConfig config, MeterRegistry registry, SandboxMode sandbox) {
    // the sandbox deploys this very checkout, so it reads local repositories
    return new GitSource(
        Path.of(config.git().cacheDir()),
        config.git().allowLocalRepos() || sandbox.active(),
        config.git().timeout(),
        registry);
  }

  void closeGit(@Disposes GitSource git) throws Exception {
    git.close();
  }

  @Produces
  @ApplicationScoped
  RenderCache renderCache() {
    return new RenderCache();
  }

  @Produces
  @ApplicationScoped
  ManifestRenderer renderer() {
    return new ManifestRenderer();
  }

  @Produces
  @ApplicationScoped
  dev.mooring.render.SourceRenderer sources(ManifestRenderer renderer, MooringConfig config) {
    MooringConfig.Render r = config.render();
    return new dev.mooring.render.SourceRenderer(
        renderer,
        new dev.mooring.render.KustomizeRunner(
            new dev.mooring.render.KustomizeRunner.Settings(
                r.kustomize().binary().orElse(""),
                r.kustomize().buildOptions().orElse(java.util.List.of()),
                r.timeout(),
                r.maxOutputBytes(),
                r.kustomize().allowRemoteBases(),
                r.parallelism())),
        new dev.mooring.render.HelmRunner(r.timeout(), r.maxOutputBytes(), r.parallelism()),
        new dev.mooring.render.JsonnetRunner(r.timeout(), r.maxOutputBytes(), r.parallelism()));
  }

  @Produces
  @ApplicationScoped
  HealthAssessor health() {
    return new HealthAssessor();
  }

  @Produces
  @ApplicationScoped
  KindResolver kinds(KubernetesClient client, SandboxMode sandbox) {
    // the sandbox's in-memory server has no discovery: the client's model stands in
    return new KindResolver(client, sandbox.active(), 2_000);
  }

  @Produces
  @ApplicationScoped
  LiveCache liveCache(KubernetesClient client, ReconcileTrigger trigger, KindResolver kinds) {
    LiveCache cache = new LiveCache(client, trigger::managedObjectChanged, Tracking.APP_LABEL);
    cache.servedBy(kinds::isServed, type -> kinds.forget(type.apiVersion()));
    return cache;
  }

  @Produces
  @ApplicationScoped
  ServerPreview preview(Applier applier, MooringConfig config, SandboxMode sandbox) {
    // the sandbox's in-memory server would store a dry run
    return new ServerPreview(applier, config.sync().serverDryRun() && !sandbox.active());
  }

  @Produces
  @ApplicationScoped
  PruneGuard pruneGuard(KindResolver kinds, KubernetesClient client) {
    return new PruneGuard(kinds, new KubeClusterOps(client));
  }

  void closeCache(@Disposes LiveCache cache) {
    cache.close();
  }

  @Produces
  @ApplicationScoped
  Applier applier(KubernetesClient client, LiveCache cache, ForeignFields foreign) {
    return new Applier(new KubeClusterOps(client), cache, foreign);
  }

  @Produces
  @ApplicationScoped
  Comparer comparer(
      KindResolver kinds,
      LiveCache cache,
      Applier applier,
      HealthAssessor health,
      ForeignFields foreign,
      ServerPreview preview,
      ClusterWrites writes) {
    // foreign: the canary controller's fields of Git-managed objects (CanaryTargets)
    return new Comparer(kinds, cache, applier, health, foreign, preview, writes);
  }

  @Produces
  @ApplicationScoped
  SyncRunner runner(
      Applier applier,
      LiveCache cache,
      HealthAssessor health,
      ServerPreview preview,
      KindResolver kinds,
      PruneGuard guard,
      ClusterWrites writes) {
    return new SyncRunner(applier, cache, health, preview, kinds, guard, writes);
  }
}
