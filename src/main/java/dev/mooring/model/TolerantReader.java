package dev.mooring.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.ResolvableDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Reads one of Mooring's resources so that a malformed object never fails the list it is in: an
 * informer's list is one JSON document, and a single field Jackson cannot map would otherwise leave
 * every object of the kind unread (and unreconciled). The API server prunes unknown fields and
 * rejects wrong types, so this matters where neither happens: fabric8's CRUD mock (the sandbox), a
 * CRD without schema, an object written before a field changed type.
 *
 * <p>What cannot be read is taken out and named: an unknown field is ignored (given to {@code
 * onIgnored}); a wrong value in a section the controller acts on ({@code spec}, and {@code
 * operation} of an Application) makes the whole section unread (null, with the reason in {@link
 * Tolerant#unreadable()}), since acting on part of a spec could do what the user never asked for; a
 * wrong value in {@code status} or {@code metadata} is dropped (the controller writes status anew).
 * Each is logged once per object version.
 *
 * @param <R> the resource class, which names this reader in its {@code @JsonDeserialize}
 */
public abstract class TolerantReader<R extends CustomResource<?, ?> & TolerantReader.Tolerant>
    extends StdDeserializer<R> implements ResolvableDeserializer {
  private static final Logger LOG = Logger.getLogger(TolerantReader.class);
  private static final int MAX_PROBLEMS = 32;
  private static final int MAX_REMEMBERED = 4096;

  /** A resource that can say why its spec (or another acted-on section) was not read. */
  public interface Tolerant {
    /** Why a section of this object could not be read (it is then null), or null. */
    String unreadable();

    /** Set by the reader. */
    void unreadable(String reason);
  }

  private final Class<R> type;
  private final Set<String> actedOn;
  private final BiConsumer<R, List<String>> onIgnored;
  private final Map<String, String> warned = new ConcurrentHashMap<>();
  private volatile JsonDeserializer<Object> bean;

  /**
   * @param actedOn the top-level sections read whole or not at all
   * @param onIgnored gets the object and the unknown fields it had, when there were any
   */
  protected TolerantReader(
      Class<R> type, Set<String> actedOn, BiConsumer<R, List<String>> onIgnored) {
    super(type);
    this.type = type;
    this.actedOn = actedOn;
    this.onIgnored = onIgnored;
  }

  /** The plain bean deserializer of the class, without this one (its annotation is skipped). */
  @Override
  public void resolve(DeserializationContext ctxt) throws JsonMappingException {
    JavaType javaType = ctxt.constructType(type);
    BeanDescription description = ctxt.getConfig().introspect(javaType);
    JsonDeserializer<Object> plain =
        ctxt.getFactory().createBeanDeserializer(ctxt, javaType, description);
    if (plain instanceof ResolvableDeserializer resolvable) {
      resolvable.resolve(ctxt);
    }
    bean = plain;
  }

  @Override
  public R deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonNode tree = ctxt.readTree(p);
    if (!(tree instanceof ObjectNode object)) {
      return type.cast(read(tree, p, ctxt)); // not an object: let Jackson say so
    }
    ObjectNode work = object.deepCopy();
    List<String> ignored = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    Set<String> unreadSections = new java.util.TreeSet<>();
    for (int round = 0; ; round++) {
      try {
        R resource = type.cast(read(work, p, ctxt));
        report(resource, ignored, invalid, unreadSections);
        return resource;
      } catch (JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        String where = path(path);
        if (round >= MAX_PROBLEMS || path.isEmpty() || !remove(work, path)) {
          throw e;
        }
        String section = path.get(0).getFieldName();
        if (e instanceof UnrecognizedPropertyException) {
          ignored.add(where);
        } else {
          invalid.add(where + ": " + expected(e, object, path));
          if (actedOn.contains(section)) {
            unreadSections.add(section);
          }
        }
      }
    }
  }

  private Object read(JsonNode tree, JsonParser outer, DeserializationContext ctxt)
      throws IOException {
    try (JsonParser parser = tree.traverse(outer.getCodec())) {
      parser.nextToken();
      return bean.deserialize(parser, ctxt);
    }
  }

  /** Drops the sections that could not be read whole, and tells what was left out. */
  private void report(R resource, List<String> ignored, List<String> invalid, Set<String> unread) {
    if (ignored.isEmpty() && invalid.isEmpty()) {
      return;
    }
    for (String section : unread) {
      if ("spec".equals(section)) {
        resource.setSpec(null);
      } else {
        dropSection(resource, section);
      }
    }
    List<String> said = new ArrayList<>();
    if (!unread.isEmpty()) {
      String reason =
          String.join(", ", unread)
              + " cannot be read: "
              + String.join("; ", invalid.stream().filter(i -> underAny(i, unread)).toList());
      resource.unreadable(reason);
      said.add(reason);
    }
    List<String> dropped = invalid.stream().filter(i -> !underAny(i, unread)).toList();
    if (!dropped.isEmpty()) {
      said.add("dropped " + String.join("; ", dropped));
    }
    if (!ignored.isEmpty()) {
      onIgnored.accept(resource, List.copyOf(ignored));
      said.add("unknown fields ignored: " + String.join(", ", ignored));
    }
    warnOnce(resource, String.join("; ", said));
  }

  /** Leaves out a section other than spec; the classes that have one override this. */
  protected void dropSection(R resource, String section) {}

  private void warnOnce(R resource, String message) {
    var meta = resource.getMetadata();
    String key =
        meta == null ? "?" : meta.getNamespace() + "/" + meta.getName() + "@" + meta.getUid();
    String version = (meta == null ? "" : meta.getResourceVersion()) + " " + message;
    if (version.equals(warned.put(key, version))) {
      return;
    }
    if (warned.size() > MAX_REMEMBERED) {
      warned.clear();
    }
    LOG.warnf(
        "%s %s: %s",
        type.getSimpleName(),
        meta == null ? "?" : meta.getNamespace() + "/" + meta.getName(),
        message);
  }

  private static boolean underAny(String problem, Set<String> sections) {
    return sections.stream()
        .anyMatch(
            s ->
                problem.startsWith(s + ".")
                    || problem.startsWith(s + "[")
                    || problem.startsWith(s + ":"));
  }

  /** {@code spec.analysis.webhooks[0].timeout} */
  static String path(List<JsonMappingException.Reference> path) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : path) {
      if (ref.getFieldName() != null) {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  /** Removes the node at the path; false when the path does not lead to one. */
  private static boolean remove(JsonNode root, List<JsonMappingException.Reference> path) {
    JsonNode parent = root;
    for (int i = 0; i < path.size() - 1; i++) {
      parent = child(parent, path.get(i));
      if (parent == null) {
        return false;
      }
    }
    JsonMappingException.Reference last = path.get(path.size() - 1);
    if (last.getFieldName() != null
        && parent instanceof ObjectNode o
        && o.has(last.getFieldName())) {
      o.remove(last.getFieldName());
      return true;
    }
    if (last.getFieldName() == null
        && parent instanceof ArrayNode a
        && last.getIndex() >= 0
        && last.getIndex() < a.size()) {
      a.remove(last.getIndex());
      return true;
    }
    return false;
  }

  private static JsonNode child(JsonNode node, JsonMappingException.Reference ref) {
    JsonNode next =
        ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
    return next == null || next.isMissingNode() ? null : next;
  }

  /** "a string was expected, not an object", from the target type and the value written. */
  private static String expected(
      JsonMappingException e, JsonNode original, List<JsonMappingException.Reference> path) {
    JsonNode value = original;
    for (JsonMappingException.Reference ref : path) {
      value = value == null ? null : child(value, ref);
    }
    String wanted =
        e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m
                && m.getTargetType() != null
            ? kind(m.getTargetType())
            : null;
    String got = value == null ? null : kind(value);
    if (wanted != null && got != null) {
      return wanted + " was expected, not " + got;
    }
    return e.getOriginalMessage().lines().findFirst().orElse("cannot be read");
  }

  private static String kind(Class<?> target) {
    if (target == String.class) {
      return "a string";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "a boolean";
    }
    if (Number.class.isAssignableFrom(target) || target.isPrimitive()) {
      return "a number";
    }
    if (java.util.Collection.class.isAssignableFrom(target) || target.isArray()) {
      return "a list";
    }
    if (target == io.fabric8.kubernetes.api.model.IntOrString.class) {
      return "a number or a string";
    }
    return "an object";
  }

  private static String kind(JsonNode value) {
    if (value.isTextual()) {
      return "a string (\"" + abbreviate(value.asText()) + "\")";
    }
    if (value.isNumber()) {
      return "a number (" + value.asText() + ")";
    }
    if (value.isBoolean()) {
      return "a boolean";
    }
    if (value.isArray()) {
      return "a list";
    }
    if (value.isNull()) {
      return "null";
    }
    return "an object";
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
