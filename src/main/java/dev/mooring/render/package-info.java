/**
 * Turning the files of a source folder into Kubernetes objects. {@link
 * dev.mooring.render.ManifestRenderer} handles plain YAML/JSON folders ({@code
 * spec.source.directory}); {@link dev.mooring.render.RenderCache} keeps results per (repository,
 * commit, path, recurse) so that one commit of a monorepo is rendered once per path.
 */
package dev.mooring.render;
