package dev.mooring.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** POST /api/webhook for every provider, against the running application. */
@QuarkusTest
@WithRealKubernetes
class WebhookEndpointTest {
  @Inject KubernetesClient client;

  @ParameterizedTest
  @EnumSource(Provider.class)
  void aSignedPushRefreshesOnlyTheApplicationsWhosePathItTouched(Provider provider) {
    PushEvent push = parse(provider);
    String ns = "wh-" + provider.configKey();
    String touchedPath =
        push.changedFiles() == null || push.changedFiles().isEmpty()
            ? ""
            : folderOf(push.changedFiles().get(0));
    createApp(ns, "touched", push.repoURLs().get(0), branch(push.ref()), touchedPath);
    createApp(ns, "elsewhere", push.repoURLs().get(0), branch(push.ref()), "no/such/folder");
    createApp(ns, "other-branch", push.repoURLs().get(0), "some-other-branch", touchedPath);
    awaitIndexed(ns, "touched");
    awaitIndexed(ns, "elsewhere");
    awaitIndexed(ns, "other-branch");

    Response answer = post(Deliveries.push(provider));

    assertThat(answer.statusCode()).isEqualTo(202);
    List<String> apps = answer.jsonPath().getList("applications");
    List<String> mine = apps.stream().filter(a -> a.startsWith(ns + "/")).toList();
    if (push.changedFiles() == null) {
      // the provider lists no files: every app on the repository and ref refreshes
      assertThat(mine).containsExactlyInAnyOrder(ns + "/touched", ns + "/elsewhere");
    } else {
      assertThat(mine).containsExactly(ns + "/touched");
    }
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void aForgedOrMissingSignatureGets401(Provider provider) {
    Deliveries.Delivery good = Deliveries.push(provider);
    Deliveries.Delivery forged;
    if (provider == Provider.GITLAB) {
      // GitLab and Bitbucket Cloud send a token, not a signature of the body
      forged = good.withHeader("X-Gitlab-Token", "not-the-token");
    } else if (provider == Provider.BITBUCKET_CLOUD) {
      forged = good.withHeader("X-Hook-UUID", "00000000-0000-0000-0000-000000000000");
    } else {
      byte[] tampered = good.body().clone();
      int i = new String(tampered).indexOf("refs/");
      tampered[i + 5] = (byte) (tampered[i + 5] == 'h' ? 'x' : 'h');
      forged = good.withBody(tampered);
    }
    assertThat(post(forged).statusCode()).isEqualTo(401);

    Deliveries.Delivery unsigned =
        Deliveries.delivery(
            provider, Deliveries.pushEvent(provider), Deliveries.pushFixture(provider), null);
    Response answer = post(unsigned);
    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.asString()).doesNotContain(Deliveries.secretOf(provider));
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void aPingOrUnrelatedEventIsHarmless(Provider provider) {
    Deliveries.Delivery other =
        Deliveries.delivery(
            provider,
            "unrelated-event",
            Deliveries.pushFixture(provider),
            Deliveries.secretOf(provider));
    if (provider == Provider.GITLAB) {
      other =
          Deliveries.delivery(
              provider,
              "Issue Hook",
              Deliveries.pushFixture(provider),
              Deliveries.secretOf(provider));
    } else if (provider == Provider.BITBUCKET_CLOUD) {
      other =
          Deliveries.delivery(
              provider,
              "repo:fork",
              Deliveries.pushFixture(provider),
              Deliveries.secretOf(provider));
    } else if (provider == Provider.BITBUCKET_SERVER) {
      other =
          Deliveries.delivery(
              provider,
              "diagnostics:ping",
              "bitbucket-server/ping.json",
              Deliveries.secretOf(provider));
    } else if (provider == Provider.GENERIC) {
      other =
          Deliveries.delivery(
              provider, "ping", Deliveries.pushFixture(provider), Deliveries.secretOf(provider));
    }
    Response answer = post(other);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.jsonPath().getList("applications")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Provider.class)
  void anOversizedBodyGets413(Provider provider) {
    byte[] big = new byte[70 * 1024];
    java.util.Arrays.fill(big, (byte) ' ');
    Deliveries.Delivery huge =
        Deliveries.sign(
            provider, Deliveries.pushEvent(provider), big, Deliveries.secretOf(provider));
    assertThat(post(huge).statusCode()).isEqualTo(413);
  }

  @org.junit.jupiter.api.Test
  void aBodyWithoutAnyProviderHeaderGets400() {
    Response answer = given().contentType("application/json").body("{}").post("/api/webhook");
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.jsonPath().getString("error")).isNotBlank();
  }

  private static Response post(Deliveries.Delivery delivery) {
    RequestSpecification request = given().body(delivery.body());
    for (var h : delivery.headers().entrySet()) {
      request = request.header(h.getKey(), h.getValue());
    }
    return request.post("/api/webhook");
  }

  private static PushEvent parse(Provider provider) {
    WebhookOutcome outcome = Deliveries.push(provider).parseWith(Deliveries.secretsFor(provider));
    assertThat(outcome).isInstanceOf(WebhookOutcome.Push.class);
    return ((WebhookOutcome.Push) outcome).event();
  }

  private static String branch(String ref) {
    return ref.startsWith("refs/heads/")
        ? ref.substring(11)
        : ref.startsWith("refs/tags/") ? ref.substring(10) : ref;
  }

  private static String folderOf(String file) {
    int slash = file.lastIndexOf('/');
    return slash < 0 ? "" : file.substring(0, slash);
  }

  private void createApp(String ns, String name, String repo, String revision, String path) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .createOr(n -> n.update());
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    ApplicationSpec spec = new ApplicationSpec();
    spec.source = new ApplicationSpec.Source();
    spec.source.repoURL = repo;
    spec.source.targetRevision = revision;
    spec.source.path = path;
    spec.refreshInterval = "10m";
    app.setSpec(spec);
    client.resource(app).createOr(a -> a.update());
  }

  private static void awaitIndexed(String ns, String name) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> given().get("/api/v1/applications/" + ns + "/" + name).statusCode() == 200);
  }

  static String lower(Provider p) {
    return p.name().toLowerCase(Locale.ROOT);
  }
}
