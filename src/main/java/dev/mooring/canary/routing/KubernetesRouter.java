package dev.mooring.canary.routing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.model.Canary;
import java.util.List;

/**
 * Blue/green over plain Services (provider {@code kubernetes}). As in Flagger, the apex Service
 * selects the primary's pods, and promotion "switches" by rolling the new template onto the
 * primary. Weights 0/100 (all traffic on the canary) make the apex select the canary's pods; any
 * other split cannot be expressed by a selector and leaves the apex on the primary. As in Flagger,
 * the blue/green analysis of this provider never asks for 0/100: traffic stays on the primary.
 */
public final class KubernetesRouter implements Router {
  @Override
  public List<ObjectNode> desired(
      Canary canary, ObjectNode context, int primaryWeight, int canaryWeight) {
    Router.checkWeights(primaryWeight, canaryWeight);
    ObjectNode target = context != null ? context : conventionalTarget(canary);
    PodSelector selector = PodSelector.of(target);
    String value = canaryWeight == 100 ? selector.value() : selector.primaryValue();
    ObjectNode apex =
        ServiceBuilder.service(
            canary,
            target,
            ServiceBuilder.apexName(canary),
            selector.key(),
            value,
            canary.getSpec().service.apex);
    return List.of(apex);
  }

  /** Without the target, assume Flagger's convention {@code app: <targetRef.name>}. */
  private static ObjectNode conventionalTarget(Canary canary) {
    ObjectNode target = JsonNodeFactory.instance.objectNode();
    target
        .with("spec")
        .with("selector")
        .with("matchLabels")
        .put("app", canary.getSpec().targetRef.name);
    return target;
  }
}
