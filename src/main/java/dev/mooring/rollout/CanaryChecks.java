package dev.mooring.rollout;

import dev.mooring.canary.CheckResult;
import dev.mooring.metrics.BuiltinMetrics;
import dev.mooring.metrics.MetricCheck;
import dev.mooring.metrics.MetricException;
import dev.mooring.metrics.PrometheusClient;
import dev.mooring.metrics.PrometheusEndpoint;
import dev.mooring.metrics.QueryTemplate;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryAnalysis;
import dev.mooring.model.CanarySpec;
import dev.mooring.model.MetricTemplate;
import dev.mooring.model.MetricTemplateSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs a Canary's metric checks: each metric is a builtin ({@code request-success-rate}, {@code
 * request-duration}) for the Canary's provider, a MetricTemplate through {@code templateRef}, or
 * Flagger's deprecated inline {@code query}. One Prometheus instant query per metric; every problem
 * (missing template, no address, bad credentials, an unreachable server) is a failed check with a
 * message, never a pass.
 */
public final class CanaryChecks {
  /** Flagger's default metric interval. */
  static final String DEFAULT_INTERVAL = "1m";

  /**
   * What makes a MetricTemplate unusable (no query, a provider other than Prometheus, an address
   * that is not an http(s) URL, a secretRef without a name, a header without a name), or null. Said
   * on the template itself (an Event) and in the check of every Canary that uses it.
   */
  public static String templateProblem(String namespace, String name, MetricTemplateSpec ts) {
    String id = "MetricTemplate " + namespace + "/" + name;
    if (ts == null || blank(ts.query)) {
      return id + " has no query";
    }
    MetricTemplateSpec.Provider p = ts.provider;
    if (p == null) {
      return null;
    }
    if (!blank(p.type) && !"prometheus".equalsIgnoreCase(p.type)) {
      return id + " uses provider " + p.type + "; only prometheus is supported";
    }
    if (!blank(p.address)) {
      String scheme;
      try {
        java.net.URI uri = new java.net.URI(p.address.trim());
        scheme = uri.getScheme() == null || uri.getHost() == null ? "" : uri.getScheme();
      } catch (java.net.URISyntaxException e) {
        scheme = "";
      }
      if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
        return id + ": provider.address \"" + p.address + "\" is not an http(s) URL";
      }
    }
    if (p.secretRef != null && blank(p.secretRef.name)) {
      return id + ": provider.secretRef has no name";
    }
    if (p.headers != null && p.headers.keySet().stream().anyMatch(CanaryChecks::blank)) {
      return id + ": provider.headers has a header without a name";
    }
    return null;
  }

  /** MetricTemplates by namespace and name, from an informer. */
  public interface Templates {
    Optional<MetricTemplate> get(String namespace, String name);
  }

  /** A Secret's decoded data, or empty when it does not exist. */
  public interface Secrets {
    Optional<Map<String, String>> data(String namespace, String name);
  }

  private final Templates templates;
  private final Secrets secrets;
  private final Optional<String> defaultAddress;
  private final Clock clock;
  private final Map<PrometheusEndpoint, PrometheusClient> clients = new ConcurrentHashMap<>();
  private final LongAdder queries = new LongAdder();

  public CanaryChecks(
      Templates templates, Secrets secrets, Optional<String> defaultAddress, Clock clock) {
    this.templates = templates;
    this.secrets = secrets;
    this.defaultAddress = defaultAddress.filter(a -> !a.isBlank());
    this.clock = clock;
  }

  /** Prometheus queries sent so far (for the benchmark and metrics). */
  public long queries() {
    return queries.sum();
  }

  /** Runs every metric of the Canary's analysis, in order. */
  public List<CheckResult> run(Canary canary) {
    CanarySpec spec = canary.getSpec();
    CanaryAnalysis analysis = spec.effectiveAnalysis();
    List<CheckResult> results = new ArrayList<>();
    if (analysis == null || analysis.metrics == null) {
      return results;
    }
    for (CanaryAnalysis.Metric metric : analysis.metrics) {
      results.add(toState(check(canary, metric)));
    }
    return results;
  }

  private dev.mooring.metrics.CheckResult check(Canary canary, CanaryAnalysis.Metric metric) {
    CanarySpec spec = canary.getSpec();
    String namespace = canary.getMetadata().getNamespace();
    Double min = metric.thresholdRange == null ? null : metric.thresholdRange.min;
    Double max = metric.thresholdRange == null ? null : metric.thresholdRange.max;
    if (metric.thresholdRange == null && metric.threshold != null) {
      // Flagger's deprecated threshold: a minimum for the success rate, a maximum otherwise
      if (BuiltinMetrics.REQUEST_SUCCESS_RATE.equals(metric.name)) {
        min = metric.threshold;
      } else {
        max = metric.threshold;
      }
    }
    Map<String, String> vars = variables(canary, metric);
    String template;
    PrometheusEndpoint endpoint;
    try {
      if (metric.templateRef != null) {
        String ns = blank(metric.templateRef.namespace) ? namespace : metric.templateRef.namespace;
        MetricTemplate found =
            templates
                .get(ns, metric.templateRef.name)
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "MetricTemplate " + ns + "/" + metric.templateRef.name + " not found"));
        if (found.unreadable() != null) {
          throw new IllegalStateException(
              "MetricTemplate " + ns + "/" + metric.templateRef.name + ": " + found.unreadable());
        }
        MetricTemplateSpec ts = found.getSpec();
        String problem = templateProblem(ns, metric.templateRef.name, ts);
        if (problem != null) {
          throw new IllegalStateException(problem);
        }
        template = ts.query;
        endpoint = endpoint(ts.provider, ns, spec.metricsServer);
      } else if (!blank(metric.query)) {
        template = metric.query;
        endpoint = endpoint(null, namespace, spec.metricsServer);
      } else {
        template =
            BuiltinMetrics.template(CanarySettings.provider(spec), metric.name)
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "metric "
                                + metric.name
                                + " is neither a builtin for provider "
                                + CanarySettings.provider(spec)
                                + " nor has a templateRef"));
        endpoint = endpoint(null, namespace, spec.metricsServer);
      }
    } catch (IllegalStateException e) {
      return new dev.mooring.metrics.CheckResult(
          metric.name, null, min, max, false, e.getMessage(), clock.instant());
    }
    String query;
    try {
      query = QueryTemplate.render(template, vars, metric.templateVariables);
    } catch (MetricException e) {
      // rendered here, not in MetricCheck, so that queries() counts only what reached Prometheus
      return new dev.mooring.metrics.CheckResult(
          metric.name,
          null,
          min,
          max,
          false,
          "query template of " + metric.name + ": " + e.getMessage(),
          clock.instant());
    }
    PrometheusClient client = clients.computeIfAbsent(endpoint, PrometheusClient::new);
    queries.increment();
    return MetricCheck.evaluate(metric.name, query, min, max, client, clock);
  }

  /** The template model: Flagger's namespace, name, target, service, ingress and interval. */
  static Map<String, String> variables(Canary canary, CanaryAnalysis.Metric metric) {
    CanarySpec spec = canary.getSpec();
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("namespace", canary.getMetadata().getNamespace());
    vars.put("name", canary.getMetadata().getName());
    vars.put("target", spec.targetRef.name);
    vars.put(
        "service",
        spec.service != null && !blank(spec.service.name)
            ? spec.service.name
            : spec.targetRef.name);
    if (spec.ingressRef != null && !blank(spec.ingressRef.name)) {
      vars.put("ingress", spec.ingressRef.name);
    }
    if (spec.routeRef != null && !blank(spec.routeRef.name)) {
      vars.put("route", spec.routeRef.name);
    }
    vars.put("interval", blank(metric.interval) ? DEFAULT_INTERVAL : metric.interval.strip());
    return vars;
  }

  private PrometheusEndpoint endpoint(
      MetricTemplateSpec.Provider provider, String namespace, String metricsServer) {
    String address =
        provider != null && !blank(provider.address)
            ? provider.address
            : !blank(metricsServer) ? metricsServer : defaultAddress.orElse(null);
    if (address == null) {
      throw new IllegalStateException(
          "no Prometheus address: set the MetricTemplate's provider.address, the Canary's"
              + " spec.metricsServer or mooring.canary.prometheus.address");
    }
    String token = null;
    String user = null;
    String password = null;
    if (provider != null && provider.secretRef != null && !blank(provider.secretRef.name)) {
      Map<String, String> data =
          secrets
              .data(namespace, provider.secretRef.name)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "Secret "
                              + namespace
                              + "/"
                              + provider.secretRef.name
                              + " of the metric provider not found"));
      token = data.get("token");
      user = data.get("username");
      password = data.get("password");
      if (blank(token) && (blank(user) || password == null)) {
        throw new IllegalStateException(
            "Secret "
                + namespace
                + "/"
                + provider.secretRef.name
                + " has neither a token nor username and password");
      }
    }
    boolean insecure = provider != null && Boolean.TRUE.equals(provider.insecureSkipVerify);
    return new PrometheusEndpoint(
        address.strip(),
        token,
        user,
        password,
        insecure,
        null,
        provider == null ? null : provider.headers);
  }

  private static CheckResult toState(dev.mooring.metrics.CheckResult r) {
    return new CheckResult(
        r.metric(), r.value(), r.min(), r.max(), r.passed(), r.message(), r.query());
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
