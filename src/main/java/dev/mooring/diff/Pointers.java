package dev.mooring.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Reading and writing JSON trees at RFC 6901 JSON pointers. */
public final class Pointers {

  private Pointers() {}

  static List<String> tokens(String pointer) {
    List<String> out = new ArrayList<>();
    if (pointer == null || pointer.isEmpty()) {
      return out;
    }
    String body = pointer.startsWith("/") ? pointer.substring(1) : pointer;
    for (String raw : body.split("/", -1)) {
      out.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  /** The node at {@code pointer}, or null when there is none. */
  public static JsonNode get(JsonNode root, String pointer) {
    return walk(root, tokens(pointer));
  }

  /**
   * Makes {@code target} hold what {@code source} holds at {@code pointer}: copies the value, or
   * removes it (and parents left empty that {@code source} does not have) when source has none. A
   * null or missing {@code source} removes the field.
   */
  public static void copyFrom(JsonNode source, ObjectNode target, String pointer) {
    List<String> tokens = tokens(pointer);
    if (tokens.isEmpty()) {
      return;
    }
    JsonNode value = get(source, pointer);
    if (value != null) {
      set(target, tokens, value.deepCopy());
      return;
    }
    for (int depth = tokens.size(); depth > 0; depth--) {
      List<String> parentPath = tokens.subList(0, depth - 1);
      JsonNode parent = walk(target, parentPath);
      if (parent == null) {
        return;
      }
      remove(parent, tokens.get(depth - 1));
      boolean prunable =
          !parentPath.isEmpty() && parent.isEmpty() && walk(source, parentPath) == null;
      if (!prunable) {
        return;
      }
    }
  }

  private static void set(ObjectNode root, List<String> tokens, JsonNode value) {
    JsonNode node = root;
    for (int i = 0; i < tokens.size() - 1; i++) {
      JsonNode next = child(node, tokens.get(i));
      if (next == null) {
        if (!node.isObject()) {
          return;
        }
        next = ((ObjectNode) node).putObject(tokens.get(i));
      }
      node = next;
    }
    String last = tokens.get(tokens.size() - 1);
    if (node.isObject()) {
      ((ObjectNode) node).set(last, value);
    } else if (node.isArray() && index(last) >= 0 && index(last) < node.size()) {
      ((ArrayNode) node).set(index(last), value);
    }
  }

  private static void remove(JsonNode parent, String token) {
    if (parent.isObject()) {
      ((ObjectNode) parent).remove(token);
    } else if (parent.isArray() && index(token) >= 0 && index(token) < parent.size()) {
      ((ArrayNode) parent).remove(index(token));
    }
  }

  private static JsonNode walk(JsonNode root, List<String> tokens) {
    JsonNode node = root;
    for (String token : tokens) {
      node = child(node, token);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  private static JsonNode child(JsonNode node, String token) {
    if (node == null) {
      return null;
    }
    if (node.isObject()) {
      return node.get(token);
    }
    if (node.isArray()) {
      int i = index(token);
      return i >= 0 && i < node.size() ? node.get(i) : null;
    }
    return null;
  }

  private static int index(String token) {
    try {
      return Integer.parseInt(token);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
