package dev.mooring.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads the server's record of field ownership ({@code metadata.managedFields}, format FieldsV1),
 * so that server-side apply knows what Mooring applied last time without an annotation, and moves
 * ownership from client-side writes to server-side apply as kubectl's {@code csaupgrade} does.
 */
public final class ManagedFields {
  public static final String APPLY = "Apply";
  public static final String UPDATE = "Update";

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A leaf in a shape: the field was owned; its value is not recorded in FieldsV1. */
  private static final JsonNode OWNED = F.textNode("(owned)");

  private ManagedFields() {}

  /** An entry of a manager with an operation, on the object itself (not a subresource). */
  public static Predicate<JsonNode> entry(String manager, String operation) {
    return e ->
        manager.equals(e.path("manager").asText())
            && operation.equals(e.path("operation").asText())
            && e.path("subresource").asText("").isEmpty();
  }

  /** True when the live object has a managedFields entry matching {@code which}. */
  public static boolean has(JsonNode live, Predicate<JsonNode> which) {
    for (JsonNode e : live.path("metadata").path("managedFields")) {
      if (which.test(e)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The fields owned by the entries matching {@code which}, as an object of the resource's shape:
   * owned scalars hold a marker value (only their presence counts), keyed list items carry their
   * key fields. It serves the three-way merge as "what was applied last time"; null when no entry
   * matches.
   */
  public static ObjectNode ownedShape(JsonNode live, Predicate<JsonNode> which) {
    ObjectNode union = null;
    for (JsonNode e : live.path("metadata").path("managedFields")) {
      if (which.test(e) && e.path("fieldsV1").isObject()) {
        union = union == null ? F.objectNode() : union;
        unionInto(union, (ObjectNode) e.get("fieldsV1"));
      }
    }
    return union == null ? null : shape(union);
  }

  /**
   * kubectl's csaupgrade: the managedFields with the entries of {@code csaManagers} (operation
   * Update, the object itself) folded into the Apply entry of {@code ssaManager}, so that a
   * server-side apply by it owns, and may remove, what the client-side writes set. Null when there
   * is nothing to fold.
   */
  public static ArrayNode upgraded(JsonNode live, Set<String> csaManagers, String ssaManager) {
    JsonNode entries = live.path("metadata").path("managedFields");
    ArrayNode out = F.arrayNode();
    ObjectNode apply = null;
    ObjectNode folded = null;
    JsonNode firstCsa = null;
    for (JsonNode e : entries) {
      boolean csa =
          csaManagers.contains(e.path("manager").asText())
              && UPDATE.equals(e.path("operation").asText())
              && e.path("subresource").asText("").isEmpty();
      if (csa) {
        folded = folded == null ? F.objectNode() : folded;
        if (e.path("fieldsV1").isObject()) {
          unionInto(folded, (ObjectNode) e.get("fieldsV1"));
        }
        firstCsa = firstCsa == null ? e : firstCsa;
        continue;
      }
      ObjectNode copy = e.deepCopy();
      if (entry(ssaManager, APPLY).test(e)) {
        apply = copy;
      }
      out.add(copy);
    }
    if (folded == null) {
      return null;
    }
    if (apply == null) {
      apply = F.objectNode();
      apply.put("manager", ssaManager);
      apply.put("operation", APPLY);
      apply.put("apiVersion", firstCsa.path("apiVersion").asText());
      if (firstCsa.has("time")) {
        apply.set("time", firstCsa.get("time"));
      }
      apply.put("fieldsType", "FieldsV1");
      apply.set("fieldsV1", F.objectNode());
      out.add(apply);
    }
    ObjectNode fields =
        apply.path("fieldsV1").isObject() ? (ObjectNode) apply.get("fieldsV1") : F.objectNode();
    unionInto(fields, folded);
    apply.set("fieldsV1", fields);
    return out;
  }

  private static void unionInto(ObjectNode into, ObjectNode from) {
    for (Map.Entry<String, JsonNode> f : from.properties()) {
      JsonNode have = into.get(f.getKey());
      if (have instanceof ObjectNode h && f.getValue() instanceof ObjectNode v) {
        unionInto(h, v);
      } else if (have == null) {
        into.set(f.getKey(), f.getValue().deepCopy());
      }
    }
  }

  /** FieldsV1 ({@code f:name}, {@code k:{...}}, {@code v:value}, {@code i:N}) to a shape. */
  private static ObjectNode shape(ObjectNode fields) {
    ObjectNode out = F.objectNode();
    for (Map.Entry<String, JsonNode> f : fields.properties()) {
      if (f.getKey().startsWith("f:")) {
        out.set(f.getKey().substring(2), valueShape(f.getValue()));
      }
    }
    return out;
  }

  private static JsonNode valueShape(JsonNode children) {
    if (!(children instanceof ObjectNode c) || !hasChildren(c)) {
      return OWNED;
    }
    boolean list = false;
    for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      list |= k.startsWith("k:") || k.startsWith("v:") || k.startsWith("i:");
    }
    if (!list) {
      return shape(c);
    }
    ArrayNode items = F.arrayNode();
    for (Map.Entry<String, JsonNode> f : c.properties()) {
      String k = f.getKey();
      if (k.startsWith("k:")) {
        ObjectNode item = keyOf(k.substring(2));
        if (f.getValue() instanceof ObjectNode sub) {
          shape(sub).properties().forEach(p -> item.putIfAbsent(p.getKey(), p.getValue()));
        }
        items.add(item);
      } else if (k.startsWith("v:")) {
        items.add(parse(k.substring(2)));
      } else if (k.startsWith("i:")) {
        items.add(valueShape(f.getValue()));
      }
    }
    return items;
  }

  private static boolean hasChildren(ObjectNode c) {
    for (Iterator<String> it = c.fieldNames(); it.hasNext(); ) {
      if (!it.next().equals(".")) {
        return true;
      }
    }
    return false;
  }

  private static ObjectNode keyOf(String json) {
    JsonNode key = parse(json);
    return key instanceof ObjectNode o ? o : F.objectNode();
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (Exception e) {
      return F.textNode(json);
    }
  }
}
