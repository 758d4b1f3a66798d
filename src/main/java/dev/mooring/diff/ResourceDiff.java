package dev.mooring.diff;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The result of comparing one desired object against the live one.
 *
 * @param inSync true when applying desired would change nothing live (ignored fields aside)
 * @param predicted live as it should be after the apply; desired (without status) when live is
 *     missing. Ignored fields carry live's values, so with no matching ignore rule this is exactly
 *     what {@link DiffEngine#merge} returns
 * @param unifiedDiff YAML unified diff from {@code live} to {@code desired}, Secret values masked
 *     and server bookkeeping left out; empty when in sync
 * @param changedPaths JSON pointers (into live) where predicted differs; {@code ""} when live is
 *     missing
 */
public record ResourceDiff(
    boolean inSync, ObjectNode predicted, String unifiedDiff, List<String> changedPaths) {

  public ResourceDiff {
    changedPaths = List.copyOf(changedPaths);
  }
}
