package dev.mooring.it;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Mooring as users run it: the packaged application ({@code java -jar
 * target/quarkus-app/quarkus-run.jar}) in a process of its own, with its own port, Git cache, log
 * file and environment. For the tests of starting, stopping and electing a leader.
 */
final class MooringProcess implements AutoCloseable {
  static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

  private final Process process;
  private final Path log;
  private final int port;
  private final String name;

  private MooringProcess(String name, Process process, Path log, int port) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** What to start: environment variables and Java system properties. */
  static final class Launch {
    final String name;
    final Map<String, String> env = new HashMap<>();
    final Map<String, String> props = new HashMap<>();
    final Path dir;

    Launch(String name, Path dir) {
      this.name = name;
      this.dir = dir;
      env.put("HOME", dir.toString()); // no ~/.kube/config of the machine's
      env.put("MOORING_GIT_ALLOW_LOCAL_REPOS", "true");
      env.put("MOORING_GIT_CACHE_DIR", dir.resolve("git").toString());
      env.put("MOORING_API_TOKENS", "admin:admin-token");
      env.put("MOORING_WEBHOOK_GENERIC_SECRET", "it-secret");
      env.put("MOORING_SANDBOX", "false");
    }

    Launch env(String key, String value) {
      env.put(key, value);
      return this;
    }

    Launch prop(String key, String value) {
      props.put(key, value);
      return this;
    }
  }

  static MooringProcess start(Launch launch) throws IOException {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(JAR + " is missing: these tests run after the package phase");
    }
    int port = freePort();
    Path log = launch.dir.resolve(launch.name + ".log");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx256m");
    launch.props.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-jar");
    command.add(JAR.toAbsolutePath().toString());
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    // only what the launch says: no KUBECONFIG, KUBERNETES_* or MOORING_* of the test JVM
    env.keySet().removeIf(k -> k.startsWith("KUBE") || k.startsWith("MOORING_"));
    env.putAll(launch.env);
    env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
    return new MooringProcess(launch.name, pb.start(), log, port);
  }

  String name() {
    return name;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  boolean alive() {
    return process.isAlive();
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** HTTP status of a GET, or -1 while nothing listens. */
  int get(String path) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url() + path).toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(5000);
      return c.getResponseCode();
    } catch (IOException e) {
      return -1;
    }
  }

  /** POSTs a body with headers; the answer's status. */
  int post(String path, String body, Map<String, String> headers) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url() + path).toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    headers.forEach(c::setRequestProperty);
    c.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    return c.getResponseCode();
  }

  /** SIGTERM, as the kubelet sends it; the exit code, or null if it did not exit in time. */
  Integer terminate(Duration grace) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      return null;
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return name + " (" + url() + ")";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
