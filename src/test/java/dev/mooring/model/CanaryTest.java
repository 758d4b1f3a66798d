package dev.mooring.model;

import static dev.mooring.model.TreeContains.assertTreeContains;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanaryTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsFlaggersPodinfoCanaryWithOnlyTheApiVersionChanged() throws IOException {
    Canary canary = load("podinfo-flagger.yaml", Canary.class);

    assertThat(canary.getApiVersion()).isEqualTo("mooring.dev/v1alpha1");
    assertThat(canary.getMetadata().getNamespace()).isEqualTo("test");
    CanarySpec spec = canary.getSpec();
    assertThat(spec.provider).isEqualTo("nginx");
    assertThat(spec.targetRef.kind).isEqualTo("Deployment");
    assertThat(spec.targetRef.name).isEqualTo("podinfo");
    assertThat(spec.ingressRef.apiVersion).isEqualTo("networking.k8s.io/v1");
    assertThat(spec.ingressRef.name).isEqualTo("podinfo");
    assertThat(spec.autoscalerRef.kind).isEqualTo("HorizontalPodAutoscaler");
    assertThat(spec.progressDeadlineSeconds).isEqualTo(60);
    assertThat(spec.service.port).isEqualTo(80);
    assertThat(spec.service.targetPort.getIntVal()).isEqualTo(9898);

    CanaryAnalysis analysis = spec.effectiveAnalysis();
    assertThat(analysis.interval).isEqualTo("10s");
    assertThat(analysis.threshold).isEqualTo(10);
    assertThat(analysis.maxWeight).isEqualTo(50);
    assertThat(analysis.stepWeight).isEqualTo(5);
    assertThat(analysis.metrics).hasSize(2);
    CanaryAnalysis.Metric successRate = analysis.metrics.get(0);
    assertThat(successRate.name).isEqualTo("request-success-rate");
    assertThat(successRate.interval).isEqualTo("1m");
    assertThat(successRate.thresholdRange.min).isEqualTo(99.0);
    assertThat(successRate.thresholdRange.max).isNull();
    assertThat(analysis.metrics.get(1).thresholdRange.max).isEqualTo(500.0);

    assertThat(analysis.webhooks)
        .extracting(w -> w.name)
        .containsExactly("acceptance-test", "load-test");
    CanaryAnalysis.Webhook acceptance = analysis.webhooks.get(0);
    assertThat(acceptance.type).isEqualTo("pre-rollout");
    assertThat(acceptance.url).isEqualTo("http://flagger-loadtester.test/");
    assertThat(acceptance.timeout).isEqualTo("30s");
    assertThat(acceptance.metadata).containsEntry("type", "bash").containsKey("cmd");
    assertThat(analysis.webhooks.get(1).type).isNull();
    assertThat(analysis.webhooks.get(1).metadata.get("cmd")).startsWith("hey -z 1m");
  }

  @Test
  void readsTheDeprecatedCanaryAnalysisWhenAnalysisIsAbsent() {
    CanarySpec spec = new CanarySpec();
    spec.canaryAnalysis = new CanaryAnalysis();
    assertThat(spec.effectiveAnalysis()).isSameAs(spec.canaryAnalysis);
    spec.analysis = new CanaryAnalysis();
    assertThat(spec.effectiveAnalysis()).isSameAs(spec.analysis);
  }

  @Test
  void writesBackEverythingThePodinfoCanarySaid() throws IOException {
    assertRoundTripKeepsEverything("podinfo-flagger.yaml", Canary.class);
  }

  @Test
  void keepsLessCommonAndMeshSpecificFieldsThroughARoundTrip() throws IOException {
    Canary canary = assertRoundTripKeepsEverything("kitchen-sink.yaml", Canary.class);

    CanarySpec spec = canary.getSpec();
    assertThat(spec.suspend).isTrue();
    assertThat(spec.service.targetPort.getStrVal()).isEqualTo("http");
    assertThat(spec.service.gatewayRefs.get(0).sectionName).isEqualTo("https");
    assertThat(spec.service.gatewayRefs.get(0).port).isEqualTo(443);
    assertThat(spec.service.retries.get("attempts").asInt()).isEqualTo(3);
    assertThat(spec.service.primary.labels).containsEntry("tier", "primary");
    assertThat(spec.analysis.stepWeights).containsExactly(1, 2, 10, 80);
    assertThat(spec.analysis.canaryReadyThreshold).isEqualTo(90);
    CanaryAnalysis.Metric templated = spec.analysis.metrics.get(0);
    assertThat(templated.templateRef.name).isEqualTo("error-rate");
    assertThat(templated.templateVariables).containsEntry("route", "/api");
    assertThat(spec.analysis.metrics.get(1).threshold).isEqualTo(99.0);
    assertThat(spec.analysis.webhooks.get(0).retries).isEqualTo(3);
    assertThat(spec.analysis.webhooks.get(0).muteAlert).isTrue();
  }

  @Test
  void readsAMetricTemplateAndKeepsItsQueryTemplate() throws IOException {
    MetricTemplate template =
        assertRoundTripKeepsEverything("metric-template.yaml", MetricTemplate.class);

    MetricTemplateSpec spec = template.getSpec();
    assertThat(spec.provider.type).isEqualTo("prometheus");
    assertThat(spec.provider.address).isEqualTo("http://prometheus.monitoring:9090");
    assertThat(spec.provider.secretRef.name).isEqualTo("prom-auth");
    assertThat(spec.provider.insecureSkipVerify).isFalse();
    assertThat(spec.query)
        .contains("{{ namespace }}", "{{ target }}", "{{ interval }}", "{{ variables.route }}");
  }

  @Test
  void statusWithAnalysisHistoryRoundTripsIncludingChecksWithoutData() throws IOException {
    Canary canary = load("podinfo-flagger.yaml", Canary.class);
    CanaryStatus status = new CanaryStatus();
    status.phase = CanaryStatus.PROGRESSING;
    status.canaryWeight = 15;
    status.failedChecks = 1;
    status.iterations = 0;
    status.lastAppliedSpec = "5f7c9b";
    status.lastTransitionTime = "2025-01-01T10:00:00Z";
    status.trackedConfigs = Map.of("configmap/podinfo-config", "1a2b3c");
    CanaryStatus.Condition promoted = new CanaryStatus.Condition();
    promoted.type = CanaryStatus.CONDITION_PROMOTED;
    promoted.status = "Unknown";
    promoted.reason = "Progressing";
    promoted.message = "New revision detected";
    status.conditions.add(promoted);
    status.analysisHistory.add(
        new CanaryStatus.AnalysisRecord(
            "2025-01-01T10:00:10Z", "request-success-rate", 99.5, 99.0, null, true, null));
    status.analysisHistory.add(
        new CanaryStatus.AnalysisRecord(
            "2025-01-01T10:00:10Z",
            "request-duration",
            null,
            null,
            500.0,
            false,
            "no values found"));
    canary.setStatus(status);

    String json = Serialization.asJson(canary);
    Canary back = Serialization.unmarshal(json, Canary.class);

    assertThat(JSON.readTree(json).at("/status/analysisHistory/1").has("value")).isFalse();
    CanaryStatus read = back.getStatus();
    assertThat(read.phase).isEqualTo("Progressing");
    assertThat(read.canaryWeight).isEqualTo(15);
    assertThat(read.failedChecks).isEqualTo(1);
    assertThat(read.trackedConfigs).containsEntry("configmap/podinfo-config", "1a2b3c");
    assertThat(read.conditions).extracting(c -> c.type).containsExactly("Promoted");
    assertThat(read.analysisHistory).hasSize(2);
    CanaryStatus.AnalysisRecord passed = read.analysisHistory.get(0);
    assertThat(passed.value).isEqualTo(99.5);
    assertThat(passed.thresholdMin).isEqualTo(99.0);
    assertThat(passed.thresholdMax).isNull();
    assertThat(passed.passed).isTrue();
    CanaryStatus.AnalysisRecord noData = read.analysisHistory.get(1);
    assertThat(noData.value).isNull();
    assertThat(noData.passed).isFalse();
    assertThat(noData.message).isEqualTo("no values found");
    assertTreeContains(JSON.readTree(json), JSON.readTree(Serialization.asJson(back)));
  }

  @Test
  void writesNoEmptyFieldsTheUserDidNotWrite() throws IOException {
    Canary canary = load("podinfo-flagger.yaml", Canary.class);
    JsonNode spec = JSON.readTree(Serialization.asJson(canary)).get("spec");

    assertThat(spec.has("suspend")).isFalse();
    assertThat(spec.get("service").has("gatewayRefs")).isFalse();
    assertThat(spec.get("analysis").has("stepWeights")).isFalse();
    assertThat(spec.get("analysis").get("metrics").get(0).has("threshold")).isFalse();
  }

  @Test
  void theRoundTripCheckNoticesALostFieldOrAChangedNumber() throws IOException {
    JsonNode written = JSON.readTree("{\"a\": {\"b\": 99, \"c\": [1, 2]}}");

    assertTreeContains(written, JSON.readTree("{\"a\": {\"b\": 99.0, \"c\": [1, 2], \"d\": 0}}"));
    assertThatThrownBy(() -> assertTreeContains(written, JSON.readTree("{\"a\": {\"b\": 99}}")))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(
            () -> assertTreeContains(written, JSON.readTree("{\"a\": {\"b\": 98, \"c\": [1, 2]}}")))
        .isInstanceOf(AssertionError.class);
  }

  private static <T> T assertRoundTripKeepsEverything(String fixture, Class<T> type)
      throws IOException {
    T read = load(fixture, type);
    JsonNode written = JSON.readTree(Serialization.asJson(read));
    try (InputStream in = open(fixture)) {
      assertTreeContains(YAML.readTree(in), written);
    }
    return read;
  }

  private static <T> T load(String fixture, Class<T> type) throws IOException {
    try (InputStream in = open(fixture)) {
      return Serialization.unmarshal(in, type);
    }
  }

  private static InputStream open(String fixture) {
    InputStream in = CanaryTest.class.getResourceAsStream("/canary/" + fixture);
    assertThat(in).as(fixture).isNotNull();
    return in;
  }
}
