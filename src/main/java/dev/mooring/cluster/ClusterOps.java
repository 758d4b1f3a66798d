package dev.mooring.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every write Mooring makes to managed objects goes through this one narrow edge, so that the sync
 * logic stays testable and the wire format lives in one place. Each write names Mooring's field
 * manager, and each may be a server-side dry run ({@code dryRun=All}): the API server validates,
 * defaults, runs admission and answers with the object it would store, and stores nothing.
 */
public interface ClusterOps {
  /** The field manager of the Application controller's writes. */
  String FIELD_MANAGER = "mooring";

  /** The object as the server has it, or null when it does not exist. */
  ObjectNode get(ResourceType type, String namespace, String name);

  ObjectNode create(ResourceType type, ObjectNode object, String fieldManager, boolean dryRun);

  default ObjectNode create(ResourceType type, ObjectNode object) {
    return create(type, object, FIELD_MANAGER, false);
  }

  /** RFC 6902 JSON patch; works on every API server. */
  ObjectNode jsonPatch(
      ResourceType type,
      String namespace,
      String name,
      String patch,
      String fieldManager,
      boolean dryRun);

  default ObjectNode jsonPatch(ResourceType type, String namespace, String name, String patch) {
    return jsonPatch(type, namespace, name, patch, FIELD_MANAGER, false);
  }

  /**
   * Server-side apply ({@code application/apply-patch+yaml}). Without {@code force}, fields another
   * manager owns with a different value fail the request with 409 and the list of conflicts.
   */
  ObjectNode serverSideApply(
      ResourceType type, ObjectNode object, String fieldManager, boolean force, boolean dryRun);

  default ObjectNode serverSideApply(ResourceType type, ObjectNode object) {
    return serverSideApply(type, object, FIELD_MANAGER, true, false);
  }

  /** PUT of the whole object (for objects too large for the last-applied annotation). */
  ObjectNode replace(ResourceType type, ObjectNode object, String fieldManager, boolean dryRun);

  default ObjectNode replace(ResourceType type, ObjectNode object) {
    return replace(type, object, FIELD_MANAGER, false);
  }

  /**
   * Deletes with foreground propagation, and only the very object that was meant: the server checks
   * {@code uid} and {@code resourceVersion} (preconditions) and answers 409 if it changed.
   *
   * @return true when something was deleted, false when it was already gone
   */
  boolean delete(
      ResourceType type, String namespace, String name, String uid, String resourceVersion);

  /**
   * Visits the objects of a kind, in {@code namespace} or cluster-wide when null, that lack the
   * label {@code label} or have another value of it ({@code null}: all), page by page, until {@code
   * visit} answers false.
   */
  void forEach(
      ResourceType type,
      String namespace,
      String label,
      String notValue,
      java.util.function.Predicate<ObjectNode> visit);
}
