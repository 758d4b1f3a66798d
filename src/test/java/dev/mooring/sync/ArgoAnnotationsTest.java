package dev.mooring.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Manifests written for Argo CD keep their meaning; Mooring's own annotation wins over Argo's. */
class ArgoAnnotationsTest {
  private static ObjectNode object(String annotations) throws Exception {
    return (ObjectNode)
        new ObjectMapper()
            .readTree(
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\","
                    + "\"annotations\":"
                    + annotations
                    + "}}");
  }

  @Test
  void aLeftoverMarkedIgnoreExtraneousDoesNotMakeTheAppOutOfSync() throws Exception {
    dev.mooring.cluster.ResourceType cm =
        new dev.mooring.cluster.ResourceType("", "v1", "ConfigMap", "configmaps", true);
    SyncPlanner.Orphan marked =
        new SyncPlanner.Orphan(
            new ResourceKey("", "ConfigMap", "ns", "x"),
            cm,
            object(
                "{\"argocd.argoproj.io/compare-options\":\"ServerSideDiff=true,IgnoreExtraneous\"}"),
            SyncOptions.parse((String) null));
    SyncPlanner.Orphan plain =
        new SyncPlanner.Orphan(
            new ResourceKey("", "ConfigMap", "ns", "y"),
            cm,
            object("{}"),
            SyncOptions.parse((String) null));
    assertThat(marked.ignoredExtraneous()).isTrue();
    assertThat(plain.ignoredExtraneous()).isFalse();
    assertThat(
            new Comparison(
                    "c",
                    java.util.List.of(),
                    java.util.Map.of(),
                    java.util.Map.of(),
                    java.util.List.of(marked))
                .inSync())
        .isTrue();
    assertThat(
            new Comparison(
                    "c",
                    java.util.List.of(),
                    java.util.Map.of(),
                    java.util.Map.of(),
                    java.util.List.of(marked, plain))
                .inSync())
        .isFalse();
  }

  @Test
  void argoCdAnnotationsAreAliases() throws Exception {
    ObjectNode argo =
        object(
            "{\"argocd.argoproj.io/sync-wave\":\"3\","
                + "\"argocd.argoproj.io/sync-options\":\"Prune=false\","
                + "\"argocd.argoproj.io/compare-options\":\"IgnoreExtraneous\"}");
    assertThat(Tracking.wave(argo)).isEqualTo(3);
    assertThat(Tracking.annotation(argo, Tracking.SYNC_OPTIONS)).isEqualTo("Prune=false");
    assertThat(Tracking.annotation(argo, Tracking.COMPARE_OPTIONS)).isEqualTo("IgnoreExtraneous");
    ObjectNode both =
        object("{\"argocd.argoproj.io/sync-wave\":\"3\",\"mooring.dev/sync-wave\":\"-1\"}");
    assertThat(Tracking.wave(both)).isEqualTo(-1);
    assertThat(Tracking.wave(object("{}"))).isZero();
    assertThat(
            Tracking.annotation(object("{\"argocd.argoproj.io/refresh\":\"x\"}"), Tracking.REFRESH))
        .as("only the object annotations have aliases")
        .isNull();
  }
}
