package dev.mooring.canary.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryService;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;

/**
 * The three ClusterIP Services of a canary, as Flagger makes them: the apex {@code <svc>} and
 * {@code <svc>-primary} select the primary's pods, {@code <svc>-canary} selects the target's pods.
 * All three carry {@code service.trafficDistribution}, and with {@code service.headless} all three
 * are headless ({@code clusterIP: None}), as Flagger generates them.
 */
public final class ServiceBuilder {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private ServiceBuilder() {}

  /** Apex, primary and canary Services, in that order. */
  public static List<ObjectNode> services(Canary canary, ObjectNode target) {
    PodSelector selector = PodSelector.of(target);
    CanaryService svc = canary.getSpec().service;
    String apex = apexName(canary);
    return List.of(
        service(canary, target, apex, selector.key(), selector.primaryValue(), svc.apex),
        service(
            canary,
            target,
            apex + "-primary",
            selector.key(),
            selector.primaryValue(),
            svc.primary),
        service(canary, target, apex + "-canary", selector.key(), selector.value(), svc.canary));
  }

  /** The apex Service's name: {@code service.name}, else the target's name. */
  public static String apexName(Canary canary) {
    CanaryService svc = canary.getSpec().service;
    return svc != null && svc.name != null && !svc.name.isBlank()
        ? svc.name
        : canary.getSpec().targetRef.name;
  }

  /** One Service selecting pods with {@code key=value}. */
  static ObjectNode service(
      Canary canary,
      ObjectNode target,
      String name,
      String key,
      String value,
      CanaryService.CustomMetadata custom) {
    CanaryService svc = canary.getSpec().service;
    if (svc == null || svc.port == null) {
      throw new IllegalArgumentException(
          "Canary " + canary.getMetadata().getName() + " has no spec.service.port");
    }
    ObjectNode service = JSON.objectNode();
    service.put("apiVersion", "v1");
    service.put("kind", "Service");
    ObjectNode meta = Ownership.metadata(name, canary.getMetadata().getNamespace(), canary);
    meta.with("labels").put(key, name);
    if (custom != null) {
      Ownership.addCustom(meta, custom.labels, custom.annotations);
    }
    Ownership.leaveUnmanaged(meta, canary);
    service.set("metadata", meta);
    ObjectNode spec = service.putObject("spec");
    spec.put("type", "ClusterIP");
    if (Boolean.TRUE.equals(svc.headless)) {
      spec.put("clusterIP", "None");
    }
    if (svc.trafficDistribution != null && !svc.trafficDistribution.isBlank()) {
      spec.put("trafficDistribution", svc.trafficDistribution.strip());
    }
    spec.putObject("selector").put(key, value);
    ObjectNode port = spec.putArray("ports").addObject();
    port.put("name", svc.portName != null ? svc.portName : "http");
    port.put("protocol", "TCP");
    if (svc.appProtocol != null) {
      port.put("appProtocol", svc.appProtocol);
    }
    port.put("port", svc.port);
    setTargetPort(port, svc.targetPort, svc.port);
    if (Boolean.TRUE.equals(svc.portDiscovery)) {
      discoverPorts(target, spec, svc);
    }
    return service;
  }

  private static void setTargetPort(ObjectNode port, IntOrString targetPort, int fallback) {
    if (targetPort == null) {
      port.put("targetPort", fallback);
    } else if (targetPort.getIntVal() != null) {
      port.put("targetPort", targetPort.getIntVal());
    } else {
      port.put("targetPort", targetPort.getStrVal());
    }
  }

  /** Adds the target's other container ports (Flagger's portDiscovery), TCP only. */
  private static void discoverPorts(ObjectNode target, ObjectNode spec, CanaryService svc) {
    JsonNode servicePort = spec.path("ports").get(0);
    for (JsonNode container :
        target.path("spec").path("template").path("spec").path("containers")) {
      for (JsonNode p : container.path("ports")) {
        int number = p.path("containerPort").asInt();
        boolean isMain =
            number == svc.port
                || servicePort.path("targetPort").asText().equals(String.valueOf(number))
                || servicePort.path("targetPort").asText().equals(p.path("name").asText());
        if (number == 0 || isMain || !"TCP".equals(p.path("protocol").asText("TCP"))) {
          continue;
        }
        ObjectNode extra = spec.withArray("ports").addObject();
        extra.put(
            "name", p.path("name").asText("tcp-" + container.path("name").asText() + "-" + number));
        extra.put("protocol", "TCP");
        extra.put("port", number);
        extra.put("targetPort", number);
      }
    }
  }
}
