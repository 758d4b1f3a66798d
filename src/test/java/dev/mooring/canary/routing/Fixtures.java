package dev.mooring.canary.routing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.mooring.model.Canary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the YAML fixtures of this package. */
final class Fixtures {
  static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  static final String CANARY_UID = "0e5d3c7a-aaaa-bbbb-cccc-ddddeeeeffff";

  private Fixtures() {}

  static ObjectNode object(String path) {
    return objects(path).get(0);
  }

  static List<ObjectNode> objects(String path) {
    try (InputStream in = open(path)) {
      YAMLParser parser = ((YAMLFactory) YAML.getFactory()).createParser(in);
      List<ObjectNode> docs = new ArrayList<>();
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        docs.add((ObjectNode) it.next());
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode deployment() {
    return object("canary/routing/podinfo-deployment.yaml");
  }

  static Map<String, ObjectNode> configsByKindName() {
    Map<String, ObjectNode> byKey = new LinkedHashMap<>();
    for (ObjectNode config : objects("canary/routing/podinfo-configs.yaml")) {
      byKey.put(
          config.path("kind").asText() + "/" + config.path("metadata").path("name").asText(),
          config);
    }
    return byKey;
  }

  /** Flagger's podinfo nginx tutorial Canary, with a uid as the API server would give it. */
  static Canary flaggerCanary() {
    Canary canary = canary("canary/podinfo-flagger.yaml");
    canary.getMetadata().setUid(CANARY_UID);
    return canary;
  }

  static Canary canary(String path) {
    try (InputStream in = open(path)) {
      return YAML.readValue(in, Canary.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String path) {
    InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IllegalArgumentException("no fixture " + path);
    }
    return in;
  }
}
