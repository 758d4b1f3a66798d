package dev.mooring.source;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Files read from one commit of a repository.
 *
 * @param commit the commit sha the files were read from
 * @param path the folder inside the repository, "" for the root
 * @param files path relative to {@code path} (with {@code /} separators) to the file's bytes, in
 *     lexical order
 */
public record SourceFiles(String commit, String path, SortedMap<String, byte[]> files) {

  public SourceFiles {
    files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
  }
}
