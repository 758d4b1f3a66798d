package dev.mooring.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renders charts/mooring in-process (helm-java) and checks what a cluster would receive. */
class HelmChartTest {
  private static final String TOKEN = "admin:s3cret-Token-4b1d";
  private static final String HOOK = "hunter2-Hook-Key-88aa";

  @Test
  void theChartPassesHelmLint() {
    LintResult lint = new Helm(ChartRender.CHART).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void theDefaultRenderRunsTheDeploymentWithProbesAndItsServiceAccount() {
    ChartRender render = ChartRender.of(Map.of());
    JsonNode pod = render.first("Deployment").orElseThrow().at("/spec/template/spec");
    JsonNode container = render.container();

    assertThat(pod.path("serviceAccountName").asText()).isEqualTo("mooring");
    assertThat(render.first("ServiceAccount").orElseThrow().at("/metadata/name").asText())
        .isEqualTo("mooring");
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
    assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
    assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
    assertThat(container.path("image").asText()).isEqualTo("mooring:0.1.0");
    assertThat(render.env("QUARKUS_HTTP_PORT").path("value").asText()).isEqualTo("8080");
    assertThat(render.env("MOORING_GIT_DEFAULT_REFRESH_INTERVAL").path("value").asText())
        .isEqualTo("3m");
    assertThat(render.env("MOORING_WEBHOOK_MAX_PAYLOAD").path("value").asText())
        .isEqualTo("1048576");
    assertThat(render.env("MOORING_API_ANONYMOUS").path("value").asText()).isEqualTo("read");
    assertThat(render.env("MOORING_WATCH_NAMESPACES").isMissingNode()).isTrue();
    assertThat(render.env("MOORING_API_TOKENS").isMissingNode()).isTrue();
    assertThat(render.ofKind("Secret")).isEmpty();
    JsonNode service = render.first("Service").orElseThrow();
    assertThat(service.at("/spec/ports/0/name").asText()).isEqualTo("http");
    assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
  }

  @Test
  void theContainerRunsAsNonRootOnAReadOnlyRootWithTheGitCacheOnAnEmptyDir() {
    ChartRender render = ChartRender.of(Map.of());
    JsonNode container = render.container();
    JsonNode pod = render.first("Deployment").orElseThrow().at("/spec/template/spec");

    assertThat(container.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(render.env("MOORING_GIT_CACHE_DIR").path("value").asText())
        .isEqualTo("/var/cache/mooring");
    assertThat(container.path("volumeMounts").toString())
        .contains("\"mountPath\":\"/var/cache/mooring\"", "\"mountPath\":\"/tmp\"");
    assertThat(pod.path("volumes")).hasSize(2).allMatch(v -> v.has("emptyDir"));
    assertThat(container.at("/resources/requests/memory").asText()).isEqualTo("384Mi");
  }

  @Test
  void apiTokensAndWebhookSecretsGoIntoASecretAndReachTheContainerThroughSecretKeyRefs() {
    ChartRender render =
        ChartRender.of(
            Map.of(
                "api.tokens", TOKEN,
                "webhook.secrets.github", HOOK,
                "webhook.secrets.bitbucket-server", HOOK));

    JsonNode secret = render.first("Secret").orElseThrow();
    assertThat(secret.at("/metadata/name").asText()).isEqualTo("mooring");
    assertThat(secret.at("/data/api-tokens").asText()).isEqualTo(base64(TOKEN));
    assertThat(secret.at("/data/webhook-github").asText()).isEqualTo(base64(HOOK));
    JsonNode tokens = render.env("MOORING_API_TOKENS");
    assertThat(tokens.at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("mooring");
    assertThat(tokens.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("api-tokens");
    assertThat(tokens.has("value")).isFalse();
    assertThat(
            render
                .env("MOORING_WEBHOOK_BITBUCKET_SERVER_SECRET")
                .at("/valueFrom/secretKeyRef/key")
                .asText())
        .isEqualTo("webhook-bitbucket-server");
    assertThat(render.env("MOORING_WEBHOOK_GITLAB_SECRET").isMissingNode()).isTrue();
  }

  @Test
  void secretValuesAppearNowhereInPlainTextAndNeverInAConfigMap() {
    ChartRender render =
        ChartRender.of(
            Map.of(
                "api.tokens", TOKEN,
                "api.readonlyTokens", "viewer:ro-" + HOOK,
                "webhook.secrets.gitlab", HOOK));

    assertThat(render.text()).doesNotContain(TOKEN, HOOK);
    for (JsonNode configMap : render.ofKind("ConfigMap")) {
      assertThat(configMap.toString()).doesNotContain(base64(TOKEN), base64(HOOK), TOKEN, HOOK);
    }
    assertThat(render.documents())
        .filteredOn(d -> d.toString().contains(base64(TOKEN)))
        .extracting(d -> d.path("kind").asText())
        .containsOnly("Secret");
  }

  @Test
  void existingSecretsAreReferencedAndTheChartCreatesNone() {
    ChartRender render =
        ChartRender.of(
            Map.of(
                "api.existingSecret",
                "mooring-api",
                "api.tokens",
                TOKEN,
                "webhook.existingSecret",
                "mooring-hooks",
                "webhook.secrets.github",
                HOOK));

    assertThat(render.ofKind("Secret")).isEmpty();
    JsonNode ref = render.env("MOORING_API_TOKENS").at("/valueFrom/secretKeyRef");
    assertThat(ref.path("name").asText()).isEqualTo("mooring-api");
    assertThat(ref.path("key").asText()).isEqualTo("tokens");
    assertThat(render.env("MOORING_WEBHOOK_SECRET_NAME").path("value").asText())
        .isEqualTo("mooring-hooks");
    assertThat(render.env("MOORING_WEBHOOK_GITHUB_SECRET").isMissingNode()).isTrue();
    assertThat(render.text()).doesNotContain(TOKEN, HOOK);
  }

  @Test
  void watchNamespacesFromAValuesFileListBecomeACommaSeparatedMooringWatchNamespaces(
      @TempDir Path dir) throws Exception {
    Path values =
        Files.writeString(dir.resolve("values.yaml"), "watchNamespaces: [team-a, team-b]\n");
    String text =
        new Helm(ChartRender.CHART)
            .template()
            .withName("mooring")
            .withNamespace("mooring")
            .withValuesFile(values)
            .call();
    ChartRender render = new ChartRender(text, ChartRender.parse(text));

    assertThat(render.env("MOORING_WATCH_NAMESPACES").path("value").asText())
        .isEqualTo("team-a,team-b");
  }

  @Test
  void aSingleWatchNamespaceGivenWithSetIsPassedAsIs() {
    ChartRender render = ChartRender.of(Map.of("watchNamespaces", "team-a"));

    assertThat(render.env("MOORING_WATCH_NAMESPACES").path("value").asText()).isEqualTo("team-a");
  }

  @Test
  void valuesReachTheImageReplicasAndSettings() {
    ChartRender render =
        ChartRender.of(
            Map.of(
                "image.repository", "registry.example.com/mooring",
                "image.tag", "1.2.3",
                "image.pullPolicy", "Always",
                "replicaCount", 2,
                "git.defaultRefreshInterval", "1m",
                "api.anonymous", "none",
                "webhook.maxPayload", 65536));

    assertThat(render.container().path("image").asText())
        .isEqualTo("registry.example.com/mooring:1.2.3");
    assertThat(render.container().path("imagePullPolicy").asText()).isEqualTo("Always");
    assertThat(render.first("Deployment").orElseThrow().at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(render.env("MOORING_GIT_DEFAULT_REFRESH_INTERVAL").path("value").asText())
        .isEqualTo("1m");
    assertThat(render.env("MOORING_API_ANONYMOUS").path("value").asText()).isEqualTo("none");
    assertThat(render.env("MOORING_WEBHOOK_MAX_PAYLOAD").path("value").asText()).isEqualTo("65536");
  }

  @Test
  void theIngressForWebhooksAppearsOnlyWhenEnabled() {
    assertThat(ChartRender.of(Map.of()).ofKind("Ingress")).isEmpty();

    ChartRender render =
        ChartRender.of(Map.of("ingress.enabled", true, "ingress.host", "cd.example.com"));
    JsonNode rule = render.first("Ingress").orElseThrow().at("/spec/rules/0");
    assertThat(rule.path("host").asText()).isEqualTo("cd.example.com");
    assertThat(rule.at("/http/paths/0/path").asText()).isEqualTo("/api/webhook");
    assertThat(rule.at("/http/paths/0/backend/service/name").asText()).isEqualTo("mooring");
    assertThat(rule.at("/http/paths/0/backend/service/port/name").asText()).isEqualTo("http");
  }

  @Test
  void theClusterRoleHasTheRulesOfConfigRbacAndIsBoundToTheServiceAccount() throws Exception {
    ChartRender render = ChartRender.of(Map.of());
    JsonNode expected =
        ChartRender.parse(Files.readString(Path.of("config/rbac/mooring-rbac.yaml"))).stream()
            .filter(d -> "ClusterRole".equals(d.path("kind").asText()))
            .findFirst()
            .orElseThrow();

    assertThat(render.first("ClusterRole").orElseThrow().path("rules"))
        .isEqualTo(expected.path("rules"));
    JsonNode binding = render.first("ClusterRoleBinding").orElseThrow();
    assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("mooring");
    assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo("mooring");
    assertThat(binding.at("/roleRef/name").asText()).isEqualTo("mooring");
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
