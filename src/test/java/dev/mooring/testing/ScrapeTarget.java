package dev.mooring.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code /metrics} endpoint on 127.0.0.1 whose counters the test controls: each series grows by a
 * fixed amount at every scrape, so a {@code rate()} over it is steady whatever the timing, and a
 * series that stops growing looks exactly like an application without traffic.
 */
public final class ScrapeTarget implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, double[]> series = new LinkedHashMap<>(); // series -> {value, step}
  private final AtomicInteger scrapes = new AtomicInteger();

  private ScrapeTarget(HttpServer server) {
    this.server = server;
  }

  public static ScrapeTarget start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ScrapeTarget target = new ScrapeTarget(server);
    server.createContext(
        "/metrics",
        exchange -> {
          byte[] body = target.scrape().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return target;
  }

  /**
   * Makes {@code series} (e.g. {@code requests_total{status="200"}}) grow by {@code perScrape} at
   * every scrape from now on; 0 freezes it.
   */
  public synchronized ScrapeTarget grow(String series, double perScrape) {
    this.series.computeIfAbsent(series, s -> new double[2])[1] = perScrape;
    return this;
  }

  /** {@code host:port} for a Prometheus scrape config. */
  public String hostPort() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public int scrapes() {
    return scrapes.get();
  }

  private synchronized String scrape() {
    scrapes.incrementAndGet();
    StringBuilder out = new StringBuilder();
    series.forEach(
        (name, state) -> {
          state[0] += state[1];
          out.append(name)
              .append(' ')
              .append(String.format(Locale.ROOT, "%.1f", state[0]))
              .append('\n');
        });
    return out.toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
