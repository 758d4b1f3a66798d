package dev.mooring.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.model.ApplicationSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;
import sjsonnet.DefaultParseCache;
import sjsonnet.Importer;
import sjsonnet.Interpreter;
import sjsonnet.OsPath;
import sjsonnet.ResolvedFile;
import sjsonnet.Settings;
import sjsonnet.StaticResolvedFile;

/**
 * Evaluates a directory app's {@code .jsonnet} files in process with Databricks' sjsonnet, as Argo
 * CD evaluates them: top-level arguments and external variables from {@code
 * spec.source.directory.jsonnet}, imports relative to the importing file or in its {@code libs}
 * folders. Imports are read from the commit's files in memory, never from disk: one that leaves the
 * repository is not found. Bounded in time, output size and concurrency.
 */
public final class JsonnetRunner {
  /** Where the repository appears to sjsonnet; nothing is ever read from there. */
  static final java.nio.file.Path ROOT = java.nio.file.Path.of("/mooring-repository");

  private static final ObjectMapper JSON = new ObjectMapper();
  private final InProcessTool tool;

  public JsonnetRunner(java.time.Duration timeout, long maxOutputBytes, int parallelism) {
    // Jsonnet recursion is deep: a large stack, and a StackOverflowError is an error
    this.tool =
        new InProcessTool(
            "mooring-jsonnet", 64L * 1024 * 1024, timeout, maxOutputBytes, parallelism);
  }

  /** "sjsonnet 0.4.9". */
  public static String version() {
    return "sjsonnet " + sjsonnet.Version.version();
  }

  /**
   * @param repository every file of the commit, by path from the repository root
   * @param file the {@code .jsonnet} file, from the repository root
   * @return the value as JSON text
   */
  public String evaluate(
      SortedMap<String, byte[]> repository, String file, ApplicationSpec.Jsonnet options)
      throws RenderException {
    ApplicationSpec.Jsonnet o = options == null ? new ApplicationSpec.Jsonnet() : options;
    Map<String, String> tlas = variables(file, "tlas", o.tlas);
    Map<String, String> extVars = variables(file, "extVars", o.extVars);
    List<java.nio.file.Path> libs = new ArrayList<>();
    if (o.libs != null) {
      for (String lib : o.libs) {
        if (lib == null || lib.isBlank()) {
          continue;
        }
        java.nio.file.Path p = ROOT.resolve(lib.replaceAll("^/+", "")).normalize();
        if (!p.startsWith(ROOT)) {
          throw new RenderException(
              file,
              "spec.source.directory.jsonnet.libs: \"" + lib + "\" is outside the repository");
        }
        libs.add(p);
      }
    }
    byte[] source = repository.get(file);
    if (source == null) {
      throw new RenderException(file, file + ": not in the repository");
    }
    String ran = "jsonnet " + file;
    String out =
        tool.run(
            ran,
            file,
            () -> {
              Interpreter interpreter =
                  new Interpreter(
                      scalaMap(extVars),
                      scalaMap(tlas),
                      new OsPath(os(ROOT)),
                      new RepositoryImporter(repository, libs),
                      new DefaultParseCache(),
                      new Settings(
                          Settings.$lessinit$greater$default$1(),
                          Settings.$lessinit$greater$default$2(),
                          Settings.$lessinit$greater$default$3(),
                          Settings.$lessinit$greater$default$4(),
                          Settings.$lessinit$greater$default$5(),
                          Settings.$lessinit$greater$default$6()),
                      Interpreter.$lessinit$greater$default$7(),
                      Interpreter.$lessinit$greater$default$8(),
                      Interpreter.$lessinit$greater$default$9());
              scala.util.Either<String, ujson.Value> result =
                  interpreter.interpret(
                      new String(source, StandardCharsets.UTF_8),
                      new OsPath(os(ROOT.resolve(file))));
              if (result.isLeft()) {
                throw new IllegalStateException(((scala.util.Left<String, ?>) result).value());
              }
              return ((scala.util.Right<?, ujson.Value>) result).value().render(-1, false);
            },
            cause ->
                (cause instanceof StackOverflowError
                        ? "too deep a recursion (stack overflow)"
                        : cause instanceof LinkageError
                                && String.valueOf(cause.getMessage()).contains("yaml")
                            ? "std.parseYaml is not supported (sjsonnet 0.4.9 is built for"
                                + " SnakeYAML 1.x, and Mooring ships SnakeYAML 2)"
                            : InProcessTool.message(cause))
                    .replace(ROOT.toString() + "/", "")
                    .trim());
    tool.checkSize(ran, file, out.length());
    return out;
  }

  /** Jsonnet code per name: a string variable as a string literal, a code one as it is. */
  private static Map<String, String> variables(
      String file, String field, List<ApplicationSpec.JsonnetVar> vars) throws RenderException {
    Map<String, String> out = new LinkedHashMap<>();
    if (vars == null) {
      return out;
    }
    for (ApplicationSpec.JsonnetVar v : vars) {
      if (v == null || v.name == null || v.name.isBlank()) {
        throw new RenderException(
            file, "spec.source.directory.jsonnet." + field + ": an entry has no name");
      }
      String value = v.value == null ? "" : v.value;
      try {
        out.put(v.name, Boolean.TRUE.equals(v.code) ? value : JSON.writeValueAsString(value));
      } catch (JsonProcessingException e) {
        throw new RenderException(file, e.getMessage());
      }
    }
    return out;
  }

  private static scala.collection.immutable.Map<String, String> scalaMap(Map<String, String> m) {
    return scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(m));
  }

  private static os.Path os(java.nio.file.Path p) {
    return os.Path.apply(p, os.PathConvertible.NioPathConvertible$.MODULE$);
  }

  /**
   * Resolves imports against the commit's files: relative to the importing file's folder, then each
   * library folder; a path that leaves the repository, or names no file of it, is not found.
   */
  private static final class RepositoryImporter extends Importer {
    private final SortedMap<String, byte[]> files;
    private final List<java.nio.file.Path> libs;

    RepositoryImporter(SortedMap<String, byte[]> files, List<java.nio.file.Path> libs) {
      this.files = files;
      this.libs = libs;
    }

    @Override
    public Option<sjsonnet.Path> resolve(sjsonnet.Path docBase, String importName) {
      List<java.nio.file.Path> bases = new ArrayList<>();
      if (docBase instanceof OsPath os) {
        bases.add(os.p().toNIO());
      }
      bases.addAll(libs);
      for (java.nio.file.Path base : bases) {
        java.nio.file.Path candidate = base.resolve(importName).normalize();
        if (candidate.startsWith(ROOT) && files.containsKey(relative(candidate))) {
          return Option.apply(new OsPath(os(candidate)));
        }
      }
      return Option.empty();
    }

    @Override
    public Option<ResolvedFile> read(sjsonnet.Path path) {
      if (!(path instanceof OsPath os)) {
        return Option.empty();
      }
      byte[] content = files.get(relative(os.p().toNIO()));
      return content == null
          ? Option.empty()
          : Option.apply(new StaticResolvedFile(new String(content, StandardCharsets.UTF_8)));
    }

    private static String relative(java.nio.file.Path p) {
      return ROOT.relativize(p).toString().replace('\\', '/');
    }
  }
}
