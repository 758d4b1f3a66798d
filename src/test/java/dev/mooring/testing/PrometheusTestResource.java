package dev.mooring.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus for a whole Quarkus test class, configured as Mooring's default metrics server
 * ({@code mooring.canary.prometheus.address}), scraping every second a target whose series the
 * subclass seeds. Without a Prometheus binary it configures nothing; the test aborts itself.
 */
public abstract class PrometheusTestResource implements QuarkusTestResourceLifecycleManager {
  private ScrapeTarget scrape;
  private PrometheusServer prometheus;

  /** The series the target serves from the start. */
  protected abstract void seed(ScrapeTarget target);

  /** Called with the running target, for tests that change its series later. */
  protected void started(ScrapeTarget target) {}

  @Override
  public Map<String, String> start() {
    if (PrometheusServer.binary().isEmpty()) {
      return Map.of();
    }
    try {
      scrape = ScrapeTarget.start();
      seed(scrape);
      started(scrape);
      prometheus =
          PrometheusServer.start(
              Files.createTempDirectory("mooring-test-prom"), List.of(scrape.hostPort()));
      return Map.of("mooring.canary.prometheus.address", prometheus.url());
    } catch (Exception e) {
      throw new IllegalStateException("cannot start Prometheus", e);
    }
  }

  @Override
  public void stop() {
    try {
      if (prometheus != null) {
        prometheus.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (scrape != null) {
      scrape.close();
    }
  }
}
