package dev.mooring.sync;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mooring.cluster.ResourceType;
import dev.mooring.sync.SyncPlanner.Candidate;
import dev.mooring.sync.SyncPlanner.Orphan;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Objects for planner tests: multi-document YAML fixtures and hand-built resource types. */
final class PlanFixtures {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String EXPECT = "#   ";

  /** Plurals of the kinds the fixtures use; built by hand as the planner never resolves kinds. */
  private static final Map<String, String> PLURALS =
      Map.ofEntries(
          Map.entry("Namespace", "namespaces"),
          Map.entry("CustomResourceDefinition", "customresourcedefinitions"),
          Map.entry("ServiceAccount", "serviceaccounts"),
          Map.entry("Secret", "secrets"),
          Map.entry("ConfigMap", "configmaps"),
          Map.entry("ClusterRole", "clusterroles"),
          Map.entry("Service", "services"),
          Map.entry("Deployment", "deployments"),
          Map.entry("Job", "jobs"),
          Map.entry("Ingress", "ingresses"),
          Map.entry("Widget", "widgets"));

  private PlanFixtures() {}

  /** The documents of {@code sync/<path>}, in file order. */
  static List<ObjectNode> objects(String path) {
    try (InputStream in = open(path);
        MappingIterator<ObjectNode> docs =
            YAML.readerFor(ObjectNode.class)
                .without(JsonParser.Feature.AUTO_CLOSE_SOURCE)
                .readValues(in)) {
      List<ObjectNode> objects = new ArrayList<>();
      while (docs.hasNext()) {
        ObjectNode doc = docs.next();
        if (doc != null && !doc.isEmpty()) {
          objects.add(doc);
        }
      }
      return objects;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The "# [wave] key" lines of a fixture's header comment. */
  static List<String> expectedOrder(String path) {
    try (InputStream in = open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(line -> line.startsWith(EXPECT + "["))
          .map(line -> line.substring(EXPECT.length()).trim())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode yaml(String text) {
    try {
      return (ObjectNode) YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ResourceType type(ObjectNode object) {
    String apiVersion = object.path("apiVersion").asText();
    String kind = object.path("kind").asText();
    return new ResourceType(
        ResourceType.groupOf(apiVersion),
        ResourceType.versionOf(apiVersion),
        kind,
        PLURALS.getOrDefault(kind, kind.toLowerCase() + "s"),
        object.path("metadata").has("namespace"));
  }

  static Candidate candidate(ObjectNode desired, ObjectNode live, boolean inSync) {
    return new Candidate(
        ResourceKey.of(desired),
        type(desired),
        desired,
        live,
        inSync,
        SyncOptions.parse(List.of()));
  }

  /** A candidate that exists live but differs, so that it plans an UPDATE. */
  static Candidate outOfSync(ObjectNode desired) {
    return candidate(desired, desired.deepCopy(), false);
  }

  static Orphan orphan(ObjectNode live) {
    return new Orphan(
        ResourceKey.of(live),
        type(live),
        live,
        SyncOptions.parse(Tracking.annotation(live, Tracking.SYNC_OPTIONS)));
  }

  private static InputStream open(String path) {
    InputStream in = PlanFixtures.class.getResourceAsStream("/sync/" + path);
    if (in == null) {
      throw new IllegalArgumentException("no fixture sync/" + path);
    }
    return in;
  }
}
