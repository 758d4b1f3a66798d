package dev.mooring.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.model.ApplicationSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an Application written for Argo CD may ask that Mooring cannot do is said, not ignored. */
class ArgoSpecTest {
  private static ApplicationSpec spec() {
    ApplicationSpec spec = new ApplicationSpec();
    spec.source = new ApplicationSpec.Source();
    spec.source.repoURL = "https://git.example/r.git";
    spec.destination = new ApplicationSpec.Destination();
    return spec;
  }

  @Test
  void whatMooringCannotDoIsNamed() {
    assertThat(DesiredState.unsupported(spec())).isNull();
    ApplicationSpec inCluster = spec();
    inCluster.destination.server = "https://kubernetes.default.svc/";
    inCluster.destination.name = "in-cluster";
    inCluster.project = "default";
    assertThat(DesiredState.unsupported(inCluster)).isNull();

    ApplicationSpec chart = spec();
    chart.source.chart = "nginx";
    assertThat(DesiredState.unsupported(chart)).contains("charts from a Helm repository");
    ApplicationSpec plugin = spec();
    plugin.source.plugin = new ApplicationSpec.Plugin();
    assertThat(DesiredState.unsupported(plugin)).contains("config management plugins");
    ApplicationSpec jsonnet = spec();
    jsonnet.source.directory = new ApplicationSpec.Directory();
    jsonnet.source.directory.jsonnet = new ApplicationSpec.Jsonnet();
    assertThat(DesiredState.unsupported(jsonnet)).as("Jsonnet is rendered").isNull();
    ApplicationSpec sources = spec();
    sources.sources = List.of(new ApplicationSpec.Source());
    assertThat(DesiredState.unsupported(sources)).contains("spec.sources");
    ApplicationSpec other = spec();
    other.destination.name = "prod";
    assertThat(DesiredState.unsupported(other)).contains("spec.destination.name prod");
  }

  @Test
  void malformedDurationsAreErrorsNotDefaults() {
    ApplicationSpec s = spec();
    assertThat(DesiredState.invalid(s)).isNull();
    s.refreshInterval = "3m";
    assertThat(DesiredState.invalid(s)).isNull();
    s.syncPolicy = new ApplicationSpec.SyncPolicy();
    s.syncPolicy.retry = new ApplicationSpec.Retry();
    s.syncPolicy.retry.backoff = new ApplicationSpec.Backoff();
    s.syncPolicy.retry.backoff.maxDuration = "forever";
    assertThat(DesiredState.invalid(s))
        .contains("spec.syncPolicy.retry.backoff.maxDuration \"forever\" is not a duration");
  }
}
