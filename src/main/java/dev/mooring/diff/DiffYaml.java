package dev.mooring.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * YAML text of an object for a human diff: server bookkeeping left out, since Git never sets it.
 */
final class DiffYaml {

  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .build();

  private static final List<String> METADATA_NOISE =
      List.of(
          "managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink");

  private static final List<String> ANNOTATION_NOISE =
      List.of(DiffEngine.LAST_APPLIED_ANNOTATION, DiffEngine.LEGACY_LAST_APPLIED_ANNOTATION);

  private DiffYaml() {}

  /** The YAML of {@code obj} without noise, or {@code ""} for null. */
  static String render(ObjectNode obj) {
    if (obj == null) {
      return "";
    }
    try {
      return YAML.writeValueAsString(withoutNoise(obj));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode withoutNoise(ObjectNode obj) {
    ObjectNode copy = obj.deepCopy();
    copy.remove("status");
    JsonNode metadata = copy.get("metadata");
    if (metadata instanceof ObjectNode meta) {
      meta.remove(METADATA_NOISE);
      if (meta.get("annotations") instanceof ObjectNode annotations) {
        annotations.remove(ANNOTATION_NOISE);
        if (annotations.isEmpty()) {
          meta.remove("annotations");
        }
      }
    }
    return copy;
  }
}
