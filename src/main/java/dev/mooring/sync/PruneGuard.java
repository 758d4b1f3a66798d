package dev.mooring.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mooring.cluster.ClusterOps;
import dev.mooring.cluster.KindResolver;
import dev.mooring.cluster.ResourceType;
import dev.mooring.sync.SyncPlan.Action;
import dev.mooring.sync.SyncPlan.Step;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Deleting a Namespace deletes everything in it, and deleting a CRD deletes every object of its
 * kind: before pruning one, Mooring looks for objects in it that it does not track for the pruning
 * Application. If there are any, the prune is skipped (with the objects named) until the user
 * confirms it with the Application annotation {@value #CONFIRM_ANNOTATION} (comma-separated {@code
 * Namespace/<name>} or {@code CustomResourceDefinition/<name>}).
 */
public class PruneGuard {
  public static final String CONFIRM_ANNOTATION = "mooring.dev/confirm-prune";

  /** Objects every namespace gets from Kubernetes itself. */
  private static final Set<String> BUILT_IN =
      Set.of("ConfigMap/kube-root-ca.crt", "ServiceAccount/default");

  /** Kinds that only record what happens to other objects. */
  private static final Set<String> RECORDS =
      Set.of("events", "events.events.k8s.io", "endpoints", "endpointslices.discovery.k8s.io");

  private static final int SHOWN = 5;

  private final KindResolver kinds;
  private final ClusterOps cluster;

  public PruneGuard(KindResolver kinds, ClusterOps cluster) {
    this.kinds = kinds;
    this.cluster = cluster;
  }

  /** The step as it may run: a Namespace or CRD with untracked content becomes prune-skipped. */
  public Step check(Step step, SyncRunner.Options options) {
    if (step.action() != Action.PRUNE || !guarded(step.key())) {
      return step;
    }
    String id = step.key().kind() + "/" + step.key().name();
    if (options.confirmedPrunes() != null && options.confirmedPrunes().contains(id)) {
      return step;
    }
    List<String> untracked;
    try {
      untracked = untracked(step, options.appNamespace(), options.appName());
    } catch (KubernetesClientException e) {
      return skip(step, "kept: cannot check what it holds: " + SyncRunner.describe(e));
    }
    if (untracked.isEmpty()) {
      return step;
    }
    String shown = String.join(", ", untracked.subList(0, Math.min(SHOWN, untracked.size())));
    return skip(
        step,
        "kept: holds objects this Application does not track ("
            + shown
            + (untracked.size() > SHOWN ? ", ..." : "")
            + "), which deleting it would delete too; to prune it anyway, annotate the"
            + " Application with "
            + CONFIRM_ANNOTATION
            + "="
            + id);
  }

  static boolean guarded(ResourceKey key) {
    return key.group().isEmpty() && "Namespace".equals(key.kind())
        || "apiextensions.k8s.io".equals(key.group())
            && "CustomResourceDefinition".equals(key.kind());
  }

  /**
   * Up to six objects inside the Namespace, or of the CRD's kind, that this Application does not
   * track (every page is read until six are found): the label selector leaves out this app's own,
   * and objects that another object owns (ReplicaSets, Pods, EndpointSlices) go with their owner.
   */
  private List<String> untracked(Step step, String appNamespace, String appName) {
    List<String> found = new ArrayList<>();
    String label = Tracking.appLabel(appNamespace, appName);
    if ("Namespace".equals(step.key().kind())) {
      for (ResourceType type : kinds.listableKinds(true)) {
        String gr = type.group().isEmpty() ? type.plural() : type.plural() + "." + type.group();
        if (RECORDS.contains(gr)) {
          continue;
        }
        cluster.forEach(
            type,
            step.key().name(),
            Tracking.APP_LABEL,
            label,
            o -> {
              String name = o.path("metadata").path("name").asText();
              boolean derived = !o.path("metadata").path("ownerReferences").isEmpty();
              if (!derived
                  && !BUILT_IN.contains(type.kind() + "/" + name)
                  && !Tracking.ownedBy(o, appNamespace, appName)) {
                found.add(type.kind() + " " + step.key().name() + "/" + name);
              }
              return found.size() <= SHOWN;
            });
        if (found.size() > SHOWN) {
          break;
        }
      }
      return found;
    }
    JsonNode spec = step.live().path("spec");
    String version = null;
    for (JsonNode v : spec.path("versions")) {
      if (v.path("storage").asBoolean(false) || version == null) {
        version = v.path("name").asText();
      }
    }
    ResourceType type =
        new ResourceType(
            spec.path("group").asText(),
            version,
            spec.path("names").path("kind").asText(),
            spec.path("names").path("plural").asText(),
            !"Cluster".equals(spec.path("scope").asText()));
    cluster.forEach(
        type,
        null,
        Tracking.APP_LABEL,
        label,
        o -> {
          if (!Tracking.ownedBy(o, appNamespace, appName)) {
            String ns = o.path("metadata").path("namespace").asText("");
            found.add(
                type.kind()
                    + " "
                    + (ns.isEmpty() ? "" : ns + "/")
                    + o.path("metadata").path("name").asText());
          }
          return found.size() <= SHOWN;
        });
    return found;
  }

  private static Step skip(Step step, String reason) {
    return new Step(
        Action.PRUNE_SKIP,
        step.key(),
        step.type(),
        step.desired(),
        step.live(),
        step.wave(),
        step.options(),
        reason);
  }
}
