package dev.mooring.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real smart-HTTP Git server on 127.0.0.1 for tests: the JDK's HTTP server running {@code git
 * http-backend} as a CGI program over every repository under a root folder, optionally behind HTTP
 * Basic auth.
 *
 * <pre>{@code
 * try (GitHttpServer server = GitHttpServer.start(root, "alice", "s3cret")) {
 *   String url = server.url("org/app.git");
 * }
 * }</pre>
 */
public final class GitHttpServer implements AutoCloseable {

  private final Path root;
  private final String username;
  private final String password;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final AtomicInteger requests = new AtomicInteger();
  private volatile Duration delay = Duration.ZERO;

  private GitHttpServer(Path root, String username, String password) throws IOException {
    this.root = root;
    this.username = username;
    this.password = password;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Serves every repository under {@code root} without authentication. */
  public static GitHttpServer start(Path root) throws IOException {
    return new GitHttpServer(root, null, null);
  }

  /** Serves every repository under {@code root} to the one user with this password. */
  public static GitHttpServer start(Path root, String username, String password)
      throws IOException {
    return new GitHttpServer(root, username, password);
  }

  /** The URL of a repository under the root, e.g. {@code url("org/app.git")}. */
  public String url(String repoPath) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + repoPath;
  }

  /** How many HTTP requests arrived so far (authorised or not). */
  public int requestCount() {
    return requests.get();
  }

  /** Makes every request wait this long before it is answered, to widen race windows. */
  public void setDelay(Duration delay) {
    this.delay = delay;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      if (!delay.isZero()) {
        Thread.sleep(delay.toMillis());
      }
      if (username != null && !authorised(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"git\"");
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      byte[] body = exchange.getRequestBody().readAllBytes();
      byte[] cgiOutput = runBackend(exchange, body);
      respond(exchange, cgiOutput);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean authorised(String header) {
    if (header == null || !header.startsWith("Basic ")) {
      return false;
    }
    String decoded =
        new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    return decoded.equals(username + ":" + password);
  }

  private byte[] runBackend(HttpExchange exchange, byte[] body)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("git", "http-backend");
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = builder.environment();
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_PROJECT_ROOT", root.toAbsolutePath().toString());
    env.put("GIT_HTTP_EXPORT_ALL", "1");
    env.put("GATEWAY_INTERFACE", "CGI/1.1");
    env.put("SERVER_PROTOCOL", "HTTP/1.1");
    env.put("REQUEST_METHOD", exchange.getRequestMethod());
    env.put("PATH_INFO", exchange.getRequestURI().getPath());
    String query = exchange.getRequestURI().getRawQuery();
    env.put("QUERY_STRING", query == null ? "" : query);
    env.put("REMOTE_ADDR", "127.0.0.1");
    env.put("REMOTE_USER", username == null ? "" : username);
    env.put("CONTENT_LENGTH", Integer.toString(body.length));
    putHeader(exchange, env, "Content-Type", "CONTENT_TYPE");
    putHeader(exchange, env, "Content-Encoding", "HTTP_CONTENT_ENCODING");
    putHeader(exchange, env, "Git-Protocol", "GIT_PROTOCOL");
    putHeader(exchange, env, "Git-Protocol", "HTTP_GIT_PROTOCOL");
    Process process = builder.start();
    // Feed stdin on its own thread: git may answer before it has read everything.
    Thread feeder =
        new Thread(
            () -> {
              try (OutputStream in = process.getOutputStream()) {
                in.write(body);
              } catch (IOException e) {
                // git stopped reading; its answer will say why
              }
            });
    feeder.start();
    byte[] output = process.getInputStream().readAllBytes();
    process.waitFor();
    feeder.join();
    return output;
  }

  private static void putHeader(
      HttpExchange exchange, Map<String, String> env, String header, String variable) {
    String value = exchange.getRequestHeaders().getFirst(header);
    if (value != null) {
      env.put(variable, value);
    }
  }

  /** Splits the CGI output into headers (with an optional Status) and body, and sends them. */
  private static void respond(HttpExchange exchange, byte[] cgi) throws IOException {
    int split = indexOf(cgi, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    int skip = 4;
    if (split < 0) {
      split = indexOf(cgi, "\n\n".getBytes(StandardCharsets.US_ASCII));
      skip = 2;
    }
    String head = split < 0 ? "" : new String(cgi, 0, split, StandardCharsets.ISO_8859_1);
    int bodyStart = split < 0 ? 0 : split + skip;
    int status = 200;
    for (String line : head.split("\r?\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Status")) {
        status = Integer.parseInt(value.split(" ")[0]);
      } else {
        exchange.getResponseHeaders().add(name, value);
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(cgi, bodyStart, cgi.length - bodyStart);
    exchange.sendResponseHeaders(status, body.size() == 0 ? -1 : body.size());
    if (body.size() > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        body.writeTo(out);
      }
    }
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
