package dev.mooring.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The client-side three-way merge of {@code kubectl apply}: desired (Git) wins for every field it
 * sets, fields that left Git since the last apply are removed, and whatever the server or other
 * controllers added is kept.
 */
final class ThreeWayMerge {

  private final String kind;

  ThreeWayMerge(String kind) {
    this.kind = kind;
  }

  /** Merges {@code desired} into {@code target} (a copy of live), in place. */
  void mergeObject(ObjectNode target, ObjectNode desired, JsonNode lastApplied, List<String> path) {
    ObjectNode last =
        lastApplied != null && lastApplied.isObject() ? (ObjectNode) lastApplied : null;
    for (Map.Entry<String, JsonNode> field : desired.properties()) {
      String name = field.getKey();
      JsonNode want = field.getValue();
      JsonNode have = target.get(name);
      if (Normalizer.isAbsent(want)) {
        continue;
      }
      if (Normalizer.isAbsent(have)) {
        if (!Normalizer.emptyEqualsAbsent(name, want)) {
          target.set(name, clean(want));
        }
        continue;
      }
      List<String> at = append(path, name);
      JsonNode lastValue = last == null ? null : last.get(name);
      if (want.isObject() && have.isObject()) {
        mergeObject((ObjectNode) have, (ObjectNode) want, lastValue, at);
      } else if (want.isArray() && have.isArray()) {
        target.set(name, mergeList((ArrayNode) have, (ArrayNode) want, lastValue, at));
      } else if (!Normalizer.sameAt(kind, at, want, have)) {
        target.set(name, clean(want));
      }
    }
    if (last != null) {
      // A field applied last time but gone from Git was deleted in Git: delete it live too.
      for (String name : fieldNames(last)) {
        if (Normalizer.isAbsent(desired.get(name))) {
          target.remove(name);
        }
      }
    }
  }

  private ArrayNode mergeList(ArrayNode live, ArrayNode desired, JsonNode last, List<String> path) {
    ArrayNode lastList = last != null && last.isArray() ? (ArrayNode) last : null;
    Optional<ListKeys> keys = ListKeys.forPath(kind, path);
    if (keys.isPresent()) {
      Optional<ArrayNode> merged = mergeByKey(keys.get(), live, desired, lastList, path);
      if (merged.isPresent()) {
        return merged.get();
      }
    }
    if (covers(desired, live, path) && !removedSince(lastList, desired, live)) {
      return live;
    }
    return (ArrayNode) clean(desired);
  }

