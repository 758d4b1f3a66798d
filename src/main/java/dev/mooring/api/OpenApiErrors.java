package dev.mooring.api;

import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Documents the error answers of every API operation, in one place: the contract's {@code {"error",
 * "message"}} body with each status an operation can answer, so that the document says what a
 * client really gets (a test compares every endpoint's answers with it).
 */
public class OpenApiErrors implements OASFilter {
  static final String SCHEMA = "ApiError";

  private static final Map<String, String> READ =
      Map.of(
          "401", "no, an unknown or a malformed bearer token where one is needed",
          "404", "no such object",
          "414", "request target over mooring.api.max-uri-length",
          "500", "an unexpected failure; the log has the error id the message names",
          "503", "the kind is not available (its CRD is missing)");
  private static final Map<String, String> WRITE =
      Map.of(
          "400", "malformed JSON, an unknown field, a value of the wrong type, or over a limit",
          "401", "no, an unknown or a malformed bearer token",
          "403", "a read-only token, or a name that may not approve",
          "404", "no such object",
          "409", "the object is busy or changed meanwhile; nothing was done",
          "413", "body over mooring.api.max-body",
          "414", "request target over mooring.api.max-uri-length",
          "500", "an unexpected failure; the log has the error id the message names");

  private static final Map<String, String> WEBHOOK =
      Map.of(
          "400", "malformed, or no provider's headers",
          "401", "missing or bad signature",
          "413", "payload over mooring.webhook.max-payload",
          "500", "an unexpected failure; the log has the error id the message names");

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    if (openAPI.getComponents() == null) {
      openAPI.setComponents(OASFactory.createComponents());
    }
    openAPI
        .getComponents()
        .addSchema(
            SCHEMA,
            OASFactory.createSchema()
                .type(java.util.List.of(Schema.SchemaType.OBJECT))
                .description("The contract's error body")
                .addProperty(
                    "error",
                    OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.STRING)))
                .addProperty(
                    "message",
                    OASFactory.createSchema().type(java.util.List.of(Schema.SchemaType.STRING)))
                .required(java.util.List.of("error", "message")));
    // free-form JSON: Kubernetes objects (a diff's desired and live) and managedFields' fieldsV1,
    // which the generator would describe as the bean properties of Jackson's JsonNode
    for (String free : new String[] {"JsonNode", "FieldsV1"}) {
      if (openAPI.getComponents().getSchemas() != null
          && openAPI.getComponents().getSchemas().containsKey(free)) {
        openAPI
            .getComponents()
            .addSchema(
                free,
                OASFactory.createSchema()
                    .type(java.util.List.of(Schema.SchemaType.OBJECT))
                    .additionalPropertiesSchema(OASFactory.createSchema())
                    .description("any JSON object"));
      }
    }
    if (openAPI.getPaths() == null) {
      return;
    }
    openAPI
        .getPaths()
        .getPathItems()
        .forEach(
            (path, item) -> {
              if (path.equals("/api/webhook")) {
                Operation receive = item.getPOST();
                WEBHOOK.forEach((code, why) -> document(receive, code, why));
                return;
              }
              if (!path.startsWith("/api/v1")) {
                return;
              }
              for (Map.Entry<PathItem.HttpMethod, Operation> e : item.getOperations().entrySet()) {
                boolean read = e.getKey() == PathItem.HttpMethod.GET;
                Map<String, String> codes = read ? READ : WRITE;
                codes.forEach((code, why) -> document(e.getValue(), code, why));
              }
            });
  }

  private static void document(Operation operation, String code, String why) {
    if (operation.getResponses() == null) {
      operation.setResponses(OASFactory.createAPIResponses());
    }
    APIResponse response = operation.getResponses().getAPIResponse(code);
    if (response == null) {
      response = OASFactory.createAPIResponse().description(why);
      operation.getResponses().addAPIResponse(code, response);
    }
    Content content = response.getContent();
    if (content == null) {
      content = OASFactory.createContent();
      response.setContent(content);
    }
    MediaType json = content.getMediaType(jakarta.ws.rs.core.MediaType.APPLICATION_JSON);
    if (json == null) {
      // an example-only answer written as an annotation gets its schema here
      json = content.getMediaType("*/*");
      if (json == null) {
        json = OASFactory.createMediaType();
      }
      content.addMediaType(jakarta.ws.rs.core.MediaType.APPLICATION_JSON, json);
    }
    if (json.getSchema() == null) {
      json.setSchema(OASFactory.createSchema().ref(SCHEMA));
    }
  }
}
