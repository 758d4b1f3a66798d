package dev.mooring.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (the Debian package's {@code /usr/bin/prometheus}) started by a test: it
 * scrapes the given targets every second into a throw-away TSDB and listens on a free port of
 * 127.0.0.1. {@code .ci/run} installs the package, so CI always has it.
 */
public final class PrometheusServer implements AutoCloseable {
  /** Where the Debian package puts the binary; {@code PROMETHEUS_BIN} overrides it. */
  public static final Path DEBIAN_BINARY = Path.of("/usr/bin/prometheus");

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final String url;
  private final Path log;

  private PrometheusServer(Process process, String url, Path log) {
    this.process = process;
    this.url = url;
    this.log = log;
  }

  /** The Prometheus binary, or empty with nothing to start. */
  public static Optional<Path> binary() {
    String override = System.getenv("PROMETHEUS_BIN");
    Path path = override == null || override.isBlank() ? DEBIAN_BINARY : Path.of(override);
    return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
  }

  /**
   * Starts Prometheus scraping {@code targets} ({@code host:port}, path {@code /metrics}) every
   * second and waits until it is ready.
   *
   * @param workDir an empty directory for the config, the TSDB and the log
   */
  public static PrometheusServer start(Path workDir, List<String> targets)
      throws IOException, InterruptedException {
    Path binary =
        binary()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no Prometheus at " + DEBIAN_BINARY + ": apt-get install -y prometheus"));
    Path config = workDir.resolve("prometheus.yml");
    Files.writeString(config, config(targets));
    int port = freePort();
    Path log = workDir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + workDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PrometheusServer server = new PrometheusServer(process, "http://127.0.0.1:" + port, log);
    try {
      server.awaitReady();
    } catch (IOException | RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return url;
  }

  /** Prometheus' own output so far, for assertion messages. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create(url + "/-/ready")).timeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("Prometheus exited with " + process.exitValue() + ":\n" + log());
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(100);
    }
    throw new IOException("Prometheus not ready after " + READY_TIMEOUT + ":\n" + log());
  }

  private static String config(List<String> targets) {
    StringBuilder out =
        new StringBuilder(
            """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: mooring-test
                honor_labels: true
                static_configs:
                  - targets:
            """);
    for (String target : targets) {
      out.append("          - '").append(target).append("'\n");
    }
    return out.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
