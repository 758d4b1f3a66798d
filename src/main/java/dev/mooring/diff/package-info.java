/**
 * The diff engine: decides whether a live Kubernetes object matches what Git says, and what the
 * client-side three-way merge of {@code kubectl apply} would write.
 *
 * <p>Pure functions over Jackson trees (unstructured objects); no I/O. Entry points are {@link
 * dev.mooring.diff.DiffEngine#diff} and {@link dev.mooring.diff.DiffEngine#merge}; {@link
 * dev.mooring.diff.SecretMasker} must be applied to any object before it is shown.
 */
package dev.mooring.diff;
