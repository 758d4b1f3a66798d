package dev.mooring.render;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The bounds of a renderer that runs in process (Helm, Jsonnet): its work on threads of its own, at
 * most {@code parallelism} at once, each within the timeout and the output size limit. Errors are
 * render errors that start with what ran ({@code helm template charts/shop: ...}).
 */
final class InProcessTool {
  private final java.time.Duration timeout;
  private final long maxOutputBytes;
  private final Semaphore slots;
  private final ExecutorService pool;

  InProcessTool(
      String threadName,
      long stackBytes,
      java.time.Duration timeout,
      long maxOutputBytes,
      int parallelism) {
    this.timeout = timeout;
    this.maxOutputBytes = maxOutputBytes;
    this.slots = new Semaphore(Math.max(1, parallelism));
    this.pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(null, r, threadName, stackBytes);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Runs {@code work}; its failure is described by {@code describe}.
   *
   * @param ran what ran, as messages start ({@code helm template charts/shop})
   * @param file the file or folder the error is about
   */
  <T> T run(String ran, String file, Callable<T> work, Function<Throwable, String> describe)
      throws RenderException {
    boolean acquired = false;
    try {
      slots.acquire();
      acquired = true;
      Future<T> run = pool.submit(work);
      try {
        return run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        run.cancel(true);
        throw new RenderException(
            file,
            ran + ": did not finish within " + timeout.toSeconds() + " s (mooring.render.timeout)");
      }
    } catch (ExecutionException e) {
      throw new RenderException(
          file, ran + ": " + describe.apply(e.getCause() == null ? e : e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RenderException(file, ran + ": interrupted");
    } finally {
      if (acquired) {
        slots.release();
      }
    }
  }

  /** Refuses an output larger than the limit. */
  void checkSize(String ran, String file, long size) throws RenderException {
    if (size > maxOutputBytes) {
      throw new RenderException(
          file,
          ran
              + ": output larger than "
              + maxOutputBytes
              + " bytes (mooring.render.max-output-bytes)");
    }
  }

  /** A throwable's message, or its type when it has none. */
  static String message(Throwable t) {
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
