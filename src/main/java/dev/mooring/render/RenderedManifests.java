package dev.mooring.render;

import java.util.List;

/**
 * The objects an Application's source describes at one commit, in file order, then document order.
 *
 * @param commit the commit sha they were read from
 * @param path the folder inside the repository
 * @param manifests the objects; an unmodifiable list
 * @param type how they were rendered
 */
public record RenderedManifests(
    String commit, String path, List<Manifest> manifests, SourceRenderer.Type type) {

  public RenderedManifests {
    manifests = List.copyOf(manifests);
    type = type == null ? SourceRenderer.Type.DIRECTORY : type;
  }

  /** A folder of plain manifests. */
  public RenderedManifests(String commit, String path, List<Manifest> manifests) {
    this(commit, path, manifests, SourceRenderer.Type.DIRECTORY);
  }
}
