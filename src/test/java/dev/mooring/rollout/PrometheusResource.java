package dev.mooring.rollout;

import dev.mooring.testing.PrometheusServer;
import dev.mooring.testing.ScrapeTarget;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus for a whole Quarkus test, configured as Mooring's default metrics server
 * ({@code mooring.canary.prometheus.address}), as Flagger is installed with {@code
 * -metrics-server}. The scrape target serves nginx-ingress series for the podinfo tutorial.
 */
public class PrometheusResource implements QuarkusTestResourceLifecycleManager {
  static ScrapeTarget scrape;
  private PrometheusServer prometheus;

  @Override
  public Map<String, String> start() {
    if (PrometheusServer.binary().isEmpty()) {
      return Map.of(); // the test aborts itself with the reason
    }
    try {
      scrape = ScrapeTarget.start();
      // what ingress-nginx v1.12+ exports for requests its canary Ingress served
      String labels = "namespace=\"test\",ingress=\"podinfo\",canary=\"test-podinfo-canary-80\"";
      scrape.grow("nginx_ingress_controller_requests{" + labels + ",status=\"200\"}", 20);
      scrape.grow("nginx_ingress_controller_response_duration_seconds_sum{" + labels + "}", 1);
      scrape.grow("nginx_ingress_controller_response_duration_seconds_count{" + labels + "}", 20);
      prometheus =
          PrometheusServer.start(
              Files.createTempDirectory("mooring-flagger-prom"), List.of(scrape.hostPort()));
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
