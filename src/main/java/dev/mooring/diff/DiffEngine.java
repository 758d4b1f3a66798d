package dev.mooring.diff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Compares objects rendered from Git with the live ones the way {@code kubectl apply} would change
 * them: only what Git sets (or stopped setting since the last apply) counts, so server defaults,
 * status, fields of other controllers and re-spelled values never make an object OutOfSync.
 */
public final class DiffEngine {

  /**
   * Where a client-side apply keeps the object it applied last (JSON): kubectl's own annotation, so
   * that {@code kubectl apply} and Mooring understand each other's last apply.
   */
  public static final String LAST_APPLIED_ANNOTATION =
      "kubectl.kubernetes.io/last-applied-configuration";

  /** Where Mooring kept it before it moved to kubectl's annotation; removed on the next write. */
  public static final String LEGACY_LAST_APPLIED_ANNOTATION = "mooring.dev/last-applied";

  /** Server bookkeeping that two states of the same object may differ in without a change. */
  private static final List<String> VOLATILE_METADATA =
      List.of("resourceVersion", "managedFields", "generation", "creationTimestamp", "uid");

  /** Top-level metadata fields that Git decides; the rest belongs to the server. */
  private static final Set<String> DESIRED_METADATA =
      Set.of("name", "namespace", "labels", "annotations");

  private static final String LAST_APPLIED_POINTER =
      "/metadata/annotations/" + LAST_APPLIED_ANNOTATION.replace("~", "~0").replace("/", "~1");

  private DiffEngine() {}

  /**
   * Three-way comparison the way {@code kubectl apply} does it.
   *
   * @param desired object rendered from Git, carrying Mooring's labels and annotations
   * @param live the object in the cluster, or null when missing
   * @param lastApplied what Mooring applied last time, or null
   * @param ignores the Application's ignoreDifferences rules
   */
  public static ResourceDiff diff(
      ObjectNode desired, ObjectNode live, ObjectNode lastApplied, List<IgnoreRule> ignores) {
    return diff(desired, live, lastApplied, ignores, false);
  }

  /**
   * As {@link #diff(ObjectNode, ObjectNode, ObjectNode, List)}, for either apply mode: with
   * server-side apply, {@code lastApplied} is what Mooring's field manager owns ({@link
   * ManagedFields#ownedShape}), and a last-applied annotation left from client-side applies is a
   * difference (the next apply removes it) rather than bookkeeping.
   */
  public static ResourceDiff diff(
      ObjectNode desired,
      ObjectNode live,
      ObjectNode lastApplied,
      List<IgnoreRule> ignores,
      boolean serverSide) {
    ObjectNode predicted = merge(desired, live, lastApplied);
    if (live == null) {
      return missing(predicted);
    }
    if (!serverSide) {
      // the last-applied record differs on every change of Git; it is bookkeeping
      Pointers.copyFrom(live, predicted, LAST_APPLIED_POINTER);
    }
    return compared(desired, live, predicted, ignores);
  }

  /**
   * The difference between live and what the API server answered to a dry run of the write ({@code
   * dryRun=All}): the server's own defaulting, normalisation and merge, so whatever it would not
   * change is no difference. Server bookkeeping (resourceVersion, managedFields, generation) and,
   * for client-side applies, the last-applied annotation are left out.
   */
  public static ResourceDiff serverDiff(
      ObjectNode desired,
      ObjectNode live,
      ObjectNode dryRun,
      List<IgnoreRule> ignores,
      boolean serverSide) {
    ObjectNode predicted = withoutStatus(dryRun.deepCopy());
    if (live == null) {
      if (predicted.get("metadata") instanceof ObjectNode meta) {
        VOLATILE_METADATA.forEach(meta::remove);
      }
      return missing(predicted);
    }
    ObjectNode base = live.deepCopy();
    for (ObjectNode o : List.of(base, predicted)) {
      if (o.get("metadata") instanceof ObjectNode meta) {
        VOLATILE_METADATA.forEach(meta::remove);
      }
    }
    if (live.has("status")) {
      predicted.set("status", live.get("status").deepCopy());
    }
    if (!serverSide) {
      Pointers.copyFrom(base, predicted, LAST_APPLIED_POINTER);
    }
    return compared(desired, base, predicted, ignores);
  }

  private static ResourceDiff missing(ObjectNode predicted) {
    String text =
        UnifiedDiff.of("live", "desired", "", DiffYaml.render(SecretMasker.mask(predicted)));
    return new ResourceDiff(false, predicted, text, List.of(""));
  }

  private static ResourceDiff compared(
      ObjectNode desired, ObjectNode live, ObjectNode predicted, List<IgnoreRule> ignores) {
    for (IgnoreRule rule : ignores == null ? List.<IgnoreRule>of() : ignores) {
      if (rule.matches(desired)) {
        rule.jsonPointers().forEach(p -> Pointers.copyFrom(live, predicted, p));
      }
    }
    if (predicted.equals(live)) {
      return new ResourceDiff(true, predicted, "", List.of());
    }
    SecretMasker.MaskedPair masked = SecretMasker.maskPair(live, predicted);
    String text =
        UnifiedDiff.of(
            "live", "desired", DiffYaml.render(masked.left()), DiffYaml.render(masked.right()));
    return new ResourceDiff(false, predicted, text, changedPaths(live, predicted));
  }

  /**
   * The object the client-side three-way merge should write: live with every field desired sets,
   * without the fields lastApplied had and desired dropped. An unchanged object gives a tree equal
   * to live, so "equal to live" means "no write needed".
   */
  public static ObjectNode merge(ObjectNode desired, ObjectNode live, ObjectNode lastApplied) {
    if (live == null) {
      return (ObjectNode) ThreeWayMerge.clean(withoutStatus(Normalizer.foldStringData(desired)));
    }
    ObjectNode want = gitOwned(desired);
    ObjectNode out = live.deepCopy();
    ObjectNode last = lastApplied == null ? null : gitOwned(lastApplied);
    new ThreeWayMerge(desired.path("kind").asText()).mergeObject(out, want, last, List.of());
    if (out.path("metadata").path("annotations") instanceof ObjectNode annotations) {
      annotations.remove(LEGACY_LAST_APPLIED_ANNOTATION);
    }
    return out;
  }

  /**
   * The part of an object that Git decides: no status, only name, namespace, labels, annotations.
   */
  private static ObjectNode gitOwned(ObjectNode obj) {
    ObjectNode copy = withoutStatus(Normalizer.foldStringData(obj));
    if (copy.get("metadata") instanceof ObjectNode meta) {
      meta.retain(DESIRED_METADATA);
    }
    return copy;
  }

  private static ObjectNode withoutStatus(ObjectNode obj) {
    obj.remove("status");
    return obj;
  }

  private static List<String> changedPaths(JsonNode live, JsonNode predicted) {
    JsonNode patch =
        JsonDiff.asJson(
            live,
            predicted,
            EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION));
    Set<String> paths = new LinkedHashSet<>();
    patch.forEach(op -> paths.add(op.path("path").asText()));
    return new ArrayList<>(paths);
  }
}
