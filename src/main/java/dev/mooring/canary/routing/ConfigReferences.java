package dev.mooring.canary.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Every place a pod template names a ConfigMap or Secret: env valueFrom, envFrom, volumes and
 * projected volume sources, in containers and initContainers. One walk serves both reading the
 * references and rewriting them to their {@code -primary} copies, so the two never disagree.
 */
final class ConfigReferences {
  static final String CONFIG_MAP = "ConfigMap";
  static final String SECRET = "Secret";

  private ConfigReferences() {}

  /** A reference site: the object holding the name, the field of the name, and the kind. */
  private interface Visitor {
    void visit(ObjectNode holder, String nameField, String kind);
  }

  /** The references as {@code "ConfigMap/name"} and {@code "Secret/name"}, sorted. */
  static Set<String> of(JsonNode podTemplate) {
    Set<String> refs = new TreeSet<>();
    walk(
        podTemplate,
        (holder, field, kind) -> {
          if (holder.hasNonNull(field)) {
            refs.add(kind + "/" + holder.get(field).asText());
          }
        });
    return refs;
  }

  /** Renames every reference in place, e.g. to the primary's copies. */
  static void rename(ObjectNode podTemplate, UnaryOperator<String> newName) {
    walk(
        podTemplate,
        (holder, field, kind) -> {
          if (holder.hasNonNull(field)) {
            holder.put(field, newName.apply(holder.get(field).asText()));
          }
        });
  }

  private static void walk(JsonNode podTemplate, Visitor v) {
    JsonNode spec = podTemplate.path("spec");
    for (String list : new String[] {"initContainers", "containers"}) {
      for (JsonNode container : spec.path(list)) {
        for (JsonNode env : container.path("env")) {
          visit(env.path("valueFrom").path("configMapKeyRef"), "name", CONFIG_MAP, v);
          visit(env.path("valueFrom").path("secretKeyRef"), "name", SECRET, v);
        }
        for (JsonNode from : container.path("envFrom")) {
          visit(from.path("configMapRef"), "name", CONFIG_MAP, v);
          visit(from.path("secretRef"), "name", SECRET, v);
        }
      }
    }
    for (JsonNode volume : spec.path("volumes")) {
      visit(volume.path("configMap"), "name", CONFIG_MAP, v);
      visit(volume.path("secret"), "secretName", SECRET, v);
      for (JsonNode source : volume.path("projected").path("sources")) {
        visit(source.path("configMap"), "name", CONFIG_MAP, v);
        visit(source.path("secret"), "name", SECRET, v);
      }
    }
  }

  private static void visit(JsonNode holder, String field, String kind, Visitor v) {
    if (holder instanceof ObjectNode object) {
      v.visit(object, field, kind);
    }
  }
}
