package dev.mooring.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.cluster.ResourceType;
import java.time.Instant;
import java.util.Locale;

/**
 * A hook of Git, ready for a sync: its kind resolved and its namespace set, not yet named when it
 * has only {@code generateName} (each sync names it anew, as Argo CD does: the prefix, the short
 * revision, the phase and the sync's start time).
 *
 * @param options the app's sync options overridden by the object's
 */
public record SyncHook(Hook hook, ResourceType type, ObjectNode desired, SyncOptions options) {

  /** The object this sync creates for one of the hook's phases, named and marked as the app's. */
  public ObjectNode instance(
      Hook.Type phase, String revision, Instant startedAt, String appNamespace, String appName) {
    ObjectNode object = desired.deepCopy();
    ObjectNode meta = object.with("metadata");
    if (meta.path("name").asText("").isEmpty()) {
      String sha =
          revision == null ? "" : revision.length() > 7 ? revision.substring(0, 7) : revision;
      meta.put(
          "name",
          (meta.path("generateName").asText("")
                  + sha
                  + "-"
                  + phase.name()
                  + "-"
                  + startedAt.getEpochSecond())
              .toLowerCase(Locale.ROOT));
      meta.remove("generateName");
    }
    Tracking.mark(object, appNamespace, appName);
    return object;
  }

  /** How the hook is named in messages: its name, or its generateName as {@code prefix*}. */
  public String shownName() {
    String name = desired.path("metadata").path("name").asText("");
    return name.isEmpty() ? desired.path("metadata").path("generateName").asText("") + "*" : name;
  }
}
