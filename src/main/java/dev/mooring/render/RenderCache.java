package dev.mooring.render;

import dev.mooring.source.GitSource;
import dev.mooring.source.SourceException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Rendered manifests by (repository, commit, path, render options), so that a monorepo commit is
 * rendered once per path however many Applications and refreshes look at it.
 *
 * <p>Bounded: the least recently used entry goes once {@code maxEntries} is exceeded. A {@link
 * RenderException} is cached like a result, because rendering a fixed commit fails the same way
 * every time; a {@link SourceException} (I/O, a mirror not yet fetched) is not cached, since it may
 * pass on the next try. Concurrent callers for the same key share one load.
 */
public final class RenderCache {

  /** Produces the manifests on a cache miss. */
  @FunctionalInterface
  public interface Loader {
    RenderedManifests load() throws SourceException, RenderException;
  }

  private record Key(String repo, String commit, String path, String options) {}

  public static final int DEFAULT_MAX_ENTRIES = 256;

  private final Map<Key, CompletableFuture<RenderedManifests>> entries;

  public RenderCache() {
    this(DEFAULT_MAX_ENTRIES);
  }

  public RenderCache(int maxEntries) {
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(
              Map.Entry<Key, CompletableFuture<RenderedManifests>> eldest) {
            return size() > maxEntries;
          }
        };
  }

  /**
   * The cached manifests for the key, or those of {@code loader}, which then are cached. The same
   * instance is returned for every hit.
   */
  public RenderedManifests get(
      String repoURL, String commit, String path, boolean recurse, Loader loader)
      throws SourceException, RenderException {
    return get(repoURL, commit, path, "recurse=" + recurse, loader);
  }

  /**
   * As {@link #get(String, String, String, boolean, Loader)}, keyed on whatever else the render
   * depends on ({@code options}: source options, tool versions).
   */
  public RenderedManifests get(
      String repoURL, String commit, String path, String options, Loader loader)
      throws SourceException, RenderException {
    Key key = new Key(repoKey(repoURL), commit, normalizePath(path), options);
    CompletableFuture<RenderedManifests> future;
    boolean load = false;
    synchronized (entries) {
      future = entries.get(key);
      if (future == null) {
        future = new CompletableFuture<>();
        entries.put(key, future);
        load = true;
      }
    }
    if (load) {
      try {
        future.complete(loader.load());
      } catch (RenderException | RuntimeException e) {
        future.completeExceptionally(e);
        if (e instanceof RuntimeException) {
          forget(key, future);
        }
      } catch (SourceException e) {
        forget(key, future);
        future.completeExceptionally(e);
      }
    }
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RenderException r) {
        throw r;
      }
      if (e.getCause() instanceof SourceException s) {
        throw s;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  /** The number of cached entries. */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  private void forget(Key key, CompletableFuture<RenderedManifests> future) {
    synchronized (entries) {
      entries.remove(key, future);
    }
  }

  private static String repoKey(String repoURL) {
    try {
      return GitSource.normalizeUrl(repoURL);
    } catch (IllegalArgumentException e) {
      return repoURL;
    }
  }

  /** "", ".", "./" and trailing slashes all mean the same folder. */
  static String normalizePath(String path) {
    String p = path == null ? "" : path.trim();
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.equals(".") ? "" : p;
  }
}
