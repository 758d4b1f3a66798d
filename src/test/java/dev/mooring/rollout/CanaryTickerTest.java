package dev.mooring.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The analysis pool: ticks of one Canary never overlap, keep their schedule, and stop on delete.
 */
class CanaryTickerTest {
  /** An offered object: a name and the generation that makes a change urgent. */
  record Obj(String name, long generation) {}

  @Test
  void ticksOfOneCanaryNeverOverlapAndAChangeDuringATickRunsNextAtOnce() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Long> seen = new CopyOnWriteArrayList<>();
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (CanaryTicker<Obj> ticker =
        new CanaryTicker<>(
            4,
            Obj::generation,
            (obj, late) -> {
              most.accumulateAndGet(running.incrementAndGet(), Math::max);
              seen.add(obj.generation());
              firstStarted.countDown();
              try {
                release.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              running.decrementAndGet();
              return Duration.ofHours(1);
            })) {
      ticker.offer("ns/a", new Obj("a", 1));
      assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
      // while the first tick waits on its "webhook": resyncs and a spec change
      ticker.offer("ns/a", new Obj("a", 1));
      ticker.offer("ns/a", new Obj("a", 2));
      ticker.offer("ns/a", new Obj("a", 2));
      assertThat(ticker.busy()).isEqualTo(1);
      release.countDown();
      await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
      Thread.sleep(200);
      assertThat(seen)
          .as("one more tick, of the newest copy; then the hour's wait")
          .containsExactly(1L, 2L);
      assertThat(most.get()).isEqualTo(1);
    }
  }

  @Test
  void aSlowCanaryDoesNotHoldTheOthersAndEachKeepsItsSchedule() throws Exception {
    CountDownLatch slowHeld = new CountDownLatch(1);
    AtomicInteger fastTicks = new AtomicInteger();
    try (CanaryTicker<Obj> ticker =
        new CanaryTicker<>(
            2,
            Obj::generation,
            (obj, late) -> {
              if (obj.name().equals("slow")) {
                try {
                  slowHeld.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return Duration.ofHours(1);
              }
              fastTicks.incrementAndGet();
              return Duration.ofMillis(50);
            })) {
      ticker.offer("ns/slow", new Obj("slow", 1));
      ticker.offer("ns/fast", new Obj("fast", 1));
      await().atMost(Duration.ofSeconds(5)).until(() -> fastTicks.get() >= 10);
      // a resync of an unchanged Canary does not tick it out of its schedule
      int before = fastTicks.get();
      ticker.offer("ns/fast", new Obj("fast", 1));
      assertThat(fastTicks.get()).isLessThanOrEqualTo(before + 1);
      slowHeld.countDown();
    }
  }

  @Test
  void aForgottenCanaryTicksNoMoreAndAFailingTickIsRetried() throws Exception {
    AtomicInteger ticks = new AtomicInteger();
    AtomicInteger failing = new AtomicInteger();
    try (CanaryTicker<Obj> ticker =
        new CanaryTicker<>(
            2,
            Obj::generation,
            (obj, late) -> {
              if (obj.name().equals("broken")) {
                failing.incrementAndGet();
                throw new IllegalStateException("boom");
              }
              ticks.incrementAndGet();
              return Duration.ofMillis(20);
            })) {
      ticker.offer("ns/a", new Obj("a", 1));
      await().atMost(Duration.ofSeconds(5)).until(() -> ticks.get() >= 3);
      ticker.forget("ns/a");
      Thread.sleep(100);
      int after = ticks.get();
      Thread.sleep(300);
      assertThat(ticks.get()).isEqualTo(after);
      ticker.offer("ns/broken", new Obj("broken", 1));
      await().atMost(Duration.ofSeconds(5)).until(() -> failing.get() >= 1);
      assertThat(ticker.busy()).as("the failure is logged; the Canary stays scheduled").isZero();
    }
  }
}
