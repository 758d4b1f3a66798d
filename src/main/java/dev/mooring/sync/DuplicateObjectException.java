package dev.mooring.sync;

/**
 * Two objects of Git that are one object in the cluster once namespaces are resolved: one names the
 * destination namespace, the other names none and goes there too (or a cluster-scoped object named
 * with and without a namespace). Applying both would make them overwrite each other forever.
 */
public class DuplicateObjectException extends RuntimeException {
  public DuplicateObjectException(ResourceKey key) {
    super(
        "duplicate object "
            + key
            + ": Git defines it twice once namespaces are resolved (an object without"
            + " metadata.namespace goes to the destination namespace, and a cluster-scoped"
            + " object has none)");
  }
}
