package dev.mooring.sync;

import java.util.List;

/**
 * Fields of Git-managed objects that another part of Mooring owns (the canary controller scales its
 * targets): they never count as a difference and are never written back.
 */
public interface ForeignFields {
  ForeignFields NONE = key -> List.of();

  /** RFC 6901 pointers of the fields owned elsewhere for this object; empty for most objects. */
  List<String> pointers(ResourceKey key);
}