  /**
   * Merges entries by key: entries new in Git go right after their predecessor in Git, entries only
   * live keep their place, and Git's own entries follow Git's order.
   */
  private Optional<ArrayNode> mergeByKey(
      ListKeys keys, ArrayNode live, ArrayNode desired, ArrayNode last, List<String> path) {
    Map<String, JsonNode> wanted = byKey(keys, desired);
    Map<String, JsonNode> present = byKey(keys, live);
    if (wanted == null || present == null) {
      return Optional.empty();
    }
    Map<String, JsonNode> applied = new HashMap<>();
    if (last != null) {
      for (JsonNode entry : last) {
        keys.keyOf(entry).ifPresent(k -> applied.put(k, entry));
      }
    }
    ArrayNode out = live.arrayNode();
    List<String> outKeys = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : present.entrySet()) {
      String key = entry.getKey();
      JsonNode want = wanted.get(key);
      if (want != null) {
        ObjectNode merged = ((ObjectNode) entry.getValue()).deepCopy();
        mergeObject(merged, (ObjectNode) want, withoutKeys(keys, applied.get(key)), path);
        out.add(merged);
        outKeys.add(key);
      } else if (!applied.containsKey(key)) {
        out.add(entry.getValue().deepCopy());
        outKeys.add(key);
      }
    }
    String previous = null;
    for (Map.Entry<String, JsonNode> entry : wanted.entrySet()) {
      String key = entry.getKey();
      if (!present.containsKey(key)) {
        int at = previous == null ? 0 : outKeys.indexOf(previous) + 1;
        out.insert(at, clean(entry.getValue()));
        outKeys.add(at, key);
      }
      previous = key;
    }
    return Optional.of(inGitOrder(out, outKeys, wanted));
  }

  /**
   * Git's entries in Git's order (the order of env variables, containers and ports can matter, and
   * a reorder in Git is a change), each in one of the places Git's entries hold, so that entries
   * only the cluster has (an injected sidecar) keep their place among them.
   */
  private static ArrayNode inGitOrder(
      ArrayNode merged, List<String> keys, Map<String, JsonNode> wanted) {
    List<Integer> slots = new ArrayList<>();
    Map<String, JsonNode> byKey = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      if (wanted.containsKey(keys.get(i))) {
        slots.add(i);
        byKey.put(keys.get(i), merged.get(i));
      }
    }
    List<String> order = new ArrayList<>();
    for (String key : wanted.keySet()) {
      if (byKey.containsKey(key)) {
        order.add(key);
      }
    }
    ArrayNode out = merged.arrayNode();
    out.addAll(merged);
    for (int k = 0; k < slots.size(); k++) {
      out.set(slots.get(k), byKey.get(order.get(k)));
    }
    return out;
  }

  /**
   * What was applied to an entry, less the fields that identify it: a key field (a port's protocol,
   * defaulted by the server) is never "removed from Git", it is how the entry is found.
   */
  private static JsonNode withoutKeys(ListKeys keys, JsonNode applied) {
    if (!(applied instanceof ObjectNode entry)) {
      return applied;
    }
    ObjectNode copy = entry.deepCopy();
    keys.fields().forEach(copy::remove);
    return copy;
  }

  /** Entries by key in list order, or null when an entry has no key or a key repeats. */
  private static Map<String, JsonNode> byKey(ListKeys keys, ArrayNode list) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode entry : list) {
      Optional<String> key = keys.keyOf(entry);
      if (key.isEmpty() || out.put(key.get(), entry) != null) {
        return null;
      }
    }
    return out;
  }

  /**
   * True when live already holds everything desired says: equal scalars (quantities where the
   * schema says so), objects with at least desired's fields (the server adds defaults inside list
   * items), lists element by element.
   */
  private boolean covers(JsonNode desired, JsonNode live, List<String> path) {
    String field = path.get(path.size() - 1);
    if (Normalizer.isAbsent(live)) {
      return Normalizer.emptyEqualsAbsent(field, desired);
    }
    if (desired.isObject() && live.isObject()) {
      for (Map.Entry<String, JsonNode> f : desired.properties()) {
        if (!Normalizer.isAbsent(f.getValue())
            && !covers(f.getValue(), live.get(f.getKey()), append(path, f.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray() && live.isArray()) {
      if (desired.size() != live.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!covers(desired.get(i), live.get(i), path)) {
          return false;
        }
      }
      return true;
    }
    return Normalizer.sameAt(kind, path, desired, live);
  }

  /** True when a field applied last time is gone from desired but still present live. */
  private static boolean removedSince(JsonNode last, JsonNode desired, JsonNode live) {
    if (last == null || live == null || desired == null) {
      return false;
    }
    if (last.isObject() && desired.isObject() && live.isObject()) {
      for (String name : fieldNames(last)) {
        JsonNode want = desired.get(name);
        JsonNode have = live.get(name);
        if (Normalizer.isAbsent(want)
            ? !Normalizer.isAbsent(have)
            : removedSince(last.get(name), want, have)) {
          return true;
        }
      }
      return false;
    }
    if (last.isArray() && desired.isArray() && live.isArray()) {
      int n = Math.min(last.size(), Math.min(desired.size(), live.size()));
      for (int i = 0; i < n; i++) {
        if (removedSince(last.get(i), desired.get(i), live.get(i))) {
          return true;
        }
      }
    }
    return false;
  }

  /** A deep copy without null-valued fields (a null in a manifest means "not set"). */
  static JsonNode clean(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = ((ObjectNode) node).objectNode();
      for (Map.Entry<String, JsonNode> f : node.properties()) {
        if (!Normalizer.isAbsent(f.getValue())) {
          out.set(f.getKey(), clean(f.getValue()));
        }
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = ((ArrayNode) node).arrayNode();
      node.forEach(e -> out.add(clean(e)));
      return out;
    }
    return node.deepCopy();
  }

  private static Set<String> fieldNames(JsonNode obj) {
    Set<String> names = new HashSet<>();
    obj.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> append(List<String> path, String name) {
    List<String> out = new ArrayList<>(path);
    out.add(name);
    return out;
  }
}
