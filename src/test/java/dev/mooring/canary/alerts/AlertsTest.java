package dev.mooring.canary.alerts;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.mooring.canary.alerts.AlertFixtures.canary;
import static dev.mooring.canary.alerts.AlertFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.mooring.canary.alerts.AlertResult.Outcome;
import dev.mooring.model.Canary;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alerts posted to WireMock as each chat's incoming webhook, and every way one is not sent. */
class AlertsTest {
  static WireMockServer chat;
  static WireMockServer proxy;
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  AlertFixtures cluster;
  Alerts alerts;

  @BeforeAll
  static void startServers() {
    chat = new WireMockServer(options().dynamicPort());
    chat.start();
    proxy = new WireMockServer(options().dynamicPort());
    proxy.start();
  }

  @AfterAll
  static void stopServers() {
    chat.stop();
    proxy.stop();
  }

  @BeforeEach
  void reset() {
    chat.resetAll();
    proxy.resetAll();
    chat.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200).withBody("ok")));
    cluster = AlertFixtures.cluster();
    alerts = new Alerts(cluster, cluster, new AlertSender(Duration.ofSeconds(2)), CLOCK);
  }

  String hook() {
    return "http://127.0.0.1:" + chat.port() + "/hook";
  }

  static Canary podinfo(String alertsYaml) {
    return canary(
        """
        apiVersion: mooring.dev/v1alpha1
        kind: Canary
        metadata: {name: podinfo, namespace: test}
        spec:
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
          progressDeadlineSeconds: 60
          service: {port: 80}
          analysis:
            interval: 1m
            threshold: 5
            maxWeight: 50
            stepWeight: 10
            alerts:
        """
            + alertsYaml.indent(6)
            + """
        status: {phase: Progressing}
        """);
  }

  AlertFixtures provider(String name, String type, String more) {
    return cluster.provider(
        """
        apiVersion: mooring.dev/v1alpha1
        kind: AlertProvider
        metadata: {name: %s, namespace: test}
        spec:
          type: %s
        %s
        """
            .formatted(name, type, more.indent(2)));
  }

  static Map<String, String> metadata() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Target", "Deployment/podinfo.test");
    fields.put("Failed checks threshold", "5");
    fields.put("Progress deadline", "60s");
    fields.put("Traffic routing", "Weight step: 10 max: 50");
    return fields;
  }

  static final String NEW_REVISION = "New revision abc detected! Scaling up the canary";
  static final String ROLLED_BACK =
      "Canary failed! Failed checks threshold reached 5/5; routing all traffic to the primary";

  @Test
  void postsSlackTheAttachmentFlaggerSends() {
    provider("slack", "slack", "channel: on-call\nusername: mooring-bot\naddress: " + hook());
    Canary canary = podinfo("- {name: on-call, severity: info, providerRef: {name: slack}}");

    List<AlertResult> results = alerts.send(canary, "info", NEW_REVISION, metadata());

    assertThat(results).containsExactly(new AlertResult("on-call", "test/slack", Outcome.SENT, ""));
    chat.verify(
        postRequestedFor(urlEqualTo("/hook"))
            .withHeader("Content-Type", equalTo("application/json"))
            .withHeader("Authorization", absent())
            .withRequestBody(equalToJson(json("slack"))));
  }

  @Test
  void colorsAnErrorRedInSlackAndTeams() {
    provider("slack", "slack", "address: " + hook());
    provider("teams", "msteams", "address: " + hook());
    Canary canary =
        podinfo(
            """
            - {name: a, providerRef: {name: slack}}
            - {name: b, providerRef: {name: teams}}
            """);

    alerts.send(canary, Severity.ERROR, ROLLED_BACK, Map.of());

    chat.verify(
        postRequestedFor(urlEqualTo("/hook"))
            .withRequestBody(matchingJsonPath("$.attachments[0].color", equalTo("danger"))));
    chat.verify(
        postRequestedFor(urlEqualTo("/hook"))
            .withRequestBody(matchingJsonPath("$.themeColor", equalTo("FF0000"))));
  }

  @Test
  void postsTeamsAMessageCardWithTheFieldsAsFacts() {
    provider("teams", "msteams", "address: " + hook());
    Canary canary = podinfo("- {name: dev, severity: info, providerRef: {name: teams}}");

    assertThat(alerts.send(canary, "info", NEW_REVISION, metadata()))
        .extracting(AlertResult::outcome)
        .containsExactly(Outcome.SENT);
    chat.verify(
        postRequestedFor(urlEqualTo("/hook")).withRequestBody(equalToJson(json("msteams"))));
  }

  @Test
  void postsDiscordSlackFormatOnItsSlackEndpoint() {
    chat.stubFor(
        post(urlEqualTo("/api/webhooks/1/abc/slack")).willReturn(aResponse().withStatus(200)));
    provider(
        "discord", "discord", "address: http://127.0.0.1:" + chat.port() + "/api/webhooks/1/abc");
    Canary canary = podinfo("- {name: qa, severity: warn, providerRef: {name: discord}}");

    assertThat(alerts.send(canary, "error", ROLLED_BACK, Map.of()))
        .extracting(AlertResult::outcome)
        .containsExactly(Outcome.SENT);
    chat.verify(
        postRequestedFor(urlEqualTo("/api/webhooks/1/abc/slack"))
            .withRequestBody(equalToJson(json("discord"))));
  }

  @Test
  void leavesADiscordAddressThatEndsInSlackAsItIs() {
    assertThat(
            Alerts.discordSlackEndpoint(
                java.net.URI.create("https://discord.com/api/webhooks/1/x/slack")))
        .hasToString("https://discord.com/api/webhooks/1/x/slack");
    assertThat(
            Alerts.discordSlackEndpoint(
                java.net.URI.create("https://discord.com/api/webhooks/1/x/")))
        .hasToString("https://discord.com/api/webhooks/1/x/slack");
  }

  @Test
  void postsRocketChatSlackFormatWithItsOwnColours() {
    provider("rocket", "rocket", "channel: releases\naddress: " + hook());
    Canary canary = podinfo("- {name: rc, providerRef: {name: rocket}}");

    alerts.send(canary, "error", ROLLED_BACK, Map.of());

    chat.verify(postRequestedFor(urlEqualTo("/hook")).withRequestBody(equalToJson(json("rocket"))));
  }

  @Test
  void postsGoogleChatACardWithTheTextEscaped() {
    provider("gchat", "gchat", "address: " + hook());
    Canary canary = podinfo("- {name: g, providerRef: {name: gchat}}");

    alerts.send(
        canary, "warn", "success rate 91.00 < 99", Map.of("Target", "Deployment/podinfo.test"));

    chat.verify(postRequestedFor(urlEqualTo("/hook")).withRequestBody(equalToJson(json("gchat"))));
  }

  @Test
  void postsAGenericWebhookTheAlertAsJsonWithItsBearerToken() {
    cluster.secret("test", "receiver", Map.of("address", hook(), "token", "s3cr3t"));
    provider("receiver", "generic", "secretRef: {name: receiver}");
    Canary canary = podinfo("- {name: mine, severity: warn, providerRef: {name: receiver}}");
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("Target", "Deployment/podinfo.test");
    fields.put("Cluster", "eu-1");

    alerts.send(canary, "warn", "Halt advancement: waiting for promotion approval gate", fields);

    chat.verify(
        postRequestedFor(urlEqualTo("/hook"))
            .withHeader("Authorization", equalTo("Bearer s3cr3t"))
            .withRequestBody(equalToJson(json("generic"))));
  }

  @Test
  void sendsAnEventOnlyToAlertsWhoseSeverityItReaches() {
    provider("slack", "slack", "address: " + hook());
    Canary canary =
        podinfo(
            """
            - {name: everything, severity: info, providerRef: {name: slack}}
            - {name: warnings, severity: warn, providerRef: {name: slack}}
            - {name: errors, severity: error, providerRef: {name: slack}}
            - {name: default, providerRef: {name: slack}}
            """);

    assertThat(alerts.send(canary, "info", "promoted", Map.of()))
        .extracting(AlertResult::alert, AlertResult::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("everything", Outcome.SENT),
            org.assertj.core.groups.Tuple.tuple("warnings", Outcome.SKIPPED_SEVERITY),
            org.assertj.core.groups.Tuple.tuple("errors", Outcome.SKIPPED_SEVERITY),
            org.assertj.core.groups.Tuple.tuple("default", Outcome.SENT));
    assertThat(alerts.send(canary, "warn", "waiting", Map.of()))
        .extracting(AlertResult::outcome)
        .containsExactly(Outcome.SENT, Outcome.SENT, Outcome.SKIPPED_SEVERITY, Outcome.SENT);
    assertThat(alerts.send(canary, "error", "rolled back", Map.of()))
        .extracting(AlertResult::outcome)
        .containsExactly(Outcome.SENT, Outcome.SENT, Outcome.SENT, Outcome.SENT);
    assertThat(alerts.send(canary, "warn", "waiting", Map.of()).get(2).message())
        .isEqualTo("warn is below the alert's severity error");
    chat.verify(12, postRequestedFor(urlEqualTo("/hook")));
  }

  @Test
  void refusesASeverityThatIsNotFlaggers() {
    Canary canary = podinfo("- {name: a, severity: critical, providerRef: {name: slack}}");

    assertThatThrownBy(() -> alerts.send(canary, "fatal", "x", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(alerts.send(canary, "error", "x", Map.of()))
        .containsExactly(
            new AlertResult("a", "test/slack", Outcome.FAILED, "unknown severity \"critical\""));
  }

  @Test
  void takesTheAddressAndTokenFromTheSecretAndShowsNeitherWhenItFails() {
    chat.stubFor(
        post(urlEqualTo("/services/T0/B0/XYZ"))
            .willReturn(aResponse().withStatus(500).withBody("internal error")));
    String secretUrl = "http://127.0.0.1:" + chat.port() + "/services/T0/B0/XYZ";
    cluster.secret("test", "slack-url", Map.of("address", secretUrl, "token", "xoxb-1"));
    provider("slack", "slack", "address: http://127.0.0.1:1/ignored\nsecretRef: {name: slack-url}");
    Canary canary = podinfo("- {name: on-call, providerRef: {name: slack}}");

    List<AlertResult> results = alerts.send(canary, "error", ROLLED_BACK, Map.of());

    chat.verify(
        postRequestedFor(urlEqualTo("/services/T0/B0/XYZ"))
            .withHeader("Authorization", equalTo("Bearer xoxb-1")));
    assertThat(results.get(0).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(results.get(0).message())
        .isEqualTo("slack: HTTP 500: internal error from 127.0.0.1:" + chat.port())
        .doesNotContain("XYZ")
        .doesNotContain("xoxb");
  }

  @Test
  void seesSlackWebApiErrorsThatComeWithA200() {
    chat.stubFor(
        post(urlEqualTo("/api/chat.postMessage"))
            .willReturn(
                aResponse().withStatus(200).withBody("{\"ok\":false,\"error\":\"invalid_auth\"}")));
    cluster.secret(
        "test",
        "bot",
        Map.of(
            "address",
            "http://127.0.0.1:" + chat.port() + "/api/chat.postMessage",
            "token",
            "xoxb-2"));
    provider("slack", "slack", "secretRef: {name: bot}");
    Canary canary = podinfo("- {name: bot, providerRef: {name: slack}}");

    assertThat(alerts.send(canary, "info", "x", Map.of()).get(0).message())
        .isEqualTo(
            "slack: Slack API at 127.0.0.1:" + chat.port() + " answered ok=false: invalid_auth");
  }

  @Test
  void findsTheProviderInTheNamespaceTheAlertNames() {
    cluster.provider(
        """
        apiVersion: mooring.dev/v1alpha1
        kind: AlertProvider
        metadata: {name: shared, namespace: flagger}
        spec: {type: msteams, address: "%s"}
        """
            .formatted(hook()));
    cluster.secret("flagger", "unused", Map.of());
    Canary canary = podinfo("- {name: ops, providerRef: {name: shared, namespace: flagger}}");

    assertThat(alerts.send(canary, "info", "x", Map.of()))
        .containsExactly(new AlertResult("ops", "flagger/shared", Outcome.SENT, ""));
  }

  @Test
  void saysWhichProviderOrSecretIsMissing() {
    provider("no-secret", "slack", "secretRef: {name: gone}");
    cluster.secret("test", "no-address", Map.of("token", ""));
    provider("empty", "slack", "secretRef: {name: no-address}");
    provider("odd", "pagerduty", "address: " + hook());
    provider("not-a-url", "slack", "address: \"hooks.slack.com/services/T0/B0/XYZ\"");
    Canary canary =
        podinfo(
            """
            - {name: a, providerRef: {name: nowhere}}
            - {name: b, providerRef: {name: no-secret}}
            - {name: c, providerRef: {name: empty}}
            - {name: d, providerRef: {name: odd}}
            - {name: e, providerRef: {name: not-a-url}}
            - {name: f}
            """);

    assertThat(alerts.send(canary, "error", "x", Map.of()))
        .extracting(AlertResult::message)
        .containsExactly(
            "AlertProvider test/nowhere not found",
            "AlertProvider test/no-secret: Secret test/gone not found",
            "AlertProvider test/empty has no address (spec.address, or the key address in its"
                + " secretRef)",
            "AlertProvider test/odd has unknown type \"pagerduty\"",
            "AlertProvider test/not-a-url: the address is not an http(s) URL",
            "the alert has no providerRef.name");
    cluster.problem = "alertproviders.mooring.dev is not served by the cluster";
    assertThat(alerts.send(canary, "error", "x", Map.of()).get(0).message())
        .isEqualTo(
            "AlertProvider test/nowhere not found: alertproviders.mooring.dev is not served by the"
                + " cluster");
    chat.verify(0, postRequestedFor(urlEqualTo("/hook")));
  }

  @Test
  void saysWhenTheSecretCannotBeRead() {
    Alerts.Secrets forbidden =
        (ns, name) -> {
          throw new IllegalStateException("secrets \"slack-url\" is forbidden");
        };
    provider("slack", "slack", "secretRef: {name: slack-url}");
    Alerts withoutRbac = new Alerts(cluster, forbidden, new AlertSender(), CLOCK);
    Canary canary = podinfo("- {name: a, providerRef: {name: slack}}");

    assertThat(withoutRbac.send(canary, "error", "x", Map.of()).get(0).message())
        .isEqualTo(
            "AlertProvider test/slack: Secret test/slack-url could not be read: secrets"
                + " \"slack-url\" is forbidden");
  }

  @Test
  void saysAnUnreachableChatByItsHostOnly() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    provider("slack", "slack", "address: http://127.0.0.1:" + closed + "/services/T0/B0/XYZ");
    Canary canary = podinfo("- {name: a, providerRef: {name: slack}}");

    AlertResult result = alerts.send(canary, "error", "x", Map.of()).get(0);

    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.message())
        .startsWith("slack: cannot connect to 127.0.0.1:" + closed)
        .doesNotContain("XYZ");
  }

  @Test
  void givesUpOnAChatThatDoesNotAnswerInTime() {
    chat.stubFor(
        post(urlEqualTo("/slow")).willReturn(aResponse().withStatus(200).withFixedDelay(2000)));
    provider("slow", "msteams", "address: http://127.0.0.1:" + chat.port() + "/slow");
    Alerts impatient = new Alerts(cluster, cluster, new AlertSender(Duration.ofMillis(300)), CLOCK);
    Canary canary = podinfo("- {name: a, providerRef: {name: slow}}");

    assertThat(impatient.send(canary, "error", "x", Map.of()).get(0).message())
        .isEqualTo("msteams: no answer from 127.0.0.1:" + chat.port() + " within 300ms");
  }

  @Test
  void postsThroughTheProvidersProxy() {
    proxy.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
    provider(
        "slack",
        "slack",
        "address: http://alerts.example.invalid:8080/hook\nproxy: http://127.0.0.1:"
            + proxy.port());
    Canary canary = podinfo("- {name: a, providerRef: {name: slack}}");

    assertThat(alerts.send(canary, "error", "x", Map.of()))
        .extracting(AlertResult::outcome)
        .containsExactly(Outcome.SENT);
    proxy.verify(
        postRequestedFor(urlEqualTo("/hook"))
            .withHeader("Host", equalTo("alerts.example.invalid:8080"))
            .withRequestBody(matchingJsonPath("$.attachments[0].text", equalTo("x"))));
    chat.verify(0, postRequestedFor(urlEqualTo("/hook")));
  }

  @Test
  void takesTheProxyFromTheSecretBeforeTheSpec() {
    proxy.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
    cluster.secret(
        "test",
        "chat",
        Map.of(
            "address", "http://alerts.example.invalid/hook", "proxy", "127.0.0.1:" + proxy.port()));
    provider("slack", "slack", "proxy: http://127.0.0.1:1\nsecretRef: {name: chat}");
    Canary canary = podinfo("- {name: a, providerRef: {name: slack}}");

    assertThat(alerts.send(canary, "error", "x", Map.of()))
        .extracting(AlertResult::outcome)
        .containsExactly(Outcome.SENT);
    proxy.verify(
        postRequestedFor(urlEqualTo("/hook"))
            .withHeader("Host", equalTo("alerts.example.invalid")));
  }

  @Test
  void refusesAProxyItWouldNotUseAsWritten() {
    provider("tls", "slack", "address: " + hook() + "\nproxy: https://proxy.example:3128");
    provider("creds", "slack", "address: " + hook() + "\nproxy: http://user:pw@proxy.example:3128");
    Canary canary =
        podinfo("- {name: a, providerRef: {name: tls}}\n- {name: b, providerRef: {name: creds}}");

    assertThat(alerts.send(canary, "error", "x", Map.of()))
        .extracting(AlertResult::message)
        .containsExactly(
            "slack: the proxy must be an http://host:port URL",
            "slack: proxy credentials are not supported");
    chat.verify(0, postRequestedFor(urlEqualTo("/hook")));
  }

  @Test
  void sendsNothingForACanaryWithoutAlerts() {
    Canary canary =
        canary(
            """
            apiVersion: mooring.dev/v1alpha1
            kind: Canary
            metadata: {name: podinfo, namespace: test}
            spec:
              targetRef: {kind: Deployment, name: podinfo}
              service: {port: 80}
            """);

    assertThat(alerts.send(canary, "error", "x", Map.of())).isEmpty();
  }

  @Test
  void alertsARecordedEventAsFlaggerWouldWithItsMetadata() {
    provider("slack", "slack", "channel: on-call\nusername: mooring-bot\naddress: " + hook());
    Canary canary = podinfo("- {name: on-call, severity: info, providerRef: {name: slack}}");

    assertThat(alerts.onEvent(canary, "Progressing", NEW_REVISION))
        .extracting(AlertResult::outcome)
        .containsExactly(Outcome.SENT);
    assertThat(alerts.onEvent(canary, "AnalysisFailed", "Halt advancement: success rate 91 < 99"))
        .isEmpty();
    chat.verify(1, postRequestedFor(urlEqualTo("/hook")));
    chat.verify(postRequestedFor(urlEqualTo("/hook")).withRequestBody(equalToJson(json("slack"))));
  }

  @Test
  void mutesTheWaitingAlertOfAWebhookWithMuteAlert() {
    provider("slack", "slack", "address: " + hook());
    Canary canary =
        canary(
            """
            apiVersion: mooring.dev/v1alpha1
            kind: Canary
            metadata: {name: podinfo, namespace: test}
            spec:
              targetRef: {kind: Deployment, name: podinfo}
              service: {port: 80}
              analysis:
                webhooks:
                - {name: quiet-gate, type: confirm-promotion, url: "http://gate/q", muteAlert: true}
                - {name: loud-gate, type: confirm-promotion, url: "http://gate/l"}
                alerts:
                - {name: a, severity: warn, providerRef: {name: slack}}
            """);

    assertThat(
            alerts.onEvent(
                canary,
                "WaitingPromotion",
                "Halt advancement: waiting for promotion approval quiet-gate (403 Forbidden)"))
        .containsExactly(
            new AlertResult(
                "a", "test/slack", Outcome.MUTED, "webhook quiet-gate has muteAlert: true"));
    assertThat(
            alerts.onEvent(
                canary,
                "WaitingPromotion",
                "Halt advancement: waiting for promotion approval loud-gate"))
        .extracting(AlertResult::outcome)
        .containsExactly(Outcome.SENT);
    chat.verify(1, postRequestedFor(urlEqualTo("/hook")));
  }

  @Test
  void showsADestinationByItsHostOnly() {
    Destination d =
        new Destination(
            ProviderType.SLACK,
            java.net.URI.create("https://hooks.slack.com/services/T0/B0/XYZ"),
            "xoxb-3",
            "http://proxy:3128",
            "flagger",
            "general");

    assertThat(d).hasToString("slack at hooks.slack.com via a proxy");
  }
}
