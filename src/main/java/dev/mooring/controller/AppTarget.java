package dev.mooring.controller;

import dev.mooring.diff.IgnoreRule;
import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.model.ApplicationStatus;
import dev.mooring.sync.Comparer;
import dev.mooring.sync.SyncOptions;
import java.util.ArrayList;
import java.util.List;

/** The comparison inputs of an Application: destination, options, ignore rules, inventory. */
public final class AppTarget {
  private AppTarget() {}

  /** Namespaced objects without a namespace go to the destination, or the app's own namespace. */
  public static Comparer.Target of(Application app) {
    ApplicationSpec spec = app.getSpec();
    String destination =
        spec.destination != null
                && spec.destination.namespace != null
                && !spec.destination.namespace.isBlank()
            ? spec.destination.namespace
            : app.getMetadata().getNamespace();
    List<IgnoreRule> ignores = new ArrayList<>();
    if (spec.ignoreDifferences != null) {
      for (ApplicationSpec.IgnoreDifference d : spec.ignoreDifferences) {
        ignores.add(new IgnoreRule(d.group, d.kind, d.name, d.namespace, d.jsonPointers));
      }
    }
    List<Comparer.ResourceKeyWithVersion> inventory = new ArrayList<>();
    if (app.getStatus() != null) {
      for (ApplicationStatus.ResourceStatus r : app.getStatus().resources) {
        if (r.kind != null && r.version != null) {
          inventory.add(
              new Comparer.ResourceKeyWithVersion(
                  r.group == null ? "" : r.group, r.version, r.kind));
        }
      }
    }
    SyncOptions options =
        SyncOptions.parse(spec.syncPolicy == null ? List.of() : spec.syncPolicy.syncOptions);
    return new Comparer.Target(
        app.getMetadata().getNamespace(),
        app.getMetadata().getName(),
        destination,
        options,
        ignores,
        inventory);
  }
}
