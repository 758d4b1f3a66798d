package dev.mooring.rollout;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.mooring.canary.CheckResult;
import dev.mooring.metrics.BuiltinMetrics;
import dev.mooring.model.Canary;
import dev.mooring.model.MetricTemplate;
import dev.mooring.model.MetricTemplateSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A Canary's metric checks against a WireMock playing Prometheus. */
class CanaryChecksTest {
  @RegisterExtension
  static WireMockExtension prometheus =
      WireMockExtension.newInstance()
          .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
          .build();

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-02T10:00:00Z"), ZoneOffset.UTC);
  private static final String QUERY_PATH = "/api/v1/query";

  private final Map<String, MetricTemplate> templateStore = new HashMap<>();
  private final Map<String, Map<String, String>> secretStore = new HashMap<>();
  private final List<String> secretLookups = new ArrayList<>();
  private final CanaryChecks.Templates templates =
      (namespace, name) -> Optional.ofNullable(templateStore.get(namespace + "/" + name));
  private final CanaryChecks.Secrets secrets =
      (namespace, name) -> {
        secretLookups.add(namespace + "/" + name);
        return Optional.ofNullable(secretStore.get(namespace + "/" + name));
      };

  private String deadAddress;

  @BeforeEach
  void closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadAddress = "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  // --- builtin metrics ---

  @Test
  void a_builtin_nginx_metric_sends_flaggers_query_to_the_metrics_server() {
    answer("99.5");
    CanaryChecks checks = checks(Optional.empty());

    List<CheckResult> results =
        checks.run(
            nginx(
                """
                - name: request-success-rate
                  thresholdRange: {min: 99}
                """));

    String query = onlyQuery();
    assertThat(results)
        .containsExactly(
            new CheckResult(
                "request-success-rate",
                99.5,
                99.0,
                null,
                true,
                "request-success-rate 99.5 is within [99, +inf]",
                query));
    assertThat(query)
        .contains(
            "nginx_ingress_controller_requests",
            "namespace=\"test\"",
            "ingress=\"podinfo\"",
            "status!~\"5.*\"",
            "[1m]")
        .doesNotContain("{{");
    assertThat(query)
        .isEqualTo(
            BuiltinMetrics.query(
                    "nginx",
                    BuiltinMetrics.REQUEST_SUCCESS_RATE,
                    Map.of("namespace", "test", "ingress", "podinfo", "interval", "1m"))
                .orElseThrow());
    assertThat(checks.queries()).isEqualTo(1);
  }

  @Test
  void the_metrics_interval_is_used_in_the_query() {
    answer("120");

    List<CheckResult> results =
        checks(Optional.empty())
            .run(
                nginx(
                    """
                    - name: request-duration
                      interval: ' 5m '
                      thresholdRange: {max: 500}
                    """));

    assertThat(results.get(0).passed()).as(results.get(0).message()).isTrue();
    assertThat(results.get(0).value()).isEqualTo(120.0);
    assertThat(onlyQuery())
        .contains("nginx_ingress_controller_response_duration_seconds_sum", "[5m]")
        .doesNotContain("[1m]");
  }

  @Test
  void a_value_outside_the_range_fails() {
    answer("95");

    CheckResult low =
        checks(Optional.empty())
            .run(
                nginx(
                    """
                    - name: request-success-rate
                      thresholdRange: {min: 99}
                    """))
            .get(0);

    assertThat(low.passed()).isFalse();
    assertThat(low.holds()).isFalse();
    assertThat(low.value()).isEqualTo(95.0);
    assertThat(low.message()).contains("95", "below the minimum 99");

    answer("800");
    CheckResult slow =
        checks(Optional.empty())
            .run(
                nginx(
                    """
                    - name: request-duration
                      thresholdRange: {min: 10, max: 500}
                    """))
            .get(0);

    assertThat(slow.passed()).isFalse();
    assertThat(slow.min()).isEqualTo(10.0);
    assertThat(slow.max()).isEqualTo(500.0);
    assertThat(slow.message()).contains("800", "above the maximum 500");
  }

