package dev.mooring.health;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Service: a LoadBalancer Service is progressing until the cloud provider assigns it an address;
 * every other type is healthy once it exists.
 */
final class ServiceHealth implements HealthCheck {

  @Override
  public boolean handles(String group, String kind) {
    return "Service".equals(kind) && group.isEmpty();
  }

  @Override
  public Health assess(JsonNode service) {
    if (!"LoadBalancer".equals(Fields.text(service, "spec", "type"))) {
      return Health.healthy();
    }
    if (Fields.at(service, "status", "loadBalancer", "ingress").size() > 0) {
      return Health.healthy();
    }
    return Health.progressing(
        "Waiting for the load balancer to be provisioned: status.loadBalancer.ingress has no"
            + " address yet");
  }
}
