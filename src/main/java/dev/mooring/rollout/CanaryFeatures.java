package dev.mooring.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mooring.canary.routing.GatewayApiRouter;
import dev.mooring.canary.routing.NginxRouter;
import dev.mooring.canary.routing.RequestMatch;
import dev.mooring.model.CanaryAnalysis;
import dev.mooring.model.CanaryService;
import dev.mooring.model.CanarySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Canary asks for that Mooring does not do (yet, or with its router): each field set that
 * would otherwise be accepted and silently ignored, in words for its {@code Unsupported} condition
 * and Warning Event; also the fields of the object read that Mooring does not know at all (where
 * the API server did not prune them). Pure.
 */
public final class CanaryFeatures {
  private CanaryFeatures() {}

  /** The fields of this spec that have no effect with this router, one sentence each. */
  public static List<String> unsupported(CanarySpec spec, String provider) {
    List<String> out = new ArrayList<>();
    if (spec == null) {
      return out;
    }
    boolean gateway = provider.startsWith("gatewayapi");
    boolean istio = provider.equals("istio");
    if (spec.upstreamRef != null) {
      out.add("spec.upstreamRef is not used by provider " + provider);
    }
    if (istio) {
      out.addAll(IstioFeatures.unsupported(spec));
    }
    CanaryAnalysis analysis = spec.effectiveAnalysis();
    if (analysis != null && !istio) {
      if (set(analysis.match)) {
        boolean ab = analysis.iterations != null && analysis.iterations > 0;
        List<RequestMatch> matches = RequestMatch.parse(analysis.match);
        if (!ab) {
          out.add(
              "analysis.match is used only with analysis.iterations (A/B testing); this Canary"
                  + " shifts weights, so the match is not used");
        } else if (provider.equals("nginx")) {
          out.addAll(NginxRouter.unsupported(matches));
        } else if (gateway) {
          out.addAll(GatewayApiRouter.unsupported(matches, provider));
        } else {
          out.add("analysis.match (A/B testing) is not supported by provider " + provider);
        }
      }
      if (Boolean.TRUE.equals(analysis.mirror)) {
        out.add("analysis.mirror is not supported by provider " + provider);
      }
      if (set(analysis.sessionAffinity)) {
        out.add("analysis.sessionAffinity is not supported by provider " + provider);
      }
    }
    CanaryService svc = spec.service;
    if (svc != null && !istio) {
      List<String> unused = new ArrayList<>();
      if (svc.gateways != null && !svc.gateways.isEmpty()) {
        unused.add("gateways");
      }
      if (Boolean.TRUE.equals(svc.delegation)) {
        unused.add("delegation");
      }
      if (set(svc.trafficPolicy)) {
        unused.add("trafficPolicy");
      }
      if (set(svc.match)) {
        unused.add("match");
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
      if (set(svc.mirror)) {
        unused.add("mirror");
      }
      if (svc.meshName != null && !svc.meshName.isBlank()) {
        unused.add("meshName");
      }
      if (svc.backends != null && !svc.backends.isEmpty()) {
        unused.add("backends");
      }
      if (!gateway) {
        if (svc.hosts != null && !svc.hosts.isEmpty()) {
          unused.add("hosts");
        }
        if (svc.gatewayRefs != null && !svc.gatewayRefs.isEmpty()) {
          unused.add("gatewayRefs");
        }
        if (svc.timeout != null && !svc.timeout.isBlank()) {
          unused.add("timeout");
        }
        if (svc.backendTimeout != null && !svc.backendTimeout.isBlank()) {
          unused.add("backendTimeout");
        }
      }
      for (String field : unused) {
        out.add("service." + field + " is not used by provider " + provider);
      }
    }
    if (spec.ignoredFields != null) {
      for (String field : spec.ignoredFields) {
        out.add(field + " is not a Canary field Mooring knows; it was ignored");
      }
    }
    return out;
  }

  private static boolean set(JsonNode node) {
    return node != null && !node.isNull() && !(node.isContainerNode() && node.isEmpty());
  }
}
