package dev.mooring.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.cluster.ClusterOps;
import dev.mooring.cluster.LiveCache;
import dev.mooring.diff.DiffEngine;
import dev.mooring.diff.ManagedFields;
import dev.mooring.diff.Pointers;
import dev.mooring.source.Digests;
import dev.mooring.sync.SyncPlan.Action;
import dev.mooring.sync.SyncPlan.Step;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.zjsonpatch.JsonDiff;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes one object: create, a client-side three-way merge sent as a JSON patch (works on every API
 * server), a server-side apply, or a replace for objects too large for the last-applied annotation.
 * At most one write per changed object; none for an unchanged one. Every write may instead be a
 * server-side dry run, which returns what the server would store. Fields that another part of
 * Mooring owns ({@link ForeignFields}) keep their live value: Git's value is only written on
 * create.
 */
public class Applier {
  /** Annotations may hold 256 KiB in all; leave room for the others. */
  static final int MAX_LAST_APPLIED = 200 * 1024;

  /** The field manager of writes by Mooring before it named one (fabric8's user agent). */
  static final String LEGACY_MANAGER = "fabric8-kubernetes-client";

  private final ClusterOps cluster;
  private final LiveCache cache;
  private final ForeignFields foreign;
  private final String fieldManager;
  private final ObjectMapper mapper = new ObjectMapper();

  /** What one write did (or, for a dry run, would do). */
  public record Applied(Action action, ObjectNode result, String message) {}

  public Applier(ClusterOps cluster, LiveCache cache, ForeignFields foreign) {
    this(cluster, cache, foreign, ClusterOps.FIELD_MANAGER);
  }

  public Applier(ClusterOps cluster, LiveCache cache, ForeignFields foreign, String fieldManager) {
    this.cluster = cluster;
    this.cache = cache;
    this.foreign = foreign;
    this.fieldManager = fieldManager;
  }

  /** Applies one step; returns the action really taken (an update may turn out unchanged). */
  public Action apply(Step step, boolean serverSide) throws JsonProcessingException {
    return write(step, serverSide, false).action();
  }

