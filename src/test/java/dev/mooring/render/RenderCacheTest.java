package dev.mooring.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mooring.source.SourceException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RenderCacheTest {

  private final AtomicInteger loads = new AtomicInteger();

  private RenderCache.Loader loader(String commit) {
    return () -> {
      loads.incrementAndGet();
      return new RenderedManifests(commit, "app", List.of());
    };
  }

  @Test
  void aHitReturnsTheSameInstanceWithoutLoadingAgain() throws Exception {
    RenderCache cache = new RenderCache();

    RenderedManifests first = cache.get("https://h/o/r.git", "c1", "app", true, loader("c1"));
    RenderedManifests second = cache.get("https://H/o/r/", "c1", "./app/", true, loader("c1"));

    assertThat(second).isSameAs(first);
    assertThat(loads).hasValue(1);
  }

  @Test
  void commitPathAndRecurseAreEachPartOfTheKey() throws Exception {
    RenderCache cache = new RenderCache();

    cache.get("https://h/o/r", "c1", "app", true, loader("c1"));
    cache.get("https://h/o/r", "c2", "app", true, loader("c2"));
    cache.get("https://h/o/r", "c1", "other", true, loader("c1"));
    cache.get("https://h/o/r", "c1", "app", false, loader("c1"));

    assertThat(loads).hasValue(4);
  }

  @Test
  void theLeastRecentlyUsedEntryIsEvictedBeyondTheBound() throws Exception {
    RenderCache cache = new RenderCache(2);

    cache.get("r", "c1", "", true, loader("c1"));
    cache.get("r", "c2", "", true, loader("c2"));
    cache.get("r", "c1", "", true, loader("c1")); // c1 is now the most recent
    cache.get("r", "c3", "", true, loader("c3")); // evicts c2
    cache.get("r", "c1", "", true, loader("c1"));
    cache.get("r", "c2", "", true, loader("c2"));

    assertThat(cache.size()).isEqualTo(2);
    assertThat(loads).hasValue(4);
  }

  @Test
  void renderFailuresAreCachedButSourceFailuresAreRetried() {
    RenderCache cache = new RenderCache();
    RenderCache.Loader broken =
        () -> {
          loads.incrementAndGet();
          throw new RenderException("a.yaml", "a.yaml: invalid YAML at line 1, column 1: x");
        };
    RenderCache.Loader flaky =
        () -> {
          loads.incrementAndGet();
          throw new SourceException(SourceException.Reason.Unreachable, "down");
        };

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> cache.get("r", "bad", "", true, broken))
          .isInstanceOf(RenderException.class);
      assertThatThrownBy(() -> cache.get("r", "flaky", "", true, flaky))
          .isInstanceOf(SourceException.class);
    }

    assertThat(loads).hasValue(3);
  }
}
