package dev.mooring.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Pipeline;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two pipelines on one repository (two services of a monorepo) move on their own, on the real API
 * server; a third that names an Application of the first is refused, and the first goes on.
 */
@QuarkusTest
@WithRealKubernetes
class TwoPipelinesTest {
  private static final String NS = "twopipes";

  @Inject KubernetesClient client;

  private void pipeline(String name, String repo, String stages) {
    client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: mooring.dev/v1alpha1
                kind: Pipeline
                metadata: {name: %s, namespace: %s}
                spec:
                  source: {repoURL: %s, targetRevision: main}
                  stages:
                %s
                """
                    .formatted(name, NS, repo, stages.indent(2)),
                Pipeline.class))
        .create();
  }

  private String version(String ns, String name) {
    ConfigMap cm = client.configMaps().inNamespace(ns).withName(name).get();
    return cm == null ? null : cm.getData().get("version");
  }

  private static String config(String name, String version) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: %s}\ndata: {version: \"%s\"}\n"
        .formatted(name, version);
  }

  @Test
  void twoPipelinesOnOneRepositoryMoveOnTheirOwn() throws Exception {
    GitRepo repo = GitRepo.init(Files.createTempDirectory("mooring-two-pipes").resolve("mono"));
    for (String service : new String[] {"shop", "billing"}) {
      repo.write(service + "/base/kustomization.yaml", "resources: [config.yaml]\n")
          .write(service + "/base/config.yaml", config(service, "1"));
      for (String overlay : new String[] {"dev", "production"}) {
        repo.write(
            service + "/overlays/" + overlay + "/kustomization.yaml", "resources: [../../base]\n");
      }
    }
    String c1 = repo.commit("version 1 of both");
    PipelineFixture shop = new PipelineFixture(client, NS, "shop");
    PipelineFixture billing = new PipelineFixture(client, NS, "billing");
    PipelineFixture greedy = new PipelineFixture(client, NS, "greedy");
    shop.namespace("tp-dev");
    shop.namespace("tp-prod");
    pipeline(
        "shop",
        repo.url(),
        """
        - {name: dev, application: shop-dev}
        - {name: production, application: shop-prod, approvals: {required: 1}}
        """);
    pipeline(
        "billing",
        repo.url(),
        """
        - {name: dev, application: billing-dev}
        - {name: production, application: billing-prod, approvals: {required: 1}}
        """);
    for (String service : new String[] {"shop", "billing"}) {
      for (String[] stage : new String[][] {{"dev", "tp-dev"}, {"prod", "tp-prod"}}) {
        String overlay = stage[0].equals("prod") ? "production" : "dev";
        shop.app(
            service + "-" + stage[0], repo.url(), service + "/overlays/" + overlay, stage[1], null);
      }
    }

    // c1 enters both dev stages; each production waits for its own approval
    shop.awaitStage("production", s -> "WaitingApproval".equals(s.phase));
    billing.awaitStage("production", s -> "WaitingApproval".equals(s.phase));
    assertThat(version("tp-dev", "shop")).isEqualTo("1");
    assertThat(version("tp-dev", "billing")).isEqualTo("1");
    assertThat(shop.decide("alice-token", "production", "approvals", c1).statusCode())
        .isEqualTo(200);
    shop.awaitStage("production", s -> "Succeeded".equals(s.phase) && c1.equals(s.revision));
    await().atMost(Duration.ofSeconds(30)).until(() -> "1".equals(version("tp-prod", "shop")));
    // billing's approval is billing's own
    assertThat(billing.awaitStage("production", s -> true).phase).isEqualTo("WaitingApproval");
    assertThat(version("tp-prod", "billing")).isNull();

    // a third pipeline naming shop-dev is refused; shop goes on
    pipeline("greedy", repo.url(), "- {name: dev, application: shop-dev}\n");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            greedy::get,
            p ->
                p.getStatus() != null
                    && p.getStatus().conditions.stream()
                        .anyMatch(
                            c ->
                                "Ready".equals(c.type)
                                    && "False".equals(c.status)
                                    && c.message.contains("belongs to pipeline shop already")));

    // c2 changes shop only: both pipelines take the commit; billing's production still waits
    repo.write("shop/base/config.yaml", config("shop", "2"));
    String c2 = repo.commit("shop version 2");
    shop.awaitStage("dev", s -> "Succeeded".equals(s.phase) && c2.equals(s.revision));
    billing.awaitStage("dev", s -> "Succeeded".equals(s.phase) && c2.equals(s.revision));
    assertThat(version("tp-dev", "shop")).isEqualTo("2");
    shop.awaitStage("production", s -> s.candidate != null && c2.equals(s.candidate.revision));
    assertThat(billing.decide("bob-token", "production", "approvals", c2).statusCode())
        .isEqualTo(200);
    billing.awaitStage("production", s -> "Succeeded".equals(s.phase) && c2.equals(s.revision));
    assertThat(version("tp-prod", "billing")).isEqualTo("1");
    assertThat(version("tp-prod", "shop")).isEqualTo("1");
    assertThat(shop.awaitStage("production", s -> true).revision).isEqualTo(c1);
  }
}
