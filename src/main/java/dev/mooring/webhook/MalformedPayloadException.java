package dev.mooring.webhook;

/** A verified delivery whose body cannot be read; its message becomes a 400 answer. */
final class MalformedPayloadException extends Exception {

  private static final long serialVersionUID = 1L;

  MalformedPayloadException(String message) {
    super(message, null, false, false);
  }
}
