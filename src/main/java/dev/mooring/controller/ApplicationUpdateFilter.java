package dev.mooring.controller;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.model.Application;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Reconcile on changes that ask for work: spec, annotations (refresh), the operation field, or
 * deletion. Status-only updates, which the controller itself writes, are not such changes.
 */
public class ApplicationUpdateFilter implements OnUpdateFilter<Application> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Override
  public boolean accept(Application newApp, Application oldApp) {
    if (newApp.getMetadata().getDeletionTimestamp() != null) {
      return true;
    }
    if (!Objects.equals(
        newApp.getMetadata().getGeneration(), oldApp.getMetadata().getGeneration())) {
      return true;
    }
    return !Objects.equals(
            newApp.getMetadata().getAnnotations(), oldApp.getMetadata().getAnnotations())
        || !MAPPER.valueToTree(newApp.getSpec()).equals(MAPPER.valueToTree(oldApp.getSpec()))
        || !MAPPER
            .valueToTree(newApp.getOperation())
            .equals(MAPPER.valueToTree(oldApp.getOperation()));
  }
}
