package dev.mooring.cluster;

/** A kind whose live objects cannot be read (the informer cannot list it, e.g. RBAC forbids). */
public class KindUnavailableException extends RuntimeException {
  public KindUnavailableException(String message) {
    super(message);
  }
}
