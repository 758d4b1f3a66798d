package dev.mooring.api;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;

/**
 * The Kubernetes Events of one object, for the pages: read from the API server when asked (a person
 * opening a page), never on a reconcile path.
 */
@ApplicationScoped
public class ObjectEvents {
  static final int LIMIT = 100;
  private final KubernetesClient client;

  public ObjectEvents(KubernetesClient client) {
    this.client = client;
  }

  /** The newest {@value #LIMIT} Events of this object, oldest first. */
  public List<ApiModels.EventView> of(String kind, String namespace, String name) {
    try {
      List<Event> events =
          client
              .v1()
              .events()
              .inNamespace(namespace)
              .withField("involvedObject.kind", kind)
              .withField("involvedObject.name", name)
              .list()
              .getItems();
      List<ApiModels.EventView> views =
          events.stream()
              .map(
                  e ->
                      new ApiModels.EventView(
                          e.getType(),
                          e.getReason(),
                          e.getMessage(),
                          e.getCount(),
                          e.getFirstTimestamp(),
                          e.getLastTimestamp() != null
                              ? e.getLastTimestamp()
                              : e.getMetadata().getCreationTimestamp()))
              .sorted(
                  Comparator.comparing(
                      (ApiModels.EventView v) ->
                          v.lastTimestamp() == null ? "" : v.lastTimestamp()))
              .toList();
      return views.size() > LIMIT ? views.subList(views.size() - LIMIT, views.size()) : views;
    } catch (KubernetesClientException e) {
      throw new ApiError.Failure(
          e.getCode() == 403 ? 403 : 502,
          e.getCode() == 403 ? "Forbidden" : "ClusterError",
          "cannot read the Events of "
              + kind
              + " "
              + namespace
              + "/"
              + name
              + ": "
              + e.getMessage());
    }
  }
}
