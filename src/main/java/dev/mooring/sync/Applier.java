package dev.mooring.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.cluster.ClusterOps;
import dev.mooring.cluster.LiveCache;
import dev.mooring.diff.DiffEngine;
import dev.mooring.diff.Pointers;
import dev.mooring.sync.SyncPlan.Action;
import dev.mooring.sync.SyncPlan.Step;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.zjsonpatch.JsonDiff;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes one object: create, a client-side three-way merge sent as a JSON patch (works on every API
 * server), a server-side apply, or a replace for objects too large for the last-applied annotation.
 * At most one write per changed object; none for an unchanged one. Fields that another part of
 * Mooring owns ({@link ForeignFields}) keep their live value: Git's value is only written on
 * create.
 */
public class Applier {
  /** Annotations may hold 256 KiB in all; leave room for the others. */
  static final int MAX_LAST_APPLIED = 200 * 1024;

  private final ClusterOps cluster;
  private final LiveCache cache;
  private final ForeignFields foreign;
  private final ObjectMapper mapper = new ObjectMapper();

  public Applier(ClusterOps cluster, LiveCache cache, ForeignFields foreign) {
    this.cluster = cluster;
    this.cache = cache;
    this.foreign = foreign;
  }

  /** Applies one step; returns the action really taken (an update may turn out unchanged). */
  public Action apply(Step step, boolean serverSide) throws JsonProcessingException {
    ObjectNode desired = step.desired().deepCopy();
    ObjectNode live = step.live();
    if (live == null) {
      // not managed yet, so not in the cache: the object may still exist (adoption)
      live = cluster.get(step.type(), step.key().namespace(), step.key().name());
    }
    refuseForeignOwner(desired, live);
    List<String> foreignPointers = foreign.pointers(step.key());
    if (serverSide) {
      if (live != null) {
        // the live value, not Git's: leaving the field out would let the API server reset it to
        // its default while Mooring's manager is its only owner
        for (String pointer : foreignPointers) {
          Pointers.copyFrom(live, desired, pointer);
        }
      }
      ObjectNode written = cluster.serverSideApply(step.type(), desired);
      cache.recordWrite(step.type(), live, written);
      return live == null ? Action.CREATE : Action.UPDATE;
    }
    String lastApplied = mapper.writeValueAsString(withoutSecretValues(desired));
    boolean fits = lastApplied.length() <= MAX_LAST_APPLIED;
    if (fits) {
      desired.with("metadata").with("annotations").put(Tracking.LAST_APPLIED, lastApplied);
    }
    if (live == null) {
      try {
        ObjectNode written = cluster.create(step.type(), desired);
        cache.recordWrite(step.type(), null, written);
        return Action.CREATE;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        live = cluster.get(step.type(), step.key().namespace(), step.key().name());
        if (live == null) {
          throw e;
        }
        refuseForeignOwner(desired, live); // someone created it meanwhile
      }
    }
    if (!fits) {
      for (String p : foreignPointers) {
        Pointers.copyFrom(live, desired, p);
      }
      desired
          .with("metadata")
          .put("resourceVersion", live.path("metadata").path("resourceVersion").asText());
      ObjectNode written = cluster.replace(step.type(), desired);
      cache.recordWrite(step.type(), live, written);
      return Action.UPDATE;
    }
    return patchMerged(step, desired, live, foreignPointers);
  }

