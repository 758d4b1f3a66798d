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

  /** Annotation in which Mooring keeps the object it applied last (JSON). */
  public static final String LAST_APPLIED_ANNOTATION = "mooring.dev/last-applied";

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
    ObjectNode predicted = merge(desired, live, lastApplied);
    if (live == null) {
      String text =
          UnifiedDiff.of("live", "desired", "", DiffYaml.render(SecretMasker.mask(predicted)));
      return new ResourceDiff(false, predicted, text, List.of(""));
    }
    // The last-applied record differs on every change of Git; it is bookkeeping, not a difference.
    Pointers.copyFrom(live, predicted, LAST_APPLIED_POINTER);
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
