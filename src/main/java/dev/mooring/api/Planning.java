package dev.mooring.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.cluster.UnknownKindException;
import dev.mooring.controller.AppTarget;
import dev.mooring.controller.DesiredState;
import dev.mooring.model.Application;
import dev.mooring.model.Operation;
import dev.mooring.render.Manifest;
import dev.mooring.sync.Comparer;
import dev.mooring.sync.Comparison;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Read-only comparisons for the API (diff, dry-run): the controller's own Git and compare steps,
 * without any write to managed objects.
 */
@ApplicationScoped
public class Planning {
  private final DesiredState desiredState;
  private final Comparer comparer;

  public Planning(DesiredState desiredState, Comparer comparer) {
    this.desiredState = desiredState;
    this.comparer = comparer;
  }

  /** Compares the app at {@code revision} (null: its target revision). */
  public Comparison compare(Application app, String revision) {
    Operation op = null;
    if (revision != null && !revision.isBlank()) {
      op = new Operation();
      op.sync = new Operation.Sync();
      op.sync.revision = revision;
    }
    DesiredState.Result desired = desiredState.load(app, op);
    if (desired.error() != null) {
      throw new ApiError.Failure(422, desired.errorReason(), desired.error());
    }
    List<ObjectNode> objects = desired.manifests().stream().map(Manifest::object).toList();
    try {
      return comparer.compare(AppTarget.of(app), desired.revision(), objects);
    } catch (UnknownKindException e) {
      throw new ApiError.Failure(422, "UnknownKind", e.getMessage());
    } catch (dev.mooring.sync.DuplicateObjectException e) {
      throw new ApiError.Failure(422, "DuplicateObject", e.getMessage());
    }
  }
}
