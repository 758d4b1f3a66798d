package dev.mooring.source;

/**
 * A Git source failure whose message is safe to show in an Application's status: it never contains
 * credentials.
 */
public class SourceException extends Exception {

  /**
   * Why the source failed. Constant names are written as Kubernetes condition reasons on purpose,
   * so that {@code reason().name()} can go straight into a status condition.
   */
  public enum Reason {
    Unreachable,
    AuthFailed,
    RevisionNotFound,
    PathEscapes,
    PathNotFound,
    NotAllowed,
    Invalid
  }

  private final Reason reason;

  public SourceException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public SourceException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** The condition reason for this failure. */
  public Reason reason() {
    return reason;
  }
}
