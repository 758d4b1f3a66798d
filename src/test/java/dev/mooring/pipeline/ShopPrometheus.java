package dev.mooring.pipeline;

import dev.mooring.testing.PrometheusServer;
import dev.mooring.testing.ScrapeTarget;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus, Mooring's default metrics server for one test class, scraping every second a
 * target that serves the shop's request counters; the test turns errors on and off.
 */
public class ShopPrometheus implements QuarkusTestResourceLifecycleManager {
  static final String OK = "shop_requests_total{status=\"200\"}";
  static final String ERRORS = "shop_requests_total{status=\"500\"}";
  static ScrapeTarget scrape;
  private PrometheusServer prometheus;

  @Override
  public Map<String, String> start() {
    if (PrometheusServer.binary().isEmpty()) {
      return Map.of(); // the test aborts itself with the reason
    }
    try {
      scrape = ScrapeTarget.start();
      scrape.grow(OK, 20).grow(ERRORS, 0);
      prometheus =
          PrometheusServer.start(
              Files.createTempDirectory("mooring-shop-prom"), List.of(scrape.hostPort()));
      return Map.of("mooring.canary.prometheus.address", prometheus.url());
    } catch (Exception e) {
      throw new IllegalStateException("cannot start Prometheus", e);
    }
  }

  /** From now on, this many failed requests per scrape beside 20 good ones. */
  static void errors(double perScrape) {
    scrape.grow(ERRORS, perScrape);
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
