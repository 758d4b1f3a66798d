package dev.mooring.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Reads a folder of one commit straight from the object database, following symlinks that stay
 * inside the repository and refusing those that leave it.
 */
final class TreeFiles {

  private static final int MAX_SYMLINK_HOPS = 40;

  /** What one read may hold in memory; a source folder of manifests is far smaller. */
  static final long MAX_TOTAL_BYTES = 256L * 1024 * 1024;

  private record Entry(String realPath, ObjectId id, FileMode mode) {}

  private final Repository repo;
  private final RevTree root;
  private long totalBytes;

  TreeFiles(Repository repo, RevTree root) {
    this.repo = repo;
    this.root = root;
  }

  /** Splits a user-given folder path, refusing absolute paths and {@code ..} segments. */
  static List<String> checkedSegments(String path) throws SourceException {
    String p = path == null ? "" : path.trim();
    if (p.startsWith("/") || p.startsWith("\\") || p.matches("^[A-Za-z]:.*")) {
      throw new SourceException(
          SourceException.Reason.PathEscapes, "path " + p + " must be relative to the repository");
    }
    List<String> segments = new ArrayList<>();
    for (String s : p.split("[/\\\\]")) {
      if (s.equals("..")) {
        throw new SourceException(
            SourceException.Reason.PathEscapes, "path " + p + " may not contain '..'");
      }
      if (!s.isEmpty() && !s.equals(".")) {
        segments.add(s);
      }
    }
    return segments;
  }

  /** The files of the folder {@code segments}, keyed by path relative to that folder. */
  SortedMap<String, byte[]> read(List<String> segments, boolean recurse)
      throws SourceException, IOException {
    String shown = String.join("/", segments);
    SortedMap<String, byte[]> out = new TreeMap<>();
    if (segments.isEmpty()) {
      list("", "", root, recurse, out, new HashSet<>());
      return out;
    }
    Entry folder = resolve(new ArrayDeque<>(segments), shown);
    if (folder == null) {
      throw new SourceException(
          SourceException.Reason.PathNotFound, "path " + shown + " does not exist in the commit");
    }
    if (folder.mode() != FileMode.TREE) {
      throw new SourceException(
          SourceException.Reason.PathNotFound, "path " + shown + " is not a folder");
    }
    Set<String> stack = new HashSet<>();
    stack.add(folder.realPath());
    list("", folder.realPath(), folder.id(), recurse, out, stack);
    return out;
  }

  private void list(
      String prefix,
      String realDir,
      ObjectId tree,
      boolean recurse,
      SortedMap<String, byte[]> out,
      Set<String> stack)
      throws SourceException, IOException {
    try (TreeWalk walk = new TreeWalk(repo)) {
      walk.addTree(tree);
      walk.setRecursive(false);
      while (walk.next()) {
        String name = walk.getNameString();
        String real = realDir.isEmpty() ? name : realDir + "/" + name;
        Entry entry = new Entry(real, walk.getObjectId(0), walk.getFileMode(0));
        if (entry.mode() == FileMode.SYMLINK) {
          entry = resolve(new ArrayDeque<>(Arrays.asList(real.split("/"))), prefix + name);
          if (entry == null) {
            continue; // a dangling link has no content to give
          }
        }
        if (entry.mode() == FileMode.TREE) {
          if (recurse && stack.add(entry.realPath())) {
            list(prefix + name + "/", entry.realPath(), entry.id(), true, out, stack);
            stack.remove(entry.realPath());
          }
        } else if (entry.mode() == FileMode.REGULAR_FILE
            || entry.mode() == FileMode.EXECUTABLE_FILE) {
          out.put(prefix + name, read(entry.id(), prefix + name));
        } // submodules (GITLINK) have no content in this repository
      }
    }
  }

  /**
   * Walks {@code pending} from the root one segment at a time, replacing each symlink by its
   * target. Returns null when the path does not exist.
   */
  private Entry resolve(Deque<String> pending, String shown) throws SourceException, IOException {
    Deque<String> current = new ArrayDeque<>();
    Entry entry = new Entry("", root, FileMode.TREE);
    int hops = 0;
    while (!pending.isEmpty()) {
      String segment = pending.removeFirst();
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (current.isEmpty()) {
          throw escapes(shown);
        }
        current.removeLast();
        entry = lookup(String.join("/", current));
        continue;
      }
      current.addLast(segment);
      entry = lookup(String.join("/", current));
      if (entry == null) {
        return null;
      }
      if (entry.mode() == FileMode.SYMLINK) {
        if (++hops > MAX_SYMLINK_HOPS) {
          throw new SourceException(
              SourceException.Reason.Invalid, "path " + shown + ": too many levels of symlinks");
        }
        String target = new String(repo.open(entry.id()).getBytes(), StandardCharsets.UTF_8);
        if (target.startsWith("/") || target.startsWith("\\")) {
          throw escapes(shown);
        }
        current.removeLast();
        List<String> parts = Arrays.asList(target.split("/"));
        for (int i = parts.size() - 1; i >= 0; i--) {
          pending.addFirst(parts.get(i));
        }
      }
    }
    return entry;
  }

  private byte[] read(ObjectId blob, String shown) throws SourceException, IOException {
    ObjectLoader loader = repo.open(blob);
    totalBytes += loader.getSize();
    if (totalBytes > MAX_TOTAL_BYTES) {
      throw new SourceException(
          SourceException.Reason.Invalid,
          "the files under the path exceed "
              + MAX_TOTAL_BYTES / (1024 * 1024)
              + " MiB (at "
              + shown
              + "); point the Application at a smaller folder");
    }
    return loader.getBytes(Integer.MAX_VALUE); // big files stay allowed within the total
  }

  private Entry lookup(String path) throws IOException {
    if (path.isEmpty()) {
      return new Entry("", root, FileMode.TREE);
    }
    try (TreeWalk walk = TreeWalk.forPath(repo, path, root)) {
      return walk == null ? null : new Entry(path, walk.getObjectId(0), walk.getFileMode(0));
    }
  }

  private static SourceException escapes(String shown) {
    return new SourceException(
        SourceException.Reason.PathEscapes,
        "path " + shown + " is a symlink that points outside the repository");
  }
}
