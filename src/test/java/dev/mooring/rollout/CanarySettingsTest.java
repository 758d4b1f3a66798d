package dev.mooring.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.mooring.canary.AnalysisSettings;
import dev.mooring.canary.HookSpec;
import dev.mooring.model.Canary;
import dev.mooring.rollout.CanarySettings.InvalidCanaryException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading a Canary's spec into {@link AnalysisSettings}: Flagger's defaults and validation. */
class CanarySettingsTest {
  private static final String MINIMAL =
      """
      targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
      service: {port: 80}
      """;

  @Test
  void flagger_defaults_when_the_analysis_is_absent() throws Exception {
    AnalysisSettings settings = CanarySettings.of(canary(MINIMAL));

    assertThat(settings.interval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.threshold()).isEqualTo(1);
    assertThat(settings.progressDeadlineSeconds()).isEqualTo(600);
    assertThat(settings.maxWeight()).isZero();
    assertThat(settings.stepWeight()).isZero();
    assertThat(settings.stepWeights()).isEmpty();
    assertThat(settings.stepWeightPromotion()).isZero();
    assertThat(settings.iterations()).isZero();
    assertThat(settings.skipAnalysis()).isFalse();
    assertThat(settings.suspend()).isFalse();
    assertThat(settings.webhooks()).isEmpty();
    assertThat(settings.hasMetrics()).isFalse();
  }

  @Test
  void flagger_defaults_when_the_analysis_is_empty() throws Exception {
    AnalysisSettings settings = CanarySettings.of(canary(MINIMAL + "analysis: {}\n"));

    assertThat(settings).isEqualTo(AnalysisSettings.builder().build());
  }

  @Test
  void every_field_is_mapped() throws Exception {
    AnalysisSettings settings =
        CanarySettings.of(
            canary(
                MINIMAL
                    + """
                    progressDeadlineSeconds: 120
                    skipAnalysis: true
                    suspend: true
                    analysis:
                      interval: 30s
                      threshold: 5
                      maxWeight: 40
                      stepWeight: 10
                      stepWeights: [5, 20, 60]
                      stepWeightPromotion: 25
                      iterations: 7
                      metrics:
                        - name: request-success-rate
                          thresholdRange: {min: 99}
                      webhooks:
                        - name: load-test
                          url: http://loadtester/
                        - name: blank-type
                          type: "  "
                          url: http://loadtester/
                        - name: gate
                          type: confirm-rollout
                          url: http://gate/
                        - name: promote
                          type: confirm-promotion
                          url: http://gate/
                        - name: bye
                          type: rollback
                          url: http://gate/
                    """));

    assertThat(settings.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.threshold()).isEqualTo(5);
    assertThat(settings.maxWeight()).isEqualTo(40);
    assertThat(settings.stepWeight()).isEqualTo(10);
    assertThat(settings.stepWeights()).containsExactly(5, 20, 60);
    assertThat(settings.stepWeightPromotion()).isEqualTo(25);
    assertThat(settings.iterations()).isEqualTo(7);
    assertThat(settings.isBlueGreen()).isTrue();
    assertThat(settings.progressDeadlineSeconds()).isEqualTo(120);
    assertThat(settings.skipAnalysis()).isTrue();
    assertThat(settings.suspend()).isTrue();
    assertThat(settings.hasMetrics()).isTrue();
    assertThat(settings.webhooks())
        .containsExactly(
            new HookSpec("load-test", HookSpec.ROLLOUT),
            new HookSpec("blank-type", HookSpec.ROLLOUT),
            new HookSpec("gate", HookSpec.CONFIRM_ROLLOUT),
            new HookSpec("promote", HookSpec.CONFIRM_PROMOTION),
            new HookSpec("bye", HookSpec.ROLLBACK));
    assertThat(settings.hooksOfType(HookSpec.ROLLOUT))
        .extracting(HookSpec::name)
        .containsExactly("load-test", "blank-type");
  }

  @Test
  void every_flagger_webhook_type_is_accepted() throws Exception {
    StringBuilder hooks = new StringBuilder("analysis:\n  webhooks:\n");
    List<String> types =
        List.of(
            HookSpec.CONFIRM_ROLLOUT,
            HookSpec.PRE_ROLLOUT,
            HookSpec.ROLLOUT,
            HookSpec.CONFIRM_TRAFFIC_INCREASE,
            HookSpec.CONFIRM_PROMOTION,
            HookSpec.POST_ROLLOUT,
            HookSpec.ROLLBACK,
            HookSpec.EVENT);
    for (String type : types) {
      hooks.append("    - {name: h-").append(type).append(", type: ").append(type);
      hooks.append(", url: 'http://hooks/'}\n");
    }

    AnalysisSettings settings = CanarySettings.of(canary(MINIMAL + hooks));

    assertThat(settings.webhooks()).extracting(HookSpec::type).containsExactlyElementsOf(types);
  }

