package dev.mooring.canary.routing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.model.Canary;
import java.util.List;

/** Builds the objects that split traffic between primary and canary for one provider. */
public interface Router {
  /**
   * The routing objects for the given weights (each 0..100, summing to 100).
   *
   * @param canary the Canary
   * @param context the live object the routing is derived from: the Ingress of {@code
   *     spec.ingressRef} for nginx, the target Deployment for kubernetes (may be null), null for
   *     gatewayapi and istio
   * @param primaryWeight percent of traffic to the primary
   * @param canaryWeight percent of traffic to the canary
   */
  List<ObjectNode> desired(Canary canary, ObjectNode context, int primaryWeight, int canaryWeight);

  /**
   * As {@link #desired(Canary, ObjectNode, int, int)}, with {@code mirror}: a copy of the primary's
   * requests also goes to the canary (blue/green mirroring). Routers that can mirror override this;
   * for the others {@code analysis.mirror} is named as unsupported on the Canary, so mirroring is
   * never asked of them silently.
   *
   * <p>Session affinity reads the cookies in the Canary's status ({@code sessionAffinityCookie},
   * {@code previousSessionAffinityCookie}), which {@link SessionCookies} keeps.
   */
  default List<ObjectNode> desired(
      Canary canary, ObjectNode context, int primaryWeight, int canaryWeight, boolean mirror) {
    return desired(canary, context, primaryWeight, canaryWeight);
  }

  /** Rejects weights a router cannot express; shared by the implementations. */
  static void checkWeights(int primaryWeight, int canaryWeight) {
    if (primaryWeight < 0 || primaryWeight > 100 || canaryWeight < 0 || canaryWeight > 100) {
      throw new IllegalArgumentException(
          "weights must be within 0..100, got " + primaryWeight + "/" + canaryWeight);
    }
    if (primaryWeight + canaryWeight != 100) {
      throw new IllegalArgumentException(
          "weights must sum to 100, got " + primaryWeight + "/" + canaryWeight);
    }
  }
}
