package dev.mooring.health;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Ingress: like Argo CD, progressing until an ingress controller publishes an address in {@code
 * status.loadBalancer.ingress}. Controllers that never publish one keep the Ingress progressing,
 * which is why the message names the field and the likely cause.
 */
final class IngressHealth implements HealthCheck {

  @Override
  public boolean handles(String group, String kind) {
    return "Ingress".equals(kind)
        && ("networking.k8s.io".equals(group) || "extensions".equals(group));
  }

  @Override
  public Health assess(JsonNode ingress) {
    if (Fields.at(ingress, "status", "loadBalancer", "ingress").size() > 0) {
      return Health.healthy();
    }
    String ingressClass = Fields.text(ingress, "spec", "ingressClassName");
    return Health.progressing(
        "Waiting for an ingress controller"
            + (ingressClass.isEmpty() ? "" : " of class " + ingressClass)
            + " to assign an address: status.loadBalancer.ingress is empty");
  }
}
