package dev.mooring.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mooring.canary.routing.IstioRouter;
import dev.mooring.model.CanaryAnalysis;
import dev.mooring.model.CanaryService;
import dev.mooring.model.CanarySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The analysis and service fields of a Canary that {@link IstioRouter} does not use, as Flagger's
 * Istio router leaves them unused: the part of {@link CanaryFeatures} for provider {@code istio}.
 */
final class IstioFeatures {
  private static final String PROVIDER = "istio";

  private IstioFeatures() {}

  static List<String> unsupported(CanarySpec spec) {
    List<String> out = new ArrayList<>();
    CanaryService svc = spec.service == null ? new CanaryService() : spec.service;
    boolean tcp = IstioRouter.isTcp(svc);
    CanaryAnalysis analysis = spec.effectiveAnalysis();
    if (analysis != null) {
      boolean ab = set(analysis.match);
      if (tcp) {
        for (String field : usedSet(analysis)) {
          out.add(
              "analysis."
                  + field
                  + " is not used by provider istio for a TCP service (service.appProtocol tcp)");
        }
      } else {
        if (ab && set(svc.match)) {
          // Flagger's mergeMatchConditions keeps only these two of the canary conditions
          for (String field : otherFields(analysis.match, Set.of("headers", "sourceLabels"))) {
            out.add(
                "analysis.match "
                    + field
                    + " is replaced by service.match with provider istio (only headers and"
                    + " sourceLabels are merged into each service.match condition)");
          }
        }
        if (ab && Boolean.TRUE.equals(analysis.mirror)) {
          out.add(
              "analysis.mirror is not used with analysis.match (A/B testing) by provider istio");
        }
        if (ab && set(analysis.sessionAffinity)) {
          out.add(
              "analysis.sessionAffinity is not used with analysis.match (A/B testing) by provider"
                  + " istio");
        }
      }
      if (set(analysis.sessionAffinity)
          && set(analysis.sessionAffinity.path("primaryCookieName"))) {
        out.add(
            "analysis.sessionAffinity.primaryCookieName is not supported yet: the primary's"
                + " cookie would need a primarySessionAffinityCookie in the status, which Mooring"
                + " does not keep");
      }
    }
    List<String> unused = new ArrayList<>();
    if (set(svc.mirror)) {
      unused.add("mirror");
    }
    if (svc.meshName != null && !svc.meshName.isBlank()) {
      unused.add("meshName");
    }
    if (svc.backends != null && !svc.backends.isEmpty()) {
      unused.add("backends");
    }
    if (svc.gatewayRefs != null && !svc.gatewayRefs.isEmpty()) {
      unused.add("gatewayRefs");
    }
    if (svc.backendTimeout != null && !svc.backendTimeout.isBlank()) {
      unused.add("backendTimeout");
    }
    if (tcp) {
      if (svc.timeout != null && !svc.timeout.isBlank()) {
        unused.add("timeout");
      }
      if (set(svc.rewrite)) {
        unused.add("rewrite");
      }
      if (set(svc.retries)) {
        unused.add("retries");
      }
      if (set(svc.headers)) {
        unused.add("headers");
      }
      if (set(svc.corsPolicy)) {
        unused.add("corsPolicy");
      }
      otherFields(svc.match, Set.of("port")).forEach(f -> unused.add("match " + f));
    } else if (svc.rewrite != null && svc.rewrite.isObject()) {
      otherFields(List.of(svc.rewrite), Set.of("uri", "authority"))
          .forEach(f -> unused.add("rewrite." + f));
    }
    for (String field : unused) {
      String where = tcp && !field.startsWith("match") ? " for a TCP service" : "";
      out.add("service." + field + " is not used by provider " + PROVIDER + where);
    }
    return out;
  }

  private static List<String> usedSet(CanaryAnalysis analysis) {
    List<String> fields = new ArrayList<>();
    if (set(analysis.match)) {
      fields.add("match");
    }
    if (Boolean.TRUE.equals(analysis.mirror)) {
      fields.add("mirror");
    }
    if (set(analysis.sessionAffinity)) {
      fields.add("sessionAffinity");
    }
    return fields;
  }

  /** The field names, in first-seen order, that the entries set beyond {@code known}. */
  private static List<String> otherFields(Iterable<JsonNode> entries, Set<String> known) {
    List<String> out = new ArrayList<>();
    if (entries == null) {
      return out;
    }
    for (JsonNode entry : entries) {
      entry
          .fieldNames()
          .forEachRemaining(
              name -> {
                if (!known.contains(name) && !out.contains(name)) {
                  out.add(name);
                }
              });
    }
    return out;
  }

  private static boolean set(JsonNode node) {
    return node != null
        && !node.isNull()
        && !node.isMissingNode()
        && !(node.isContainerNode() && node.isEmpty());
  }
}
