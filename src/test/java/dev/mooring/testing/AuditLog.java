package dev.mooring.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The API server's audit log (JSON lines), read back to count what a client really sent: the
 * server's own record, not the client's idea of it.
 */
public final class AuditLog {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete");

  private final Path file;

  AuditLog(Path file) {
    this.file = file;
  }

  /** One answered request. */
  public record Entry(
      String verb,
      String uri,
      String userAgent,
      String resource,
      String subresource,
      String namespace,
      String name,
      int code,
      boolean dryRun) {

    public boolean write() {
      return WRITES.contains(verb);
    }

    /** Made by Mooring (its client's user agent starts with "mooring/"). */
    public boolean byMooring() {
      return userAgent != null && userAgent.startsWith("mooring/");
    }
  }

  /** A position in the log; {@link #since} reads what came after it. */
  public long mark() {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<Entry> since(long mark) {
    List<Entry> out = new ArrayList<>();
    try {
      if (!Files.exists(file)) {
        return out;
      }
      byte[] all = Files.readAllBytes(file);
      int from = (int) Math.min(mark, all.length);
      String text = new String(all, from, all.length - from, StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode e = MAPPER.readTree(line);
        if (!"ResponseComplete".equals(e.path("stage").asText())) {
          continue;
        }
        JsonNode ref = e.path("objectRef");
        String uri = e.path("requestURI").asText();
        out.add(
            new Entry(
                e.path("verb").asText(),
                uri,
                e.path("userAgent").asText(null),
                ref.path("resource").asText(null),
                ref.path("subresource").asText(null),
                ref.path("namespace").asText(null),
                ref.path("name").asText(null),
                e.path("responseStatus").path("code").asInt(),
                uri.contains("dryRun=All")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  public List<Entry> since(long mark, Predicate<Entry> filter) {
    return since(mark).stream().filter(filter).toList();
  }
}
