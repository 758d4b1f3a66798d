package dev.mooring.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One in-process `helm template` of charts/mooring, as text and as parsed documents. */
record ChartRender(String text, List<JsonNode> documents) {
  static final Path CHART = Path.of("charts/mooring");
  private static final YAMLMapper YAML = new YAMLMapper();

  /** Renders release "mooring" in namespace "mooring" with the given --set values. */
  static ChartRender of(Map<String, Object> sets) {
    TemplateCommand command =
        new Helm(CHART).template().withName("mooring").withNamespace("mooring");
    sets.forEach(command::set);
    String text = command.call();
    return new ChartRender(text, parse(text));
  }

  static List<JsonNode> parse(String text) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && doc.isObject() && doc.has("kind")) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  List<JsonNode> ofKind(String kind) {
    return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
  }

  Optional<JsonNode> first(String kind) {
    return ofKind(kind).stream().findFirst();
  }

  /** The Deployment's only container. */
  JsonNode container() {
    return first("Deployment").orElseThrow().at("/spec/template/spec/containers/0");
  }

  /** The container's env entry of that name, or a missing node. */
  JsonNode env(String name) {
    for (JsonNode entry : container().path("env")) {
      if (name.equals(entry.path("name").asText())) {
        return entry;
      }
    }
    return MissingNode.getInstance();
  }
}
