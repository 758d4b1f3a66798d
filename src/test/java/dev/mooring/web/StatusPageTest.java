package dev.mooring.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The status page lists Applications with sync and health, and escapes what it shows. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, https = false)
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
        .until(() -> given().get("/").asString().contains("shop"));
    String html =
        given().get("/").then().statusCode(200).contentType("text/html").extract().asString();
    assertThat(html).contains("page/<b>shop</b>").contains("api/v1/events");
    assertThat(html).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;");
  }
}
