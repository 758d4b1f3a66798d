package dev.mooring.health;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * CustomResourceDefinition: healthy once Established, degraded when its names are rejected or its
 * schema is not structural, progressing while it terminates, before the API server has reported any
 * condition, or until it is established.
 */
final class CustomResourceDefinitionHealth implements HealthCheck {

  @Override
  public boolean handles(String group, String kind) {
    return "CustomResourceDefinition".equals(kind) && "apiextensions.k8s.io".equals(group);
  }

  @Override
  public Health assess(JsonNode crd) {
    if (Fields.at(crd, "status", "conditions").size() == 0) {
      return Health.progressing("Waiting for the API server to report CRD status conditions");
    }
    var terminating = Fields.condition(crd, "Terminating").filter(Fields::isTrue);
    if (terminating.isPresent()) {
      return Health.progressing(
          Fields.join(": ", "CRD is being terminated", Fields.explain(terminating.get())));
    }
    var names = Fields.condition(crd, "NamesAccepted").filter(Fields::isFalse);
    if (names.isPresent()) {
      return Health.degraded(
          Fields.join(": ", "CRD names have not been accepted", Fields.explain(names.get())));
    }
    var established = Fields.condition(crd, "Established");
    if (established.isEmpty() || !Fields.isTrue(established.get())) {
      // the API server establishes a CRD moments after accepting its names ("Installing")
      return Health.progressing(
          Fields.join(
              ": ", "CRD is not established yet", established.map(Fields::explain).orElse("")));
    }
    var nonStructural = Fields.condition(crd, "NonStructuralSchema").filter(Fields::isTrue);
    if (nonStructural.isPresent()) {
      return Health.degraded(
          Fields.join(": ", "CRD schema is not structural", Fields.explain(nonStructural.get())));
    }
    return Health.healthy();
  }
}
