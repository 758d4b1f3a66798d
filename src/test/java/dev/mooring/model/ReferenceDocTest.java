package dev.mooring.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code docs/reference.md} is the reference of the kinds' fields: every field of a CRD's schema is
 * named in that kind's section, so that a field added to the model cannot go undocumented.
 */
class ReferenceDocTest {
  private static final Path DOC = Path.of("docs", "reference.md");

  @ParameterizedTest
  @ValueSource(
      strings = {"alertproviders", "applications", "canaries", "metrictemplates", "pipelines"})
  void everyFieldOfTheCrdIsNamedInItsSection(String plural) throws Exception {
    JsonNode crd =
        new YAMLMapper()
            .readTree(Path.of("config", "crd", plural + ".mooring.dev-v1.yml").toFile());
    String kind = crd.path("spec").path("names").path("kind").asText();
    Set<String> fields = new TreeSet<>();
    for (JsonNode version : crd.path("spec").path("versions")) {
      collect(version.path("schema").path("openAPIV3Schema"), fields);
    }
    assertThat(fields).isNotEmpty();
    String section = section(Files.readString(DOC), kind);
    Set<String> missing = new TreeSet<>();
    for (String field : fields) {
      if (!Pattern.compile("\\b" + Pattern.quote(field) + "\\b").matcher(section).find()) {
        missing.add(field);
      }
    }
    assertThat(missing).as("fields of %s not named in %s, section %s", plural, DOC, kind).isEmpty();
  }

  private static void collect(JsonNode schema, Set<String> fields) {
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            e -> {
              fields.add(e.getKey());
              collect(e.getValue(), fields);
            });
    if (schema.has("items")) {
      collect(schema.path("items"), fields);
    }
  }

  /** From the heading {@code ## Kind} to the next heading of that level. */
  private static String section(String doc, String kind) {
    int start = doc.indexOf("\n## " + kind + "\n");
    assertThat(start).as("%s has a section ## %s", DOC, kind).isNotNegative();
    int end = doc.indexOf("\n## ", start + 1);
    return end < 0 ? doc.substring(start) : doc.substring(start, end);
  }
}
