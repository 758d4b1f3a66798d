package dev.mooring.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryAnalysis;
import dev.mooring.model.CanaryService;
import dev.mooring.model.CanarySpec;
import dev.mooring.model.CanaryStatus;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The status page lists Applications with sync and health, and Canaries with phase, weight and
 * checks, and escapes what it shows.
 */
@QuarkusTest
@WithRealKubernetes
class StatusPageTest {
  @Inject KubernetesClient client;

  @Test
  void thePageListsApplicationsAndEscapesTheirFields() {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("page").endMetadata().build())
        .createOr(n -> n.update());
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("shop").withNamespace("page").build());
    app.setSpec(new ApplicationSpec());
    app.getSpec().source = new ApplicationSpec.Source();
    app.getSpec().source.repoURL = "file:///nowhere/<script>alert(1)</script>.git";
    client.resource(app).create();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> given().get("/").asString().contains("class=\"problem error\""));
    String html =
        given().get("/").then().statusCode(200).contentType("text/html").extract().asString();
    assertThat(html)
        .contains("<a class=\"app-link\" href=\"/applications/page/shop\">page/<b>shop</b></a>")
        .contains("/ui/list.js")
        .contains("data-error=\"1\"");
    // the reason an unreachable repository is not Ready is on the page, not in a tooltip
    int start = html.indexOf("<tr id=\"app-page-shop\"");
    String row = html.substring(start, html.indexOf("</tr>", start));
    assertThat(row).contains("<b>InvalidSpec:</b>").contains("(for ");
    assertThat(html).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;");
  }

  @Test
  void thePageListsCanariesWithTheirLastCheckAndEscapesTheirMessages() {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("page").endMetadata().build())
        .createOr(n -> n.update());
    Canary canary = new Canary();
    canary.setMetadata(new ObjectMetaBuilder().withName("podinfo").withNamespace("page").build());
    canary.setSpec(new CanarySpec());
    canary.getSpec().provider = "nginx";
    canary.getSpec().targetRef = new CanarySpec.ObjectRef("apps/v1", "Deployment", "podinfo-app");
    canary.getSpec().ingressRef =
        new CanarySpec.ObjectRef("networking.k8s.io/v1", "Ingress", "podinfo-app");
    canary.getSpec().service = new CanaryService();
    canary.getSpec().service.port = 80;
    canary.getSpec().analysis = new CanaryAnalysis();
    canary.getSpec().analysis.threshold = 5;
    canary.getSpec().suspend = true; // the controller leaves the status written here alone
    Canary created = client.resource(canary).create();
    CanaryStatus status = new CanaryStatus();
    status.phase = "Progressing";
    status.canaryWeight = 20;
    status.failedChecks = 1;
    CanaryStatus.Condition promoted = new CanaryStatus.Condition();
    promoted.type = CanaryStatus.CONDITION_PROMOTED;
    promoted.status = "Unknown";
    promoted.message = "Analysis in progress <script>alert(2)</script>";
    status.conditions = List.of(promoted);
    status.analysisHistory =
        List.of(
            new CanaryStatus.AnalysisRecord(
                "2026-11-22T01:00:00Z", "request-duration", 120.0, null, 500.0, true, "ok"),
            new CanaryStatus.AnalysisRecord(
                "2026-11-22T01:01:00Z",
                "request-success-rate",
                97.5,
                99.0,
                null,
                false,
                "97.5 is below the minimum 99 \"<b>\""));
    created.setStatus(status);
    client.resource(created).updateStatus();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> given().get("/").asString().contains("badge phase Progressing"));
    String html =
        given().get("/").then().statusCode(200).contentType("text/html").extract().asString();
    int start = html.indexOf("<tr id=\"canary-page-podinfo\"");
    assertThat(start).isNotNegative();
    String row = html.substring(start, html.indexOf("</tr>", start));
    assertThat(row)
        .contains("data-threshold=\"5\"")
        .contains("href=\"/canaries/page/podinfo\">page/<b>podinfo</b></a>")
        .contains("class=\"target\">podinfo-app</td>")
        .contains("class=\"provider\">nginx</td>")
        .contains("<span class=\"badge phase Progressing\">Progressing</span>")
        .contains("class=\"weight\">20%</td>")
        .contains("class=\"failed\">1/5</td>")
        .contains(
            "<span class=\"fail\">request-success-rate 97.5 ✗</span> <span class=\"muted small\">"
                + "97.5 is below the minimum 99 &quot;&lt;b&gt;&quot;</span>")
        .contains(
            "class=\"message muted\">Analysis in progress"
                + " &lt;script&gt;alert(2)&lt;/script&gt;</td>");
    assertThat(html).doesNotContain("<script>alert(2)</script>").doesNotContain("No Canaries.");
  }
}
