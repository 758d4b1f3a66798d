package dev.mooring.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.testing.WithRealKubernetes;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The OpenAPI document describes every endpoint of the contract, with examples. */
@QuarkusTest
@WithRealKubernetes
class OpenApiTest {

  @Test
  void everyContractPathIsDocumentedWithExamples() {
    String doc = given().queryParam("format", "json").get("/q/openapi").asString();
    for (String path :
        new String[] {
          "/api/webhook",
          "/api/v1/applications",
          "/api/v1/applications/{namespace}/{name}",
          "/api/v1/applications/{namespace}/{name}/sync",
          "/api/v1/applications/{namespace}/{name}/refresh",
          "/api/v1/applications/{namespace}/{name}/diff",
          "/api/v1/applications/{namespace}/{name}/resources",
          "/api/v1/applications/{namespace}/{name}/history",
          "/api/v1/applications/{namespace}/{name}/rollback",
          "/api/v1/applications/{namespace}/{name}/operation",
          "/api/v1/events"
        }) {
      assertThat(doc).contains("\"" + path + "\"");
    }
    assertThat(doc).contains("\"examples\"").contains("dry run of one commit");
    assertThat(given().get("/q/swagger-ui/").statusCode()).isEqualTo(200);
  }
}
