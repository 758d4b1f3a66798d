package dev.mooring.diff;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** One case under {@code src/test/resources/diff/<name>/}: desired, live and last-applied YAML. */
record Fixture(ObjectNode desired, ObjectNode live, ObjectNode lastApplied) {

  private static final YAMLMapper YAML = new YAMLMapper();

  static Fixture load(String name) {
    return new Fixture(
        read(name, "desired.yaml"), read(name, "live.yaml"), read(name, "last-applied.yaml"));
  }

  static ObjectNode yaml(String text) {
    try {
      return (ObjectNode) YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ResourceDiff diff() {
    return diff(List.of());
  }

  ResourceDiff diff(List<IgnoreRule> ignores) {
    return DiffEngine.diff(desired, live, lastApplied, ignores);
  }

  private static ObjectNode read(String name, String file) {
    try (InputStream in = Fixture.class.getResourceAsStream("/diff/" + name + "/" + file)) {
      return in == null ? null : (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