  /**
   * The three-way merge as a JSON patch guarded by the live resourceVersion. When someone else
   * wrote in between (409/422 from the guard), the live object is read again and the merge
   * recomputed, a few times, instead of failing the sync. Foreign fields keep their live value, so
   * the patch has no operation on them.
   */
  private Action patchMerged(
      Step step, ObjectNode desired, ObjectNode live, List<String> foreignPointers)
      throws JsonProcessingException {
    for (int attempt = 1; ; attempt++) {
      ObjectNode merged = DiffEngine.merge(desired, live, lastAppliedOf(live));
      for (String p : foreignPointers) {
        Pointers.copyFrom(live, merged, p);
      }
      JsonNode patch = JsonDiff.asJson(live, merged);
      if (patch.isEmpty()) {
        return Action.NONE;
      }
      ArrayNode guarded = mapper.createArrayNode();
      // optimistic concurrency: the patch was computed against this exact version
      String rv = live.path("metadata").path("resourceVersion").asText("");
      if (!rv.isEmpty()) {
        guarded
            .addObject()
            .put("op", "test")
            .put("path", "/metadata/resourceVersion")
            .put("value", rv);
      }
      guarded.addAll((ArrayNode) patch);
      try {
        ObjectNode written =
            cluster.jsonPatch(
                step.type(),
                step.key().namespace(),
                step.key().name(),
                mapper.writeValueAsString(guarded));
        cache.recordWrite(step.type(), live, written);
        return Action.UPDATE;
      } catch (KubernetesClientException e) {
        boolean conflict = e.getCode() == 409 || e.getCode() == 422;
        if (!conflict || attempt >= 3) {
          throw e;
        }
        live = cluster.get(step.type(), step.key().namespace(), step.key().name());
        if (live == null) {
          throw e;
        }
        refuseForeignOwner(desired, live);
      }
    }
  }

  /** Two Applications must not fight over one object: the first owner keeps it. */
  static void refuseForeignOwner(ObjectNode desired, ObjectNode live) {
    String mine = Tracking.annotation(desired, Tracking.TRACKING_ID);
    String theirs = live == null ? null : Tracking.annotation(live, Tracking.TRACKING_ID);
    if (theirs != null && mine != null && !theirs.equals(mine)) {
      int colon = theirs.indexOf(':');
      throw new IllegalStateException(
          "already managed by Application "
              + (colon > 0 ? theirs.substring(0, colon) : theirs)
              + "; remove it from one of the two apps");
    }
  }

  /**
   * The last-applied state only needs keys to find what Git removed; a Secret's values would be
   * readable in its annotations (kubectl describe shows them), so they are stored as hashes.
   */
  static ObjectNode withoutSecretValues(ObjectNode desired) {
    if (!"Secret".equals(desired.path("kind").asText())
        || !desired.path("apiVersion").asText().equals("v1")) {
      return desired;
    }
    ObjectNode copy = desired.deepCopy();
    for (String field : new String[] {"data", "stringData"}) {
      JsonNode values = copy.get(field);
      if (values instanceof ObjectNode map) {
        List<String> keys = new ArrayList<>();
        map.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
          map.put(k, "sha256:" + sha256(map.get(k).asText()));
        }
      }
    }
    return copy;
  }

  private static String sha256(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The state Mooring applied last time, from the live object's annotation. */
  public ObjectNode lastAppliedOf(JsonNode live) {
    String json = live == null ? null : Tracking.annotation(live, Tracking.LAST_APPLIED);
    if (json == null) {
      return null;
    }
    try {
      JsonNode node = mapper.readTree(json);
      return node.isObject() ? (ObjectNode) node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** Deletes an orphan with foreground propagation. */
  public boolean prune(Step step) {
    ObjectNode current = cluster.get(step.type(), step.key().namespace(), step.key().name());
    if (current == null) {
      return false;
    }
    // the object may have been replaced since it was planned: only ever delete what this app owns
    String planned =
        step.live() == null ? null : step.live().path("metadata").path("uid").asText(null);
    String uid = current.path("metadata").path("uid").asText(null);
    if (planned != null && !planned.equals(uid)
        || !java.util.Objects.equals(
            Tracking.annotation(current, Tracking.TRACKING_ID),
            Tracking.annotation(step.live(), Tracking.TRACKING_ID))) {
      throw new IllegalStateException("changed since it was planned for pruning; not deleted");
    }
    boolean deleted = cluster.delete(step.type(), step.key().namespace(), step.key().name());
    cache.recordDelete(step.type(), step.key().namespace(), step.key().name(), step.live());
    return deleted;
  }
}
