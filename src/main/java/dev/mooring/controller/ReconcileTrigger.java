package dev.mooring.controller;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mooring.model.Application;
import dev.mooring.sync.Tracking;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Asks the controller to reconcile an Application now: from Git polls, webhooks, the API, and watch
 * events of managed objects (self-heal). Requests for an app already queued are coalesced by the
 * operator SDK.
 */
@ApplicationScoped
public class ReconcileTrigger {
  private static final Logger LOG = Logger.getLogger(ReconcileTrigger.class);
  private final SimpleInboundEventSource<Application> source =
      new SimpleInboundEventSource<>("mooring-trigger");

  public SimpleInboundEventSource<Application> eventSource() {
    return source;
  }

  public void trigger(String namespace, String name) {
    try {
      source.propagateEvent(new ResourceID(name, namespace));
    } catch (RuntimeException e) {
      // the controller is not started yet; its first reconcile covers this request
      LOG.debugf("trigger for %s/%s before the controller started: %s", namespace, name, e);
    }
  }

  /** A managed object changed: reconcile the Application its tracking-id names. */
  public void managedObjectChanged(JsonNode object) {
    String id = Tracking.annotation(object, Tracking.TRACKING_ID);
    if (id == null) {
      return;
    }
    int colon = id.indexOf(':');
    int slash = id.indexOf('/');
    if (colon < 0 || slash < 0 || slash > colon) {
      return;
    }
    trigger(id.substring(0, slash), id.substring(slash + 1, colon));
  }
}
