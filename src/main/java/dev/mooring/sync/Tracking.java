package dev.mooring.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.diff.DiffEngine;
import dev.mooring.source.Digests;

/**
 * How Mooring marks what it owns: the managed-by label, a label-safe app id, and the tracking-id
 * annotation naming the owning Application exactly. Only the annotation decides ownership for
 * pruning; labels only select what to watch.
 */
public final class Tracking {
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "mooring";
  public static final String APP_LABEL = "mooring.dev/app";
  public static final String TRACKING_ID = "mooring.dev/tracking-id";

  /** kubectl's last-applied annotation, which client-side applies keep up to date. */
  public static final String LAST_APPLIED = DiffEngine.LAST_APPLIED_ANNOTATION;

  /** Where earlier versions of Mooring kept it. */
  public static final String LEGACY_LAST_APPLIED = DiffEngine.LEGACY_LAST_APPLIED_ANNOTATION;

  public static final String SYNC_WAVE = "mooring.dev/sync-wave";
  public static final String SYNC_OPTIONS = "mooring.dev/sync-options";
  public static final String COMPARE_OPTIONS = "mooring.dev/compare-options";
  public static final String REFRESH = "mooring.dev/refresh";

  private Tracking() {}

  /** A label value (at most 63 characters) that identifies an Application. */
  public static String appLabel(String appNamespace, String appName) {
    String id = appNamespace + "." + appName;
    if (id.length() <= 63) {
      return id;
    }
    return id.substring(0, 52) + "-" + Digests.sha256(id).substring(0, 10);
  }

  public static String trackingId(String appNamespace, String appName, ResourceKey key) {
    return appNamespace
        + "/"
        + appName
        + ":"
        + key.group()
        + "/"
        + key.kind()
        + ":"
        + key.namespace()
        + "/"
        + key.name();
  }

  /** Adds the labels and tracking annotation to a desired object (in place). */
  public static void mark(ObjectNode object, String appNamespace, String appName) {
    ObjectNode meta = object.with("metadata");
    ObjectNode labels = meta.with("labels");
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    labels.put(APP_LABEL, appLabel(appNamespace, appName));
    meta.with("annotations")
        .put(TRACKING_ID, trackingId(appNamespace, appName, ResourceKey.of(object)));
  }

  /** True only when the live object's tracking-id names this Application and this object. */
  public static boolean ownedBy(JsonNode live, String appNamespace, String appName) {
    String id = annotation(live, TRACKING_ID);
    return id != null && id.equals(trackingId(appNamespace, appName, ResourceKey.of(live)));
  }

  /**
   * An annotation's value; for Mooring's own ({@code mooring.dev/sync-wave}, {@code sync-options},
   * {@code compare-options}, {@code hook}, {@code hook-delete-policy}), Argo CD's of the same name
   * ({@code argocd.argoproj.io/sync-wave}) when Mooring's is not set, so that manifests written for
   * Argo CD keep their meaning.
   */
  public static String annotation(JsonNode object, String name) {
    JsonNode annotations = object.path("metadata").path("annotations");
    JsonNode value = annotations.get(name);
    if ((value == null || value.isNull()) && name.startsWith(MOORING_PREFIX)) {
      String alias = ARGO_ALIASES.get(name);
      value = alias == null ? null : annotations.get(alias);
    }
    return value == null || value.isNull() ? null : value.asText();
  }

  private static final String MOORING_PREFIX = "mooring.dev/";

  /** Mooring's annotations that Argo CD spells {@code argocd.argoproj.io/<same name>}. */
  private static final java.util.Map<String, String> ARGO_ALIASES =
      java.util.Map.of(
          "mooring.dev/sync-wave", "argocd.argoproj.io/sync-wave",
          "mooring.dev/sync-options", "argocd.argoproj.io/sync-options",
          "mooring.dev/compare-options", "argocd.argoproj.io/compare-options",
          "mooring.dev/hook", "argocd.argoproj.io/hook",
          "mooring.dev/hook-delete-policy", "argocd.argoproj.io/hook-delete-policy");

  public static int wave(JsonNode object) {
    String wave = annotation(object, SYNC_WAVE);
    if (wave == null || wave.isBlank()) {
      return 0;
    }
    try {
      return Integer.parseInt(wave.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
