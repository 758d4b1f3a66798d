package dev.mooring.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every write Mooring makes to managed objects goes through this one narrow edge, so that the sync
 * logic stays testable and the wire format lives in one place.
 */
public interface ClusterOps {

  /** The object as the server has it, or null when it does not exist. */
  ObjectNode get(ResourceType type, String namespace, String name);

  ObjectNode create(ResourceType type, ObjectNode object);

  /** RFC 6902 JSON patch; works on every API server. */
  ObjectNode jsonPatch(ResourceType type, String namespace, String name, String patch);

  /** Server-side apply: application/apply-patch+yaml, fieldManager=mooring, force=true. */
  ObjectNode serverSideApply(ResourceType type, ObjectNode object);

  /** PUT of the whole object (for objects too large for the last-applied annotation). */
  ObjectNode replace(ResourceType type, ObjectNode object);

  /** Deletes with foreground propagation; true when something was deleted. */
  boolean delete(ResourceType type, String namespace, String name);
}
