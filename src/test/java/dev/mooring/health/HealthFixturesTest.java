package dev.mooring.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every fixture under {@code src/test/resources/health/<kind>/<case>.yaml}; each fixture says
 * what it expects in its own annotations.
 */
class HealthFixturesTest {

  private static final String EXPECTED_HEALTH = "test.mooring.dev/expected-health";
  private static final String EXPECTED_MESSAGE = "test.mooring.dev/expected-message-contains";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final HealthAssessor assessor = new HealthAssessor();

  static List<String> fixtures() throws IOException, URISyntaxException {
    Path root = root();
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml"))
          .map(f -> root.relativize(f).toString().replace('\\', '/'))
          .sorted()
          .toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void eachFixtureHasTheHealthItsAnnotationExpects(String fixture) throws Exception {
    JsonNode obj = YAML.readTree(root().resolve(fixture).toFile());
    JsonNode annotations = obj.path("metadata").path("annotations");
    assertThat(annotations.has(EXPECTED_HEALTH))
        .as("fixture %s names its expected health", fixture)
        .isTrue();

    Health health = assessor.assess(obj);

    assertThat(health.status())
        .as("%s (message: %s)", fixture, health.message())
        .isEqualTo(HealthStatus.valueOf(annotations.path(EXPECTED_HEALTH).asText()));
    if (annotations.has(EXPECTED_MESSAGE)) {
      assertThat(health.message()).contains(annotations.path(EXPECTED_MESSAGE).asText());
    }
    if (!health.isHealthy()) {
      // pitfalls.md, "Waiting forever for health": a status that is not Healthy says why.
      assertThat(health.message()).as("%s explains its status", fixture).isNotBlank();
    }
  }

  @Test
  void everyBuiltInKindHasFixturesForAtLeastTwoStates() throws Exception {
    for (String kind :
        List.of(
            "deployment",
            "statefulset",
            "daemonset",
            "replicaset",
            "pod",
            "service",
            "ingress",
            "persistentvolumeclaim",
            "job",
            "cronjob",
            "horizontalpodautoscaler",
            "customresourcedefinition",
            "namespace",
            "application",
            "canary")) {
      assertThat(fixtures())
          .as(kind)
          .filteredOn(f -> f.startsWith(kind + "/"))
          .hasSizeGreaterThan(1);
    }
  }

  private static Path root() throws URISyntaxException {
    return Path.of(HealthFixturesTest.class.getResource("/health").toURI());
  }
}
