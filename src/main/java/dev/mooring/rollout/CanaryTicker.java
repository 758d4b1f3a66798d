package dev.mooring.rollout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Runs canary analysis ticks on their own bounded pool, off the reconcile threads that Applications
 * share: a tick waits on webhooks (a 30 s load test), Prometheus and the API server, and none of
 * that may delay a Git sync. Ticks of one Canary never overlap: a Canary is queued at most once,
 * and a change seen while its tick runs makes the next tick start as soon as this one ends. Each
 * tick says when the next is due; the ticker keeps that schedule itself.
 *
 * <p>The reconciler only offers Canaries (on every change the operator SDK sees); this class is the
 * one place that decides when a tick runs.
 *
 * @param <T> what one tick is given (the newest Canary seen)
 */
final class CanaryTicker<T> implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(CanaryTicker.class);

  /** One tick: given the newest object, does the work and returns the wait until the next tick. */
  interface Tick<T> {
    Duration run(T latest, Duration late);
  }

  private final class Slot {
    volatile T latest;
    boolean queued;
    boolean running;
    boolean again;
    long due; // System.nanoTime() the queued or scheduled tick is due at
    ScheduledFuture<?> timer;
  }

  private final Tick<T> tick;
  private final Function<T, Object> version;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService timer;
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();
  private final Map<String, Object> versions = new ConcurrentHashMap<>();

  /**
   * @param threads the most ticks that run at once
   * @param version what makes an offered object urgent when it changes (the spec's generation): a
   *     change ticks now, otherwise the schedule stands
   */
  CanaryTicker(int threads, Function<T, Object> version, Tick<T> tick) {
    this.tick = tick;
    this.version = version;
    AtomicInteger n = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            // one entry per Canary at most, so bounded by the number of Canaries
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "canary-analysis-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    workers.allowCoreThreadTimeOut(true);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "canary-ticker");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The operator SDK saw the object (created, changed, resynced). A new one, or one whose version
   * changed, ticks now; otherwise only the newest copy is kept for the tick already scheduled.
   */
  void offer(String key, T latest) {
    Object now = version.apply(latest);
    Object before = versions.put(key, now == null ? "" : now);
    boolean urgent = before == null || !before.equals(now == null ? "" : now);
    Slot slot = slots.computeIfAbsent(key, k -> new Slot());
    synchronized (slot) {
      slot.latest = latest;
      if (slot.running) {
        slot.again |= urgent;
        return;
      }
      if (slot.queued) {
        return;
      }
      if (urgent || slot.timer == null || slot.timer.isDone()) {
        cancelTimer(slot);
        queue(key, slot, System.nanoTime());
      }
    }
  }

  /** The object is gone: its schedule goes (a running tick ends, and is not followed). */
  void forget(String key) {
    versions.remove(key);
    Slot slot = slots.remove(key);
    if (slot != null) {
      synchronized (slot) {
        cancelTimer(slot);
      }
    }
  }

  /** Ticks running or waiting for a thread (for the benchmark and a gauge). */
  int busy() {
    return workers.getActiveCount() + workers.getQueue().size();
  }

  private void queue(String key, Slot slot, long due) {
    slot.queued = true;
    slot.due = due;
    try {
      workers.execute(() -> run(key, slot));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      slot.queued = false; // shutting down
    }
  }

  private void run(String key, Slot slot) {
    T latest;
    long due;
    synchronized (slot) {
      slot.queued = false;
      if (slots.get(key) != slot) {
        return; // forgotten while queued
      }
      slot.running = true;
      slot.again = false;
      latest = slot.latest;
      due = slot.due;
    }
    long started = System.nanoTime();
    Duration wait = null;
    try {
      wait = tick.run(latest, Duration.ofNanos(Math.max(0, started - due)));
    } catch (RuntimeException | Error e) {
      LOG.warnf(e, "canary %s: the tick failed", key);
    } finally {
      if (wait == null) {
        wait = Duration.ofSeconds(10);
      }
      synchronized (slot) {
        slot.running = false;
        if (slots.get(key) == slot) {
          if (slot.again) {
            queue(key, slot, System.nanoTime());
          } else {
            long delay = wait.toNanos();
            slot.due = System.nanoTime() + delay;
            try {
              slot.timer =
                  timer.schedule(
                      () -> {
                        synchronized (slot) {
                          if (slots.get(key) == slot && !slot.running && !slot.queued) {
                            queue(key, slot, slot.due);
                          }
                        }
                      },
                      delay,
                      TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
              // shutting down
            }
          }
        }
      }
    }
  }

  private static void cancelTimer(CanaryTicker<?>.Slot slot) {
    if (slot.timer != null) {
      slot.timer.cancel(false);
      slot.timer = null;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    workers.shutdownNow();
  }
}
