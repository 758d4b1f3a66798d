package dev.mooring.testing;

import dev.mooring.source.SourceFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A folder on disk read as the Git reader gives a commit's folder, for render tests. */
public final class FolderFiles {
  private FolderFiles() {}

  public static SourceFiles read(Path repo, String path, boolean recurse) {
    Path dir = path.isEmpty() ? repo : repo.resolve(path);
    SortedMap<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> walk = recurse ? Files.walk(dir) : Files.list(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SourceFiles("c1", path, out);
  }
}