  @Test
  void the_deprecated_canary_analysis_is_read_when_analysis_is_absent() throws Exception {
    AnalysisSettings settings =
        CanarySettings.of(
            canary(
                MINIMAL
                    + """
                    canaryAnalysis:
                      interval: 15s
                      threshold: 3
                      maxWeight: 30
                      stepWeight: 10
                      metrics:
                        - name: request-duration
                          thresholdRange: {max: 500}
                      webhooks:
                        - {name: smoke, type: pre-rollout, url: 'http://loadtester/'}
                    """));

    assertThat(settings.interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(settings.threshold()).isEqualTo(3);
    assertThat(settings.maxWeight()).isEqualTo(30);
    assertThat(settings.stepWeight()).isEqualTo(10);
    assertThat(settings.hasMetrics()).isTrue();
    assertThat(settings.webhooks()).containsExactly(new HookSpec("smoke", HookSpec.PRE_ROLLOUT));
  }

  @Test
  void analysis_wins_over_the_deprecated_canary_analysis() throws Exception {
    Canary canary =
        canary(
            MINIMAL
                + """
                analysis: {interval: 20s, threshold: 2}
                canaryAnalysis: {interval: 5m, threshold: 9, canaryReadyThreshold: 10}
                """);

    AnalysisSettings settings = CanarySettings.of(canary);

    assertThat(settings.interval()).isEqualTo(Duration.ofSeconds(20));
    assertThat(settings.threshold()).isEqualTo(2);
    assertThat(CanarySettings.interval(canary)).isEqualTo(Duration.ofSeconds(20));
    assertThat(CanarySettings.readyThreshold(canary, false)).isEqualTo(100);
  }

  @Test
  void a_missing_kind_is_a_deployment_and_known_providers_are_accepted() throws Exception {
    String noKind =
        """
        targetRef: {name: podinfo}
        service: {port: 80}
        """;
    assertThat(CanarySettings.of(canary(noKind))).isNotNull();
    for (String provider :
        List.of(
            "kubernetes", " kubernetes ", "gatewayapi", "gatewayapi:v1", "gatewayapi:v1beta1")) {
      assertThat(CanarySettings.of(canary(MINIMAL + "provider: '" + provider + "'\n")))
          .as(provider)
          .isNotNull();
    }
    assertThat(
            CanarySettings.of(
                canary(MINIMAL + "provider: nginx\ningressRef: {kind: Ingress, name: podinfo}\n")))
        .isNotNull();
  }

  @Test
  void a_canary_without_spec_is_rejected() {
    Canary canary = new Canary();

    assertThatThrownBy(() -> CanarySettings.of(canary))
        .isInstanceOf(InvalidCanaryException.class)
        .hasMessage("spec is missing");
  }

  static Stream<Arguments> invalidSpecs() {
    String base = "targetRef: {name: podinfo}\nservice: {port: 80}\n";
    return Stream.of(
        arguments("missing targetRef", "service: {port: 80}", "spec.targetRef.name is required"),
        arguments(
            "targetRef without name",
            "targetRef: {kind: Deployment}\nservice: {port: 80}",
            "spec.targetRef.name is required"),
        arguments(
            "StatefulSet",
            "targetRef: {kind: StatefulSet, name: agent}\nservice: {port: 80}",
            "spec.targetRef.kind StatefulSet is not supported (Deployment or DaemonSet)"),
        arguments(
            "DaemonSet with an autoscaler",
            "targetRef: {kind: DaemonSet, name: agent}\nautoscalerRef: {name: agent}\n"
                + "service: {port: 80}",
            "spec.autoscalerRef cannot scale a DaemonSet target (it runs on every node)"),
        arguments("missing service", "targetRef: {name: podinfo}", "spec.service.port is required"),
        arguments(
            "missing service.port",
            "targetRef: {name: podinfo}\nservice: {name: podinfo}",
            "spec.service.port is required"),
        arguments(
            "unknown provider",
            base + "provider: linkerd",
            "unsupported canary provider 'linkerd'"),
        arguments(
            "nginx without ingressRef",
            base + "provider: nginx",
            "provider nginx needs spec.ingressRef"),
        arguments(
            "nginx with a nameless ingressRef",
            base + "provider: nginx\ningressRef: {kind: Ingress}",
            "provider nginx needs spec.ingressRef"),
        arguments(
            "bad interval",
            base + "analysis: {interval: soon}",
            "analysis.interval \"soon\" is not a duration (e.g. 30s, 1m)"),
        arguments(
            "zero interval",
            base + "analysis: {interval: 0s}",
            "analysis.interval \"0s\" is not a duration"),
        arguments(
            "stepWeights above 100",
            base + "analysis: {stepWeights: [10, 101]}",
            "analysis.stepWeights must be within 1..100, got 101"),
        arguments(
            "stepWeights zero",
            base + "analysis: {stepWeights: [0, 50]}",
            "analysis.stepWeights must be within 1..100, got 0"),
        arguments(
            "duplicate webhook names",
            base
                + "analysis: {webhooks: [{name: a, url: 'http://x/'}, {name: a, url: 'http://y/'}]}",
            "webhook name a is used twice"),
        arguments(
            "unknown webhook type",
            base + "analysis: {webhooks: [{name: a, type: pre-flight, url: 'http://x/'}]}",
            "webhook a has unknown type pre-flight"),
        arguments(
            "webhook without url",
            base + "analysis: {webhooks: [{name: a}]}",
            "every analysis.webhooks entry needs a name and a url"),
        arguments(
            "webhook without name",
            base + "analysis: {webhooks: [{url: 'http://x/'}]}",
            "every analysis.webhooks entry needs a name and a url"),
        arguments(
            "metric without name",
            base + "analysis: {metrics: [{thresholdRange: {min: 99}}]}",
            "every analysis.metrics entry needs a name"),
        arguments(
            "deprecated canaryAnalysis with a bad interval",
            base + "canaryAnalysis: {interval: soon}",
            "analysis.interval \"soon\" is not a duration"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void an_invalid_spec_is_rejected_naming_the_problem(String title, String spec, String expected) {
    Canary canary = canary(spec);

    assertThatThrownBy(() -> CanarySettings.of(canary))
        .isInstanceOf(InvalidCanaryException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void several_problems_are_reported_in_one_message() {
    Canary canary =
        canary(
            """
            provider: nginx
            targetRef: {kind: StatefulSet, name: agent}
            analysis:
              interval: soon
              stepWeights: [10, 200]
              webhooks:
                - {name: a, url: 'http://x/'}
                - {name: a, type: bogus, url: 'http://x/'}
                - {name: b}
              metrics:
                - {interval: 1m}
            """);

    assertThatThrownBy(() -> CanarySettings.of(canary))
        .isInstanceOf(InvalidCanaryException.class)
        .hasMessage(
            String.join(
                "; ",
                "spec.targetRef.kind StatefulSet is not supported (Deployment or DaemonSet)",
                "spec.service.port is required",
                "provider nginx needs spec.ingressRef",
                "analysis.interval \"soon\" is not a duration (e.g. 30s, 1m)",
                "analysis.stepWeights must be within 1..100, got 200",
                "webhook name a is used twice",
                "webhook a has unknown type bogus",
                "every analysis.webhooks entry needs a name and a url",
                "every analysis.metrics entry needs a name"));
  }

  @Test
  void the_unknown_provider_message_lists_the_supported_ones() {
    Canary canary = canary(MINIMAL + "provider: linkerd\n");

    assertThatThrownBy(() -> CanarySettings.of(canary))
        .hasMessageContaining("linkerd")
        .hasMessageContaining("kubernetes")
        .hasMessageContaining("nginx")
        .hasMessageContaining("gatewayapi");
  }

  @Test
  void ready_threshold_defaults_to_100_and_reads_primary_and_canary() {
    assertThat(CanarySettings.readyThreshold(canary(MINIMAL), true)).isEqualTo(100);
    assertThat(CanarySettings.readyThreshold(canary(MINIMAL), false)).isEqualTo(100);
    assertThat(CanarySettings.readyThreshold(new Canary(), true)).isEqualTo(100);

    Canary both =
        canary(MINIMAL + "analysis: {primaryReadyThreshold: 80, canaryReadyThreshold: 50}\n");
    assertThat(CanarySettings.readyThreshold(both, true)).isEqualTo(80);
    assertThat(CanarySettings.readyThreshold(both, false)).isEqualTo(50);

    Canary onlyCanary = canary(MINIMAL + "analysis: {canaryReadyThreshold: 75}\n");
    assertThat(CanarySettings.readyThreshold(onlyCanary, true)).isEqualTo(100);
    assertThat(CanarySettings.readyThreshold(onlyCanary, false)).isEqualTo(75);

    Canary deprecated = canary(MINIMAL + "canaryAnalysis: {primaryReadyThreshold: 60}\n");
    assertThat(CanarySettings.readyThreshold(deprecated, true)).isEqualTo(60);
  }

  @Test
  void ready_threshold_out_of_range_is_100() {
    Canary zero =
        canary(MINIMAL + "analysis: {primaryReadyThreshold: 0, canaryReadyThreshold: -5}\n");
    Canary above = canary(MINIMAL + "analysis: {primaryReadyThreshold: 101}\n");
    Canary edge =
        canary(MINIMAL + "analysis: {primaryReadyThreshold: 1, canaryReadyThreshold: 100}\n");

    assertThat(CanarySettings.readyThreshold(zero, true)).isEqualTo(100);
    assertThat(CanarySettings.readyThreshold(zero, false)).isEqualTo(100);
    assertThat(CanarySettings.readyThreshold(above, true)).isEqualTo(100);
    assertThat(CanarySettings.readyThreshold(edge, true)).isEqualTo(1);
    assertThat(CanarySettings.readyThreshold(edge, false)).isEqualTo(100);
  }

  @Test
  void interval_helper_defaults_to_60s_when_unset_or_unreadable() {
    assertThat(CanarySettings.interval(new Canary())).isEqualTo(Duration.ofSeconds(60));
    assertThat(CanarySettings.interval(canary(MINIMAL))).isEqualTo(Duration.ofSeconds(60));
    assertThat(CanarySettings.interval(canary(MINIMAL + "analysis: {interval: soon}\n")))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(CanarySettings.interval(canary(MINIMAL + "analysis: {interval: 0s}\n")))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(CanarySettings.interval(canary(MINIMAL + "analysis: {interval: 30s}\n")))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(CanarySettings.interval(canary(MINIMAL + "analysis: {interval: 1m30s}\n")))
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(CanarySettings.interval(canary(MINIMAL + "canaryAnalysis: {interval: 2m}\n")))
        .isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void provider_helper_defaults_to_kubernetes() {
    assertThat(CanarySettings.provider(canary(MINIMAL).getSpec())).isEqualTo("kubernetes");
    assertThat(CanarySettings.provider(canary(MINIMAL + "provider: ' '\n").getSpec()))
        .isEqualTo("kubernetes");
    assertThat(CanarySettings.provider(canary(MINIMAL + "provider: ' nginx '\n").getSpec()))
        .isEqualTo("nginx");
  }

  @Test
  void flaggers_nginx_tutorial_canary_reads_as_written() throws Exception {
    Canary canary = load("podinfo-flagger.yaml");

    AnalysisSettings settings = CanarySettings.of(canary);

    assertThat(settings.interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.threshold()).isEqualTo(10);
    assertThat(settings.maxWeight()).isEqualTo(50);
    assertThat(settings.stepWeight()).isEqualTo(5);
    assertThat(settings.stepWeights()).isEmpty();
    assertThat(settings.stepWeightPromotion()).isZero();
    assertThat(settings.iterations()).isZero();
    assertThat(settings.isBlueGreen()).isFalse();
    assertThat(settings.progressDeadlineSeconds()).isEqualTo(60);
    assertThat(settings.skipAnalysis()).isFalse();
    assertThat(settings.suspend()).isFalse();
    assertThat(settings.hasMetrics()).isTrue();
    assertThat(settings.webhooks())
        .containsExactly(
            new HookSpec("acceptance-test", HookSpec.PRE_ROLLOUT),
            new HookSpec("load-test", HookSpec.ROLLOUT));
    assertThat(CanarySettings.provider(canary.getSpec())).isEqualTo("nginx");
    assertThat(CanarySettings.interval(canary)).isEqualTo(Duration.ofSeconds(10));
    assertThat(CanarySettings.readyThreshold(canary, true)).isEqualTo(100);
    assertThat(CanarySettings.readyThreshold(canary, false)).isEqualTo(100);
  }

  @Test
  void the_kitchen_sink_canary_reads_as_written() throws Exception {
    Canary canary = load("kitchen-sink.yaml");

    AnalysisSettings settings = CanarySettings.of(canary);

    assertThat(settings.interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(settings.iterations()).isEqualTo(10);
    assertThat(settings.isBlueGreen()).isTrue();
    assertThat(settings.threshold()).isEqualTo(2);
    assertThat(settings.stepWeights()).containsExactly(1, 2, 10, 80);
    assertThat(settings.stepWeightPromotion()).isEqualTo(50);
    assertThat(settings.suspend()).isTrue();
    assertThat(settings.skipAnalysis()).isFalse();
    assertThat(settings.hasMetrics()).isTrue();
    assertThat(settings.webhooks()).containsExactly(new HookSpec("gate", HookSpec.CONFIRM_ROLLOUT));
    assertThat(CanarySettings.readyThreshold(canary, true)).isEqualTo(100);
    assertThat(CanarySettings.readyThreshold(canary, false)).isEqualTo(90);
  }

  static Canary canary(String spec) {
    String yaml =
        """
        apiVersion: mooring.dev/v1alpha1
        kind: Canary
        metadata: {name: podinfo, namespace: test}
        spec:
        """
            + spec.indent(2);
    return Serialization.unmarshal(yaml, Canary.class);
  }

  private static Canary load(String fixture) throws IOException {
    try (InputStream in =
        Objects.requireNonNull(
            CanarySettingsTest.class.getResourceAsStream("/canary/" + fixture), fixture)) {
      return Serialization.unmarshal(in, Canary.class);
    }
  }
}
