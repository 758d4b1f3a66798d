package dev.mooring.render;

import java.util.List;

/**
 * The objects an Application's source describes at one commit, in file order, then document order.
 *
 * @param commit the commit sha they were read from
 * @param path the folder inside the repository
 * @param manifests the objects; an unmodifiable list
 * @param type how they were rendered
 * @param notices what of the source is left out and why (a Helm hook event nothing runs)
 * @param apiVersionsDigest for a chart whose templates asked {@code .Capabilities.APIVersions}: the
 *     digest of the cluster's API list it was rendered with (a new CRD renders it again); else null
 */
public record RenderedManifests(
    String commit,
    String path,
    List<Manifest> manifests,
    SourceRenderer.Type type,
    List<String> notices,
    String apiVersionsDigest) {

  public RenderedManifests {
    manifests = List.copyOf(manifests);
    type = type == null ? SourceRenderer.Type.DIRECTORY : type;
    notices = notices == null ? List.of() : List.copyOf(notices);
  }

  public RenderedManifests(
      String commit,
      String path,
      List<Manifest> manifests,
      SourceRenderer.Type type,
      List<String> notices) {
    this(commit, path, manifests, type, notices, null);
  }

  public RenderedManifests(
      String commit, String path, List<Manifest> manifests, SourceRenderer.Type type) {
    this(commit, path, manifests, type, List.of());
  }

  /** A folder of plain manifests. */
  public RenderedManifests(String commit, String path, List<Manifest> manifests) {
    this(commit, path, manifests, SourceRenderer.Type.DIRECTORY);
  }
}
