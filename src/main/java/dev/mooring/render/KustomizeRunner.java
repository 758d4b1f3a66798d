package dev.mooring.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs {@code kustomize build} (or {@code kubectl kustomize}, which embeds kustomize) on a folder
 * written out from Git: bounded in time, output size and concurrency, and without network unless
 * remote bases are allowed (the process gets a proxy that refuses every connection, and remote
 * references are refused before it starts, see {@link KustomizeReferences}).
 */
public final class KustomizeRunner {
  private static final Logger LOG = Logger.getLogger(KustomizeRunner.class);

  /**
   * @param binary path or name of {@code kustomize} or {@code kubectl}; blank: {@code kustomize}
   *     from PATH, else {@code kubectl}
   * @param buildOptions extra arguments of every build, e.g. {@code --load-restrictor
   *     LoadRestrictionsNone}
   */
  public record Settings(
      String binary,
      List<String> buildOptions,
      Duration timeout,
      long maxOutputBytes,
      boolean allowRemoteBases,
      int parallelism) {}

  private final Settings settings;
  private final Semaphore slots;
  private final List<String> command;
  private volatile String version;

  public KustomizeRunner(Settings settings) {
    this.settings = settings;
    this.slots = new Semaphore(Math.max(1, settings.parallelism()));
    String binary = settings.binary() == null ? "" : settings.binary().trim();
    if (binary.isEmpty()) {
      binary = onPath("kustomize") ? "kustomize" : "kubectl";
    }
    boolean kubectl = new File(binary).getName().startsWith("kubectl");
    this.command = kubectl ? List.of(binary, "kustomize") : List.of(binary, "build");
  }

  public Settings settings() {
    return settings;
  }

  /** "kustomize v5.5.0" (and through which binary), read once. */
  public String version() {
    String v = version;
    if (v == null) {
      v = readVersion();
      version = v;
      LOG.infof("kustomize: %s", v);
    }
    return v;
  }

  private String readVersion() {
    String binary = command.get(0);
    boolean kubectl = "kustomize".equals(command.get(1));
    List<String> cmd =
        kubectl ? List.of(binary, "version", "--client", "-o", "json") : List.of(binary, "version");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readNBytes(64 * 1024);
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "kustomize (version unknown: " + binary + " did not answer)";
      }
      String text = new String(out, StandardCharsets.UTF_8).trim();
      if (kubectl) {
        String kv = new ObjectMapper().readTree(text).path("kustomizeVersion").asText("");
        return "kustomize " + (kv.isEmpty() ? "(version unknown)" : kv) + " (kubectl kustomize)";
      }
      String first = text.lines().findFirst().orElse("").replace("{Version:kustomize/", "");
      return "kustomize " + first.trim();
    } catch (IOException e) {
      return "kustomize (not found: " + binary + ": " + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "kustomize (version unknown)";
    }
  }

  /**
   * The output of building {@code folder}.
   *
   * @param shown the folder as messages name it (relative to the repository)
   * @param work a scratch folder of this build (output and errors go there)
   */
  public byte[] build(Path folder, String shown, Path work) throws RenderException {
    List<String> cmd = new ArrayList<>(command);
    cmd.add(folder.toString());
    if (settings.buildOptions() != null) {
      cmd.addAll(settings.buildOptions());
    }
    Path out = work.resolve("kustomize.out");
    Path err = work.resolve("kustomize.err");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(folder.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().put("HOME", work.toString());
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    pb.environment().remove("KUBECONFIG");
    if (!settings.allowRemoteBases()) {
      // defence in depth: whatever slips past the reference check cannot reach the network
      for (String proxy : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
        pb.environment().put(proxy, "http://127.0.0.1:9");
      }
      pb.environment().put("NO_PROXY", "");
      pb.environment().put("no_proxy", "");
    }
    boolean acquired = false;
    try {
      slots.acquire();
      acquired = true;
      Process p = pb.start();
      long deadline = System.nanoTime() + settings.timeout().toNanos();
      while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
        if (System.nanoTime() > deadline) {
          kill(p);
          throw new RenderException(
              shown,
              "kustomize build "
                  + shown
                  + ": did not finish within "
                  + settings.timeout().toSeconds()
                  + " s (mooring.render.timeout)");
        }
        if (Files.size(out) > settings.maxOutputBytes()) {
          kill(p);
          throw tooLarge(shown);
        }
      }
      if (p.exitValue() != 0) {
        throw new RenderException(shown, "kustomize build " + shown + ": " + errors(err, work));
      }
      if (Files.size(out) > settings.maxOutputBytes()) {
        throw tooLarge(shown);
      }
      return Files.readAllBytes(out);
    } catch (IOException e) {
      throw new RenderException(
          shown, "kustomize build " + shown + ": cannot run " + command.get(0) + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RenderException(shown, "kustomize build " + shown + ": interrupted");
    } finally {
      if (acquired) {
        slots.release();
      }
    }
  }

  /** Stops a build and whatever it started (a wrapper script's children, plugins). */
  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private RenderException tooLarge(String shown) {
    return new RenderException(
        shown,
        "kustomize build "
            + shown
            + ": output larger than "
            + settings.maxOutputBytes()
            + " bytes (mooring.render.max-output-bytes)");
  }

  /** kustomize's own message, without the scratch folder's path, at most 20 lines. */
  private static String errors(Path err, Path work) throws IOException {
    String text = Files.readString(err, StandardCharsets.UTF_8);
    String root = work.resolve("repo").toString() + "/";
    List<String> lines =
        text.lines()
            .map(l -> l.replace(root, "").replace(work.toString(), ""))
            .filter(l -> !l.isBlank())
            .limit(20)
            .toList();
    return lines.isEmpty() ? "failed without a message" : String.join("\n", lines);
  }

  private static boolean onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }
}
