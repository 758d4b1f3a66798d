package dev.mooring.render;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Parses one file into its documents, with limits against hostile input and error messages that say
 * where the problem is.
 */
final class DocumentParser {

  /** Larger than any object etcd accepts (1.5 MiB), with room for many objects in one file. */
  static final int MAX_FILE_CODE_POINTS = 16 * 1024 * 1024;

  private final ObjectMapper yaml;
  private final ObjectMapper json;

  DocumentParser() {
    LoaderOptions limits = new LoaderOptions();
    limits.setMaxAliasesForCollections(50); // "billion laughs" needs many aliases of collections
    limits.setCodePointLimit(MAX_FILE_CODE_POINTS);
    limits.setNestingDepthLimit(100);
    limits.setAllowDuplicateKeys(false);
    YAMLFactory factory =
        YAMLFactory.builder()
            .loaderOptions(limits)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    yaml = new YAMLMapper(factory);
    json =
        JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
  }

  /** The documents of a {@code .yaml}/{@code .yml} file; empty documents come back as null. */
  List<JsonNode> yaml(String file, byte[] content) throws RenderException {
    List<JsonNode> documents = new ArrayList<>();
    try (JsonParser parser = yaml.getFactory().createParser(content);
        MappingIterator<JsonNode> values = yaml.readerFor(JsonNode.class).readValues(parser)) {
      while (values.hasNextValue()) {
        documents.add(values.nextValue());
      }
      return documents;
    } catch (IOException e) {
      throw invalid(file, "YAML", e);
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

  private static RenderException invalid(String file, String format, IOException e) {
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
