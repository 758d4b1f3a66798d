package dev.mooring.render;

/**
 * A source folder that cannot be turned into objects. The message names the file and the problem,
 * e.g. {@code apps/web/deploy.yaml: invalid YAML at line 3, column 5: ...}, and is meant for the
 * Application's status.
 */
public class RenderException extends Exception {

  private final String file;

  public RenderException(String file, String message) {
    super(message);
    this.file = file;
  }

  public RenderException(String file, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
  }

  /** The file at fault (the first one, when two files clash). */
  public String file() {
    return file;
  }
}
