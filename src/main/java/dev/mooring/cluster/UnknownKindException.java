package dev.mooring.cluster;

/** A kind neither the client, the cluster's discovery nor the sync's own CRDs know. */
public class UnknownKindException extends Exception {
  public UnknownKindException(String apiVersion, String kind) {
    super("unknown kind " + kind + " in " + apiVersion + ": not served by the cluster");
  }
}
