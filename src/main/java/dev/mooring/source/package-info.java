/**
 * Git as a source of desired state: local bare mirrors (one per normalised repository URL, shared
 * by all Applications), revision resolution, and reading a folder of a commit straight from the
 * object database.
 *
 * <p>Entry point: {@link dev.mooring.source.GitSource}. Every failure is a {@link
 * dev.mooring.source.SourceException} whose {@code reason()} is a condition reason and whose
 * message is safe for an Application's status (it never holds credentials).
 */
package dev.mooring.source;
