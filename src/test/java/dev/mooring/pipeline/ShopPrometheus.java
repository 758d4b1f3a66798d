package dev.mooring.pipeline;

import dev.mooring.testing.PrometheusTestResource;
import dev.mooring.testing.ScrapeTarget;

/**
 * A real Prometheus, Mooring's default metrics server for one test class, scraping every second a
 * target that serves the shop's request counters; the test turns errors on and off.
 */
public class ShopPrometheus extends PrometheusTestResource {
  static final String OK = "shop_requests_total{status=\"200\"}";
  static final String ERRORS = "shop_requests_total{status=\"500\"}";
  private static volatile ScrapeTarget scrape;

  @Override
  protected void seed(ScrapeTarget target) {
    target.grow(OK, 20).grow(ERRORS, 0);
  }

  @Override
  protected void started(ScrapeTarget target) {
    scrape = target;
  }

  /** From now on, this many failed requests per scrape beside 20 good ones. */
  static void errors(double perScrape) {
    scrape.grow(ERRORS, perScrape);
  }
}
