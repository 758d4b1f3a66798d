package dev.mooring.render;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.UnicodeReader;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Parses one file into its documents, with limits against hostile input and error messages that say
 * where the problem is.
 */
final class DocumentParser {

  /** Larger than any object etcd accepts (1.5 MiB), with room for many objects in one file. */
  static final int MAX_FILE_CODE_POINTS = 16 * 1024 * 1024;

  private final ObjectMapper json =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /**
   * The documents of a {@code .yaml}/{@code .yml} file; empty documents come back as null.
   *
   * <p>SnakeYAML rather than Jackson's YAML parser: Jackson replaces an alias by the anchor's name
   * ({@code x: *n} reads as {@code "n"}) and ignores merge keys, while kubectl expands both. The
   * YAML 1.1 types match kubectl's ({@code yes}/{@code on} are booleans), except that timestamps
   * stay strings, as they do for kubectl.
   */
  List<JsonNode> yaml(String file, byte[] content) throws RenderException {
    try {
      return load(file, content);
    } catch (RenderException e) {
      if (!e.getMessage().contains("\\t(TAB)")) {
        throw e;
      }
      // kubectl and kustomize (go-yaml) take a tab at the end of a line as white space, where
      // SnakeYAML refuses it after a flow collection or a quoted scalar: read it as they do
      byte[] without = withoutTrailingTabs(content);
      if (without == null) {
        throw e;
      }
      try {
        return load(file, without);
      } catch (RenderException again) {
        throw e;
      }
    }
  }

  private static final Pattern BLOCK_SCALAR_START =
      Pattern.compile("(?:^|[:\\-]\\s)\\s*[|>][-+0-9]*\\s*(?:#.*)?$");

  /**
   * The file with white space that holds a tab removed from the ends of lines, except inside block
   * scalars ({@code |}, {@code >}), whose trailing white space is content; null when no line has
   * such an end.
   */
  static byte[] withoutTrailingTabs(byte[] content) {
    String text = new String(content, java.nio.charset.StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);
    boolean changed = false;
    int blockParent = -1; // indentation of the line that opened a block scalar
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      boolean cr = line.endsWith("\r");
      String body = cr ? line.substring(0, line.length() - 1) : line;
      int indent = 0;
      while (indent < body.length() && body.charAt(indent) == ' ') {
        indent++;
      }
      if (blockParent >= 0) {
        if (body.isBlank() || indent > blockParent) {
          continue; // block content: kept as written
        }
        blockParent = -1;
      }
      int end = body.length();
      while (end > 0 && (body.charAt(end - 1) == ' ' || body.charAt(end - 1) == '\t')) {
        end--;
      }
      String trimmed = body.substring(0, end);
      if (body.substring(end).indexOf('\t') >= 0) {
        lines[i] = trimmed + (cr ? "\r" : "");
        changed = true;
      }
      if (BLOCK_SCALAR_START.matcher(trimmed).find()) {
        blockParent = indent;
      }
    }
    return changed
        ? String.join("\n", lines).getBytes(java.nio.charset.StandardCharsets.UTF_8)
        : null;
  }

  private List<JsonNode> load(String file, byte[] content) throws RenderException {
    LoaderOptions limits = new LoaderOptions();
    limits.setMaxAliasesForCollections(50); // "billion laughs" needs many aliases of collections
    limits.setCodePointLimit(MAX_FILE_CODE_POINTS);
    limits.setNestingDepthLimit(100);
    limits.setAllowDuplicateKeys(false);
    DumperOptions unused = new DumperOptions();
    Yaml yaml =
        new Yaml(
            new SafeConstructor(limits),
            new Representer(unused),
            unused,
            limits,
            new TimestampsAsStrings());
    List<JsonNode> documents = new ArrayList<>();
    try {
      for (Object document : yaml.loadAll(new UnicodeReader(new ByteArrayInputStream(content)))) {
        documents.add(document == null ? null : json.valueToTree(document));
      }
      return documents;
    } catch (YAMLException | IllegalArgumentException e) {
      throw invalid(file, "YAML", e);
    }
  }

  /** The YAML 1.1 resolver without the implicit timestamp type. */
  private static final class TimestampsAsStrings extends Resolver {
    @Override
    public void addImplicitResolver(Tag tag, Pattern regexp, String first, int limit) {
      if (!Tag.TIMESTAMP.equals(tag)) {
        super.addImplicitResolver(tag, regexp, first, limit);
      }
    }
  }

  /** The single value of a {@code .json} file. */
  JsonNode json(String file, byte[] content) throws RenderException {
    try {
      return json.readTree(content);
    } catch (IOException e) {
      throw invalid(file, "JSON", e);
    }
  }

  private static RenderException invalid(String file, String format, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
        Mark mark = marked.getProblemMark();
        String problem = marked.getProblem();
        if (marked.getContext() != null) {
          problem = marked.getContext() + ": " + problem;
        }
        return located(file, format, mark.getLine() + 1, mark.getColumn() + 1, problem, e);
      }
    }
    if (e instanceof JsonProcessingException processing && processing.getLocation() != null) {
      JsonLocation where = processing.getLocation();
      return located(
          file,
          format,
          where.getLineNr(),
          where.getColumnNr(),
          firstLine(processing.getOriginalMessage()),
          e);
    }
    return new RenderException(
        file, file + ": invalid " + format + ": " + firstLine(e.getMessage()), e);
  }

  private static RenderException located(
      String file, String format, int line, int column, String problem, Throwable cause) {
    return new RenderException(
        file,
        file
            + ": invalid "
            + format
            + " at line "
            + line
            + ", column "
            + column
            + ": "
            + firstLine(problem),
        cause);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable content";
    }
    return message.strip().lines().findFirst().orElse("unreadable content");
  }
}
