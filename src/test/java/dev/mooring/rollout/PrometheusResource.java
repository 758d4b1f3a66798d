package dev.mooring.rollout;

import dev.mooring.testing.PrometheusTestResource;
import dev.mooring.testing.ScrapeTarget;

/**
 * A real Prometheus for a whole Quarkus test, configured as Mooring's default metrics server
 * ({@code mooring.canary.prometheus.address}), as Flagger is installed with {@code
 * -metrics-server}. The scrape target serves nginx-ingress series for the podinfo tutorial.
 */
public class PrometheusResource extends PrometheusTestResource {
  @Override
  protected void seed(ScrapeTarget scrape) {
    // what ingress-nginx v1.12+ exports for requests its canary Ingress served
    String labels = "namespace=\"test\",ingress=\"podinfo\",canary=\"test-podinfo-canary-80\"";
    scrape.grow("nginx_ingress_controller_requests{" + labels + ",status=\"200\"}", 20);
    scrape.grow("nginx_ingress_controller_response_duration_seconds_sum{" + labels + "}", 1);
    scrape.grow("nginx_ingress_controller_response_duration_seconds_count{" + labels + "}", 20);
  }
}
