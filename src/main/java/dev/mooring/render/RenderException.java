package dev.mooring.render;

/**
 * A source folder that cannot be turned into objects. The message names the file and the problem,
 * e.g. {@code apps/web/deploy.yaml: invalid YAML at line 3, column 5: ...}, and is meant for the
 * Application's status.
 */
public class RenderException extends Exception {

  private final String file;
  private String reason = "RenderError";

  public RenderException(String file, String message) {
    super(message);
    this.file = file;
  }

  /** One with its own reason for the Ready condition, e.g. {@code EmptySource}. */
  public static RenderException because(String reason, String file, String message) {
    RenderException e = new RenderException(file, message);
    e.reason = reason;
    return e;
  }

  /** The Ready condition's reason: RenderError unless said otherwise. */
  public String reason() {
    return reason;
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