  @Test
  void no_data_fails() {
    prometheus.stubFor(
        get(urlPathEqualTo(QUERY_PATH))
            .willReturn(
                okJson(
                    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}")));

    CheckResult result =
        checks(Optional.empty())
            .run(
                nginx(
                    """
                    - name: request-success-rate
                      thresholdRange: {min: 99}
                    """))
            .get(0);

    assertThat(result.passed()).isFalse();
    assertThat(result.value()).isNull();
    assertThat(result.message()).startsWith("no traffic");
  }

  @Test
  void the_deprecated_threshold_is_a_minimum_for_the_success_rate() {
    answer("98");
    CanaryChecks checks = checks(Optional.empty());
    Canary canary =
        nginx(
            """
            - name: request-success-rate
              threshold: 99
            """);

    CheckResult low = checks.run(canary).get(0);
    answer("99.5");
    CheckResult fine = checks.run(canary).get(0);

    assertThat(low.min()).isEqualTo(99.0);
    assertThat(low.max()).isNull();
    assertThat(low.passed()).isFalse();
    assertThat(low.message()).contains("below the minimum 99");
    assertThat(fine.passed()).as(fine.message()).isTrue();
  }

  @Test
  void the_deprecated_threshold_is_a_maximum_for_other_metrics() {
    answer("600");
    CanaryChecks checks = checks(Optional.empty());
    Canary canary =
        nginx(
            """
            - name: request-duration
              threshold: 500
            """);

    CheckResult slow = checks.run(canary).get(0);
    answer("20");
    CheckResult fast = checks.run(canary).get(0);

    assertThat(slow.min()).isNull();
    assertThat(slow.max()).isEqualTo(500.0);
    assertThat(slow.passed()).isFalse();
    assertThat(slow.message()).contains("above the maximum 500");
    assertThat(fast.passed()).as(fast.message()).isTrue();
  }

  @Test
  void the_threshold_range_wins_over_the_deprecated_threshold() {
    answer("95");

    CheckResult result =
        checks(Optional.empty())
            .run(
                nginx(
                    """
                    - name: request-success-rate
                      threshold: 99
                      thresholdRange: {min: 90}
                    """))
            .get(0);

    assertThat(result.min()).isEqualTo(90.0);
    assertThat(result.passed()).as(result.message()).isTrue();
  }

  @Test
  void the_kubernetes_provider_builtin_matches_the_targets_pods() {
    answer("100");

    CheckResult result =
        checks(Optional.empty())
            .run(
                canary(
                    """
                    metricsServer: %s
                    targetRef: {kind: Deployment, name: podinfo}
                    service: {port: 80}
                    analysis:
                      metrics:
                        - name: request-success-rate
                          thresholdRange: {min: 99}
                    """
                        .formatted(prometheus.baseUrl())))
            .get(0);

    assertThat(result.passed()).as(result.message()).isTrue();
    assertThat(onlyQuery())
        .contains("http_request_duration_seconds_count", "kubernetes_pod_name=~\"podinfo-");
  }

  @Test
  void an_unknown_metric_without_template_fails() {
    CanaryChecks checks = checks(Optional.of(prometheus.baseUrl()));

    CheckResult result =
        checks
            .run(
                nginx(
                    """
                    - name: error-budget
                      thresholdRange: {max: 1}
                    """))
            .get(0);

    assertThat(result.passed()).isFalse();
    assertThat(result.value()).isNull();
    assertThat(result.message())
        .isEqualTo(
            "metric error-budget is neither a builtin for provider nginx nor has a templateRef");
    assertThat(checks.queries()).isZero();
    assertThat(requests()).isEmpty();
  }

  @Test
  void a_deprecated_inline_query_is_rendered_and_sent() {
    answer("1");

    CheckResult result =
        checks(Optional.empty())
            .run(
                nginx(
                    """
                    - name: up
                      query: 'min(up{namespace="{{ namespace }}",job="{{ target }}"})'
                      thresholdRange: {min: 1}
                    """))
            .get(0);

    assertThat(result.passed()).as(result.message()).isTrue();
    assertThat(onlyQuery()).isEqualTo("min(up{namespace=\"test\",job=\"podinfo\"})");
  }

  @Test
  void a_canary_without_metrics_runs_no_check() {
    CanaryChecks checks = checks(Optional.of(prometheus.baseUrl()));

    assertThat(checks.run(canary("targetRef: {name: podinfo}\nservice: {port: 80}\n"))).isEmpty();
    assertThat(
            checks.run(
                canary(
                    "targetRef: {name: podinfo}\nservice: {port: 80}\nanalysis: {interval: 1m}\n")))
        .isEmpty();
    assertThat(checks.queries()).isZero();
  }

  // --- MetricTemplates ---

  @Test
  void a_template_query_is_rendered_with_the_canarys_variables() {
    answer("0.4");
    template(
        "test",
        "error-rate",
        null,
        """
        sum(rate(errors{ns="{{ namespace }}",app="{{ target }}",svc="{{service}}",\
        canary="{{ name }}",route="{{ variables.route }}"}[{{ interval }}]))""");

    CheckResult result =
        checks(Optional.empty())
            .run(
                canary(
                    """
                    metricsServer: %s
                    targetRef: {kind: Deployment, name: podinfo}
                    service: {name: podinfo-svc, port: 80}
                    analysis:
                      metrics:
                        - name: error-rate
                          templateRef: {name: error-rate}
                          templateVariables: {route: /api}
                          interval: 2m
                          thresholdRange: {max: 1}
                    """
                        .formatted(prometheus.baseUrl())))
            .get(0);

    assertThat(result.passed()).as(result.message()).isTrue();
    assertThat(result.value()).isEqualTo(0.4);
    assertThat(onlyQuery())
        .isEqualTo(
            "sum(rate(errors{ns=\"test\",app=\"podinfo\",svc=\"podinfo-svc\",canary=\"podinfo\","
                + "route=\"/api\"}[2m]))");
  }

  @Test
  void the_service_defaults_to_the_target_name() {
    answer("0");
    template("test", "svc", null, "sum(up{svc=\"{{ service }}\"}[{{ interval }}])");

    CheckResult result =
        checks(Optional.empty())
            .run(
                withServer(
                    """
                    - name: svc
                      templateRef: {name: svc}
                      thresholdRange: {max: 1}
                    """))
            .get(0);

    assertThat(result.passed()).as(result.message()).isTrue();
    assertThat(onlyQuery()).isEqualTo("sum(up{svc=\"podinfo\"}[1m])");
  }

  @Test
  void the_templates_address_wins_over_the_metrics_server() {
    answer("1");
    template("test", "up", provider("prometheus", prometheus.baseUrl(), null), "up");
    CanaryChecks checks = checks(Optional.of(deadAddress));

    CheckResult result =
        checks
            .run(
                canary(
                    """
                    metricsServer: %s
                    targetRef: {name: podinfo}
                    service: {port: 80}
                    analysis:
                      metrics:
                        - {name: up, templateRef: {name: up}, thresholdRange: {min: 1}}
                    """
                        .formatted(deadAddress)))
            .get(0);

    assertThat(result.passed()).as(result.message()).isTrue();
    assertThat(onlyQuery()).isEqualTo("up");
  }

  @Test
  void a_template_without_address_uses_the_metrics_server_and_accepts_type_prometheus() {
    answer("1");
    template("test", "up", provider("Prometheus", "  ", null), "up");

    CheckResult result =
        checks(Optional.of(deadAddress))
            .run(withServer("- {name: up, templateRef: {name: up}, thresholdRange: {min: 1}}\n"))
            .get(0);

    assertThat(result.passed()).as(result.message()).isTrue();
  }

  @Test
  void a_template_in_another_namespace_is_found_with_its_secret_there() {
    answer("1");
    template(
        "monitoring",
        "shared-up",
        provider("prometheus", prometheus.baseUrl(), "prom-auth"),
        "up{namespace=\"{{ namespace }}\"}");
    secretStore.put("monitoring/prom-auth", Map.of("token", "t0ken"));

    CheckResult result =
        checks(Optional.empty())
            .run(
                nginx(
                    """
                    - name: up
                      templateRef: {name: shared-up, namespace: monitoring}
                      thresholdRange: {min: 1}
                    """))
            .get(0);

    assertThat(result.passed()).as(result.message()).isTrue();
    assertThat(secretLookups).containsExactly("monitoring/prom-auth");
    LoggedRequest request = requests().get(0);
    assertThat(request.queryParameter("query").firstValue())
        .as("the Canary's namespace, not the template's")
        .isEqualTo("up{namespace=\"test\"}");
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer t0ken");
  }

  @Test
  void a_missing_template_fails() {
    CanaryChecks checks = checks(Optional.of(prometheus.baseUrl()));

    List<CheckResult> results =
        checks.run(
            nginx(
                """
                - name: error-rate
                  templateRef: {name: error-rate}
                  thresholdRange: {max: 1}
                - name: shared
                  templateRef: {name: shared, namespace: monitoring}
                  thresholdRange: {max: 1}
                """));

    assertThat(results).extracting(CheckResult::passed).containsExactly(false, false);
    assertThat(results).extracting(CheckResult::value).containsOnlyNulls();
    assertThat(results.get(0).message()).isEqualTo("MetricTemplate test/error-rate not found");
    assertThat(results.get(0).max()).isEqualTo(1.0);
    assertThat(results.get(1).message()).isEqualTo("MetricTemplate monitoring/shared not found");
    assertThat(checks.queries()).isZero();
    assertThat(requests()).isEmpty();
  }

  @Test
  void a_template_without_query_fails() {
    template("test", "empty", provider("prometheus", prometheus.baseUrl(), null), " ");

    CheckResult result =
        checks(Optional.empty())
            .run(withServer("- {name: empty, templateRef: {name: empty}}\n"))
            .get(0);

    assertThat(result.passed()).isFalse();
    assertThat(result.message()).isEqualTo("MetricTemplate test/empty has no query");
  }

  @Test
  void a_template_of_another_provider_fails() {
    template("test", "dd", provider("datadog", "https://api.datadoghq.com", null), "avg:errors{*}");
    CanaryChecks checks = checks(Optional.of(prometheus.baseUrl()));

    CheckResult result =
        checks
            .run(withServer("- {name: dd, templateRef: {name: dd}, thresholdRange: {max: 1}}\n"))
            .get(0);

    assertThat(result.passed()).isFalse();
    assertThat(result.value()).isNull();
    assertThat(result.message())
        .isEqualTo("MetricTemplate test/dd uses provider datadog; only prometheus is supported");
    assertThat(checks.queries()).isZero();
    assertThat(requests()).isEmpty();
  }

  @Test
  void an_unknown_template_variable_fails_naming_it() {
    answer("1");
    template(
        "test",
        "vars",
        null,
        "up{route=\"{{ variables.route }}\",team=\"{{ variables.team }}\",x=\"{{ color }}\"}");
    CanaryChecks checks = checks(Optional.empty());

    CheckResult result =
        checks
            .run(
                withServer(
                    """
                    - name: vars
                      templateRef: {name: vars}
                      templateVariables: {route: /api}
                      thresholdRange: {min: 1}
                    """))
            .get(0);

    assertThat(result.passed()).isFalse();
    assertThat(result.value()).isNull();
    assertThat(result.message())
        .startsWith("query template of vars: unknown template variables color, variables.team")
        .contains("known:", "namespace", "target", "variables.route");
    assertThat(requests()).as("nothing is sent").isEmpty();
    assertThat(checks.queries()).as("no query reached Prometheus").isZero();
  }

  // --- credentials ---

  @Test
  void a_token_secret_is_sent_as_a_bearer_token() {
    prometheus.stubFor(
        get(urlPathEqualTo(QUERY_PATH)).willReturn(aResponse().withStatus(401).withBody("no")));
    prometheus.stubFor(
        get(urlPathEqualTo(QUERY_PATH))
            .withHeader("Authorization", equalTo("Bearer s3cr3t-t0ken"))
            .willReturn(okJson(vector("1"))));
    template("test", "up", provider("prometheus", null, "prom-auth"), "up");
    secretStore.put("test/prom-auth", Map.of("token", "s3cr3t-t0ken"));

    CheckResult result =
        checks(Optional.empty())
            .run(withServer("- {name: up, templateRef: {name: up}, thresholdRange: {min: 1}}\n"))
            .get(0);

    assertThat(result.passed()).as(result.message()).isTrue();
    assertThat(secretLookups).containsExactly("test/prom-auth");
  }

  @Test
  void a_token_wins_over_username_and_password() {
    answer("1");
    template("test", "up", provider("prometheus", null, "prom-auth"), "up");
    secretStore.put(
        "test/prom-auth", Map.of("token", "tkn", "username", "flagger", "password", "pa55"));

    checks(Optional.empty())
        .run(withServer("- {name: up, templateRef: {name: up}, thresholdRange: {min: 1}}\n"));

    assertThat(requests().get(0).getHeader("Authorization")).isEqualTo("Bearer tkn");
  }

  @Test
  void a_username_and_password_secret_is_sent_as_basic_auth() {
    prometheus.stubFor(get(urlPathEqualTo(QUERY_PATH)).willReturn(aResponse().withStatus(401)));
    prometheus.stubFor(
        get(urlPathEqualTo(QUERY_PATH))
            .withBasicAuth("flagger", "pa55w0rd")
            .willReturn(okJson(vector("1"))));
    template("test", "up", provider("prometheus", null, "prom-auth"), "up");
    secretStore.put("test/prom-auth", Map.of("username", "flagger", "password", "pa55w0rd"));

    CheckResult result =
        checks(Optional.empty())
            .run(withServer("- {name: up, templateRef: {name: up}, thresholdRange: {min: 1}}\n"))
            .get(0);

    assertThat(result.passed()).as(result.message()).isTrue();
  }

  @Test
  void rejected_credentials_fail_without_printing_them() {
    prometheus.stubFor(
        get(urlPathEqualTo(QUERY_PATH))
            .willReturn(aResponse().withStatus(401).withBody("Unauthorized")));
    template("test", "up", provider("prometheus", null, "prom-auth"), "up");
    secretStore.put("test/prom-auth", Map.of("token", "wr0ng-t0ken"));

    CheckResult result =
        checks(Optional.empty())
            .run(withServer("- {name: up, templateRef: {name: up}, thresholdRange: {min: 1}}\n"))
            .get(0);

    assertThat(result.passed()).isFalse();
    assertThat(result.message()).contains("HTTP 401").doesNotContain("wr0ng-t0ken");
  }

  @Test
  void a_missing_secret_fails_naming_it() {
    template("test", "up", provider("prometheus", prometheus.baseUrl(), "prom-auth"), "up");
    CanaryChecks checks = checks(Optional.empty());

    CheckResult result =
        checks
            .run(withServer("- {name: up, templateRef: {name: up}, thresholdRange: {min: 1}}\n"))
            .get(0);

    assertThat(result.passed()).isFalse();
    assertThat(result.value()).isNull();
    assertThat(result.message())
        .isEqualTo("Secret test/prom-auth of the metric provider not found");
    assertThat(checks.queries()).isZero();
    assertThat(requests()).isEmpty();
  }

  @Test
  void a_secret_without_usable_credentials_fails_naming_it_but_not_its_values() {
    template("test", "up", provider("prometheus", prometheus.baseUrl(), "prom-auth"), "up");
    CanaryChecks checks = checks(Optional.empty());
    Canary canary = withServer("- {name: up, templateRef: {name: up}, thresholdRange: {min: 1}}\n");

    for (Map<String, String> data :
        List.of(
            Map.of("user", "flagger-user", "pass", "hunter2-secret"),
            Map.of("username", "flagger-user"),
            Map.of("password", "hunter2-secret"),
            Map.of("token", "  ", "username", " ", "password", "hunter2-secret"),
            Map.<String, String>of())) {
      secretStore.put("test/prom-auth", data);

      CheckResult result = checks.run(canary).get(0);

      assertThat(result.passed()).as(data.toString()).isFalse();
      assertThat(result.message())
          .isEqualTo("Secret test/prom-auth has neither a token nor username and password")
          .doesNotContain("flagger-user", "hunter2-secret");
    }
    assertThat(checks.queries()).isZero();
    assertThat(requests()).isEmpty();
  }

  // --- addresses ---

  @Test
  void no_prometheus_address_anywhere_fails() {
    CanaryChecks checks = checks(Optional.empty());

    List<CheckResult> results =
        checks.run(
            canary(
                """
                provider: nginx
                ingressRef: {name: podinfo}
                targetRef: {name: podinfo}
                service: {port: 80}
                analysis:
                  metrics:
                    - {name: request-success-rate, thresholdRange: {min: 99}}
                """));

    assertThat(results).hasSize(1);
    assertThat(results.get(0).passed()).isFalse();
    assertThat(results.get(0).message())
        .startsWith("no Prometheus address")
        .contains("provider.address", "spec.metricsServer", "mooring.canary.prometheus.address");
    assertThat(checks.queries()).isZero();
  }

  @Test
  void a_blank_default_address_is_no_address() {
    CanaryChecks checks = checks(Optional.of("   "));

    CheckResult result =
        checks
            .run(
                canary(
                    """
                    metricsServer: ' '
                    provider: nginx
                    ingressRef: {name: podinfo}
                    targetRef: {name: podinfo}
                    service: {port: 80}
                    analysis:
                      metrics:
                        - {name: request-success-rate, thresholdRange: {min: 99}}
                    """))
            .get(0);

    assertThat(result.passed()).isFalse();
    assertThat(result.message()).startsWith("no Prometheus address");
  }

  @Test
  void the_default_address_is_used_when_the_canary_has_no_metrics_server() {
    answer("100");
    template("test", "up", provider("prometheus", null, null), "up");
    CanaryChecks checks = checks(Optional.of(prometheus.baseUrl() + "/"));

    List<CheckResult> results =
        checks.run(
            canary(
                """
                provider: nginx
                ingressRef: {name: podinfo}
                targetRef: {name: podinfo}
                service: {port: 80}
                analysis:
                  metrics:
                    - {name: request-success-rate, thresholdRange: {min: 99}}
                    - {name: up, templateRef: {name: up}, thresholdRange: {min: 1}}
                """));

    assertThat(results).extracting(CheckResult::passed).containsExactly(true, true);
    assertThat(requests()).hasSize(2);
    assertThat(checks.queries()).isEqualTo(2);
  }

  @Test
  void the_metrics_server_wins_over_the_default_address() {
    answer("100");

    CheckResult result =
        checks(Optional.of(deadAddress))
            .run(nginx("- {name: request-success-rate, thresholdRange: {min: 99}}\n"))
            .get(0);

    assertThat(result.passed()).as(result.message()).isTrue();
  }

  @Test
  void an_unreachable_prometheus_fails() {
    CheckResult result =
        checks(Optional.empty())
            .run(
                canary(
                    """
                    metricsServer: %s
                    provider: nginx
                    ingressRef: {name: podinfo}
                    targetRef: {name: podinfo}
                    service: {port: 80}
                    analysis:
                      metrics:
                        - {name: request-success-rate, thresholdRange: {min: 99}}
                    """
                        .formatted(deadAddress)))
            .get(0);

    assertThat(result.passed()).isFalse();
    assertThat(result.value()).isNull();
    assertThat(result.message()).contains("unreachable");
  }

  // --- counting ---

  @Test
  void queries_counts_one_query_per_metric_that_reached_prometheus() {
    answer("100");
    template("test", "up", provider("prometheus", null, null), "up");
    template("test", "dd", provider("datadog", null, null), "avg:up{*}");
    CanaryChecks checks = checks(Optional.empty());
    Canary canary =
        nginx(
            """
            - {name: request-success-rate, thresholdRange: {min: 99}}
            - {name: missing, templateRef: {name: missing}}
            - {name: up, templateRef: {name: up}, thresholdRange: {min: 1}}
            - {name: dd, templateRef: {name: dd}}
            - {name: request-duration, thresholdRange: {max: 500}}
            """);

    List<CheckResult> first = checks.run(canary);
    assertThat(first)
        .extracting(CheckResult::metric)
        .containsExactly("request-success-rate", "missing", "up", "dd", "request-duration");
    assertThat(first)
        .extracting(CheckResult::passed)
        .containsExactly(true, false, true, false, true);
    assertThat(checks.queries()).isEqualTo(3);
    assertThat(requests()).hasSize(3);

    checks.run(canary);
    assertThat(checks.queries()).isEqualTo(6);
    assertThat(requests()).hasSize(6);
  }

  // --- helpers ---

  // --- provider.headers ---

  @Test
  void the_templates_headers_are_sent_with_each_query() {
    prometheus.stubFor(get(urlPathEqualTo(QUERY_PATH)).willReturn(aResponse().withStatus(401)));
    prometheus.stubFor(
        get(urlPathEqualTo(QUERY_PATH))
            .withHeader("X-Scope-OrgID", equalTo("tenant-a"))
            .willReturn(okJson(vector("1"))));
    MetricTemplateSpec.Provider provider = provider("prometheus", null, null);
    provider.headers =
        Map.of("X-Scope-OrgID", List.of("tenant-a"), "X-Extra", List.of("one", "two"));
    template("test", "up", provider, "up");

    CheckResult result =
        checks(Optional.empty())
            .run(withServer("- {name: up, templateRef: {name: up}, thresholdRange: {min: 1}}\n"))
            .get(0);

    assertThat(result.passed()).as(result.message()).isTrue();
    LoggedRequest sent = requests().get(0);
    assertThat(sent.getHeaders().getHeader("X-Extra").values()).containsExactly("one", "two");
  }

  @Test
  void the_secrets_token_wins_over_an_authorization_header() {
    answer("1");
    MetricTemplateSpec.Provider provider = provider("prometheus", null, "prom-auth");
    provider.headers = Map.of("Authorization", List.of("Bearer from-the-template"));
    template("test", "up", provider, "up");
    secretStore.put("test/prom-auth", Map.of("token", "from-the-secret"));

    checks(Optional.empty())
        .run(withServer("- {name: up, templateRef: {name: up}, thresholdRange: {min: 1}}\n"));

    assertThat(requests().get(0).getHeaders().getHeader("Authorization").values())
        .containsExactly("Bearer from-the-secret");
  }

  @Test
  void a_header_that_cannot_be_sent_fails_naming_it_but_not_its_value() {
    answer("1");
    MetricTemplateSpec.Provider provider = provider("prometheus", null, null);
    provider.headers = Map.of("Host", List.of("t0p-s3cret-value"));
    template("test", "up", provider, "up");

    CheckResult result =
        checks(Optional.empty())
            .run(withServer("- {name: up, templateRef: {name: up}, thresholdRange: {min: 1}}\n"))
            .get(0);

    assertThat(result.passed()).isFalse();
    assertThat(result.message()).contains("\"Host\"").doesNotContain("t0p-s3cret-value");
    assertThat(requests()).isEmpty();
  }

  @Test
  void an_endpoint_prints_its_header_names_never_their_values() {
    var endpoint =
        new dev.mooring.metrics.PrometheusEndpoint(
            "http://prometheus:9090",
            null,
            null,
            null,
            false,
            null,
            Map.of("X-Api-Key", List.of("k3y-v4lue")));

    assertThat(endpoint.toString()).contains("X-Api-Key").doesNotContain("k3y-v4lue");
  }

  @Test
  void a_header_without_a_name_makes_the_template_unusable() {
    MetricTemplateSpec spec = new MetricTemplateSpec();
    spec.query = "up";
    spec.provider = provider("prometheus", null, null);
    spec.provider.headers = Map.of(" ", List.of("x"));

    assertThat(CanaryChecks.templateProblem("test", "up", spec))
        .isEqualTo("MetricTemplate test/up: provider.headers has a header without a name");
  }

  @Test
  void an_unreadable_template_fails_the_check_with_why() {
    MetricTemplate broken =
        Serialization.unmarshal(
            """
            apiVersion: mooring.dev/v1alpha1
            kind: MetricTemplate
            metadata: {name: up, namespace: test}
            spec:
              query: up
              provider: {type: prometheus, headers: {X-Scope-OrgID: tenant-a}}
            """,
            MetricTemplate.class);
    templateStore.put("test/up", broken);

    CheckResult result =
        checks(Optional.empty())
            .run(withServer("- {name: up, templateRef: {name: up}, thresholdRange: {min: 1}}\n"))
            .get(0);

    assertThat(broken.getSpec()).isNull();
    assertThat(result.passed()).isFalse();
    assertThat(result.message())
        .isEqualTo(
            "MetricTemplate test/up: spec cannot be read: spec.provider.headers.X-Scope-OrgID: a"
                + " list was expected, not a string (\"tenant-a\")");
    assertThat(requests()).isEmpty();
  }

  private CanaryChecks checks(Optional<String> defaultAddress) {
    return new CanaryChecks(templates, secrets, defaultAddress, CLOCK);
  }

  private void template(
      String namespace, String name, MetricTemplateSpec.Provider provider, String query) {
    MetricTemplate template = new MetricTemplate();
    template.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    MetricTemplateSpec spec = new MetricTemplateSpec();
    spec.provider = provider;
    spec.query = query;
    template.setSpec(spec);
    templateStore.put(namespace + "/" + name, template);
  }

  private static MetricTemplateSpec.Provider provider(String type, String address, String secret) {
    MetricTemplateSpec.Provider provider = new MetricTemplateSpec.Provider();
    provider.type = type;
    provider.address = address;
    if (secret != null) {
      provider.secretRef = new MetricTemplateSpec.SecretRef();
      provider.secretRef.name = secret;
    }
    return provider;
  }

  /** An nginx Canary for podinfo in namespace test, its metricsServer the WireMock. */
  private static Canary nginx(String metrics) {
    return canary(
        """
        provider: nginx
        metricsServer: %s
        targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
        ingressRef: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: podinfo}
        service: {port: 80, targetPort: 9898}
        analysis:
          interval: 30s
          metrics:
        """
                .formatted(prometheus.baseUrl())
            + metrics.indent(4));
  }

  /** A kubernetes-provider Canary for podinfo in namespace test, its metricsServer the WireMock. */
  private static Canary withServer(String metrics) {
    return canary(
        """
        metricsServer: %s
        targetRef: {kind: Deployment, name: podinfo}
        service: {port: 80}
        analysis:
          metrics:
        """
                .formatted(prometheus.baseUrl())
            + metrics.indent(4));
  }

  private static Canary canary(String spec) {
    return Serialization.unmarshal(
        """
        apiVersion: mooring.dev/v1alpha1
        kind: Canary
        metadata: {name: podinfo, namespace: test}
        spec:
        """
            + spec.indent(2),
        Canary.class);
  }

  private static void answer(String value) {
    prometheus.resetAll();
    prometheus.stubFor(get(urlPathEqualTo(QUERY_PATH)).willReturn(okJson(vector(value))));
  }

  private static List<LoggedRequest> requests() {
    return prometheus.findAll(getRequestedFor(urlPathEqualTo(QUERY_PATH)));
  }

  private static String onlyQuery() {
    List<LoggedRequest> requests = requests();
    assertThat(requests).hasSize(1);
    return requests.get(0).queryParameter("query").firstValue();
  }

  private static String vector(String value) {
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1700000000.5,\""
        + value
        + "\"]}]}}";
  }

  @Test
  void anUnusableMetricTemplateIsNamedWithWhatIsWrong() {
    MetricTemplateSpec ts = new MetricTemplateSpec();
    assertThat(CanaryChecks.templateProblem("ns", "t", ts))
        .isEqualTo("MetricTemplate ns/t has no query");
    ts.query = "up";
    assertThat(CanaryChecks.templateProblem("ns", "t", ts)).isNull();
    ts.provider = new MetricTemplateSpec.Provider();
    ts.provider.type = "prometheus";
    ts.provider.address = "http://prometheus.monitoring:9090";
    assertThat(CanaryChecks.templateProblem("ns", "t", ts)).isNull();
    ts.provider.address = "prometheus:9090";
    assertThat(CanaryChecks.templateProblem("ns", "t", ts))
        .isEqualTo(
            "MetricTemplate ns/t: provider.address \"prometheus:9090\" is not an http(s) URL");
    ts.provider.address = null;
    ts.provider.secretRef = new MetricTemplateSpec.SecretRef();
    assertThat(CanaryChecks.templateProblem("ns", "t", ts))
        .isEqualTo("MetricTemplate ns/t: provider.secretRef has no name");
    ts.provider.type = "cloudwatch";
    assertThat(CanaryChecks.templateProblem("ns", "t", ts))
        .isEqualTo("MetricTemplate ns/t uses provider cloudwatch; only prometheus is supported");
  }
}
