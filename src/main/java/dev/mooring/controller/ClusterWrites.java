package dev.mooring.controller;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that send writes and dry runs to the API server, shared by every sync: at most {@code
 * mooring.sync.write-parallelism} requests at once, whatever the number of Applications.
 */
@ApplicationScoped
public class ClusterWrites implements Executor {
  private final ExecutorService pool;

  public ClusterWrites(MooringConfig config) {
    AtomicInteger n = new AtomicInteger();
    pool =
        Executors.newFixedThreadPool(
            Math.max(1, config.sync().writeParallelism()),
            r -> {
              Thread t = new Thread(r, "mooring-write-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void execute(Runnable command) {
    pool.execute(command);
  }

  @PreDestroy
  void stop() {
    pool.shutdownNow();
  }
}