  /**
   * Applies one step, or with {@code dryRun} asks the API server what it would store (nothing is
   * written, the cache is not touched).
   */
  public Applied write(Step step, boolean serverSide, boolean dryRun)
      throws JsonProcessingException {
    ObjectNode desired = step.desired().deepCopy();
    ObjectNode live = step.live();
    if (live != null && live.path("metadata").has("deletionTimestamp")) {
      live = dryRun ? null : awaitDeleted(step);
    }
    refuseForeignOwner(desired, live);
    List<String> foreignPointers = foreign.pointers(step.key());
    if (serverSide) {
      return serverSideApply(step, desired, live, foreignPointers, dryRun);
    }
    String lastApplied = mapper.writeValueAsString(withoutSecretValues(desired));
    boolean fits = lastApplied.length() <= MAX_LAST_APPLIED;
    if (fits) {
      desired.with("metadata").with("annotations").put(Tracking.LAST_APPLIED, lastApplied);
    }
    if (live == null) {
      try {
        ObjectNode written = cluster.create(step.type(), desired, fieldManager, dryRun);
        if (!dryRun) {
          cache.recordWrite(step.type(), written);
        }
        return new Applied(Action.CREATE, written, null);
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
      ObjectNode written = cluster.replace(step.type(), desired, fieldManager, dryRun);
      if (!dryRun) {
        cache.recordWrite(step.type(), written, live, step.live());
      }
      return new Applied(Action.UPDATE, written, null);
    }
    return patchMerged(step, desired, live, foreignPointers, dryRun);
  }

  /**
   * Server-side apply with Mooring's field manager. Field ownership left by client-side writes
   * (Mooring's own, or those of a Mooring from before it named its manager) is moved to the apply
   * first, as kubectl's csaupgrade does, so that fields Git dropped are removed and no stale
   * last-applied annotation stays. A conflict with another manager is forced (Git wins) and named
   * in the result.
   */
  private Applied serverSideApply(
      Step step,
      ObjectNode desired,
      ObjectNode live,
      List<String> foreignPointers,
      boolean dryRun) {
    String message = null;
    if (live != null) {
      // the live value, not Git's: leaving the field out would let the API server reset it to
      // its default while Mooring's manager is its only owner
      for (String pointer : foreignPointers) {
        Pointers.copyFrom(live, desired, pointer);
      }
      ArrayNode upgraded = ManagedFields.upgraded(live, clientSideManagers(live), fieldManager);
      if (upgraded != null && !dryRun) {
        live = moveOwnership(step, live, upgraded);
        message = "field ownership moved from client-side to server-side apply";
      }
    }
    ObjectNode written;
    if (dryRun) {
      written = cluster.serverSideApply(step.type(), desired, fieldManager, true, true);
    } else {
      try {
        written = cluster.serverSideApply(step.type(), desired, fieldManager, false, false);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        written = cluster.serverSideApply(step.type(), desired, fieldManager, true, false);
        message = join(message, "took over from other field managers: " + describe(e));
      }
      // the cache may still show the version before the ownership move
      cache.recordWrite(step.type(), written, live, step.live());
    }
    return new Applied(live == null ? Action.CREATE : Action.UPDATE, written, message);
  }

  /** The client-side managers whose fields a server-side apply by Mooring takes over. */
  Set<String> clientSideManagers(JsonNode live) {
    Set<String> managers = new HashSet<>(Set.of(fieldManager));
    if (Tracking.annotation(live, Tracking.LEGACY_LAST_APPLIED) != null) {
      managers.add(LEGACY_MANAGER);
    }
    return managers;
  }

  /** True when a server-side apply would first move field ownership (see csaupgrade). */
  public boolean ownershipToMove(JsonNode live) {
    return live != null
        && ManagedFields.upgraded(live, clientSideManagers(live), fieldManager) != null;
  }

  private ObjectNode moveOwnership(Step step, ObjectNode live, ArrayNode managedFields) {
    ArrayNode patch = mapper.createArrayNode();
    // setting resourceVersion makes the server check it: 409 if the object changed meanwhile
    patch
        .addObject()
        .put("op", "replace")
        .put("path", "/metadata/resourceVersion")
        .put("value", live.path("metadata").path("resourceVersion").asText());
    patch
        .addObject()
        .put("op", "replace")
        .put("path", "/metadata/managedFields")
        .set("value", managedFields);
    ObjectNode moved =
        cluster.jsonPatch(
            step.type(),
            step.key().namespace(),
            step.key().name(),
            patch.toString(),
            fieldManager,
            false);
    return moved == null ? live : moved;
  }

  /**
   * The three-way merge as a JSON patch guarded by the live resourceVersion. When someone else
   * wrote in between (409/422 from the guard), the live object is read again and the merge
   * recomputed, a few times, instead of failing the sync. Foreign fields keep their live value, so
   * the patch has no operation on them.
   */
  private Applied patchMerged(
      Step step, ObjectNode desired, ObjectNode live, List<String> foreignPointers, boolean dryRun)
      throws JsonProcessingException {
    for (int attempt = 1; ; attempt++) {
      ObjectNode merged = DiffEngine.merge(desired, live, lastAppliedOf(live));
      for (String p : foreignPointers) {
        Pointers.copyFrom(live, merged, p);
      }
      JsonNode patch = JsonDiff.asJson(live, merged);
      if (patch.isEmpty()) {
        return new Applied(Action.NONE, live, null);
      }
      ArrayNode guarded = mapper.createArrayNode();
      // optimistic concurrency: the patch was computed against this exact version, and a patch
      // that sets resourceVersion is refused with 409 when the object has another one
      String rv = live.path("metadata").path("resourceVersion").asText("");
      if (!rv.isEmpty()) {
        guarded
            .addObject()
            .put("op", "replace")
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
                mapper.writeValueAsString(guarded),
                fieldManager,
                dryRun);
        if (!dryRun) {
          cache.recordWrite(step.type(), written, live, step.live());
        }
        return new Applied(Action.UPDATE, written, null);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 3) {
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

  /** How long a write waits for an object being deleted to be gone before creating it again. */
  static final long DELETION_WAIT_MILLIS = 10_000;

  /**
   * An object being deleted (finalizers, a foreground deletion, a terminating CRD) is waited for,
   * then created again: null once it is gone.
   */
  private ObjectNode awaitDeleted(Step step) {
    return awaitDeleted(step, DELETION_WAIT_MILLIS);
  }

  /** Waits at most {@code millis} for an object being deleted to be gone: null once it is. */
  ObjectNode awaitDeleted(Step step, long millis) {
    long deadline = System.currentTimeMillis() + millis;
    ObjectNode current;
    while ((current = cluster.get(step.type(), step.key().namespace(), step.key().name())) != null
        && current.path("metadata").has("deletionTimestamp")) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(
            "still being deleted after "
                + millis / 1000
                + "s (finalizers: "
                + current.path("metadata").path("finalizers")
                + "); it is created again once it is gone");
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the deletion to finish");
      }
    }
    return current;
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
          map.put(k, "sha256:" + Digests.sha256(map.get(k).asText()));
        }
      }
    }
    return copy;
  }

  /**
   * What the last client-side apply set: kubectl's last-applied annotation, else the one earlier
   * Mooring versions wrote, else (after a switch from server-side apply) the fields Mooring's apply
   * owns.
   */
  public ObjectNode lastAppliedOf(JsonNode live) {
    if (live == null) {
      return null;
    }
    String json = Tracking.annotation(live, Tracking.LAST_APPLIED);
    if (json == null) {
      json = Tracking.annotation(live, Tracking.LEGACY_LAST_APPLIED);
    }
    if (json == null) {
      return ManagedFields.ownedShape(live, ManagedFields.entry(fieldManager, ManagedFields.APPLY));
    }
    try {
      JsonNode node = mapper.readTree(json);
      return node.isObject() ? (ObjectNode) node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * What Mooring's server-side applies own, and any client-side ownership an apply would take over
   * (so that fields Git dropped since a client-side apply count as removed too).
   */
  public ObjectNode ownedByApply(JsonNode live) {
    if (live == null) {
      return null;
    }
    Set<String> csa = clientSideManagers(live);
    return ManagedFields.ownedShape(
        live,
        e ->
            ManagedFields.entry(fieldManager, ManagedFields.APPLY).test(e)
                || csa.contains(e.path("manager").asText())
                    && ManagedFields.UPDATE.equals(e.path("operation").asText())
                    && e.path("subresource").asText("").isEmpty());
  }

  /**
   * Deletes an orphan with foreground propagation, guarded by its uid and resourceVersion: when it
   * changed since it was read (a status update), it is read again, and deleted only if it is still
   * the same object and still this app's.
   */
  public boolean prune(Step step) {
    ObjectNode current = step.live();
    String planned = current == null ? null : current.path("metadata").path("uid").asText(null);
    String trackingId = Tracking.annotation(step.live(), Tracking.TRACKING_ID);
    for (int attempt = 1; ; attempt++) {
      if (current == null) {
        return false;
      }
      String uid = current.path("metadata").path("uid").asText(null);
      if (planned != null && !planned.equals(uid)
          || !java.util.Objects.equals(
              Tracking.annotation(current, Tracking.TRACKING_ID), trackingId)) {
        throw new IllegalStateException("changed since it was planned for pruning; not deleted");
      }
      try {
        boolean deleted =
            cluster.delete(
                step.type(),
                step.key().namespace(),
                step.key().name(),
                uid,
                current.path("metadata").path("resourceVersion").asText(null));
        cache.recordDelete(step.type(), step.key().namespace(), step.key().name(), current);
        return deleted;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 3) {
          throw e;
        }
        current = cluster.get(step.type(), step.key().namespace(), step.key().name());
      }
    }
  }

  static String describe(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static String join(String a, String b) {
    return a == null ? b : a + "; " + b;
  }
}
