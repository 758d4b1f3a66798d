package dev.mooring.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * End to end with a real {@code git push}: the bare repository's post-receive hook signs and POSTs
 * a generic webhook to the running Mooring, which applies the pushed change. The app polls only
 * every 10 minutes, so the webhook is what makes it fast.
 */
@QuarkusTest
@WithRealKubernetes
class GitPushWebhookTest {
  static final String SECRET = "hunter2-Webhook-Key-7f3a"; // %test.mooring.webhook.generic.secret

  @Inject KubernetesClient client;

  @TestHTTPResource("/api/webhook")
  URL webhook;

  @Test
  void aGitPushIsAppliedThroughThePostReceiveHook() throws Exception {
    Path tmp = Files.createTempDirectory("mooring-push");
    GitRepo origin = GitRepo.initBare(tmp.resolve("origin.git"));
    GitRepo work = GitRepo.init(tmp.resolve("work"));
    work.write("app/cm.yaml", cm("blue")).commit("first");
    work.push(origin.url(), "main:main");
    installHook(origin.dir(), origin.url());

    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("push").endMetadata().build())
        .createOr(n -> n.update());
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("push").build());
    app.setSpec(new ApplicationSpec());
    app.getSpec().source = new ApplicationSpec.Source();
    app.getSpec().source.repoURL = origin.url();
    app.getSpec().source.targetRevision = "main";
    app.getSpec().source.path = "app";
    app.getSpec().refreshInterval = "10m";
    app.getSpec().syncPolicy = new ApplicationSpec.SyncPolicy();
    app.getSpec().syncPolicy.automated = new ApplicationSpec.Automated();
    client.resource(app).create();
    await().atMost(Duration.ofSeconds(20)).until(() -> color() != null && color().equals("blue"));

    work.write("app/cm.yaml", cm("green")).commit("second");
    long start = System.nanoTime();
    work.push(origin.url(), "main:main");

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> "green".equals(color()));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(millis).as("push to applied, well before the 10 minute poll").isLessThan(10_000);
    assertThat(client.v1().events().inNamespace("push").list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("WebhookRefresh"));
  }

  private String color() {
    ConfigMap cm = client.configMaps().inNamespace("push").withName("settings").get();
    return cm == null ? null : cm.getData().get("color");
  }

  private void installHook(Path bare, String repoURL) throws Exception {
    Path hook = bare.resolve("hooks/post-receive");
    String script =
        String.join(
            "\n",
            "#!/bin/sh",
            "while read old new ref; do",
            "  body=$(printf '{\"repoURL\":\"%s\",\"ref\":\"%s\",\"after\":\"%s\"}' '"
                + repoURL
                + "' \"$ref\" \"$new\")",
            "  sig=$(printf '%s' \"$body\" | openssl dgst -sha256 -hmac '"
                + SECRET
                + "' | sed 's/^.*= //')",
            "  curl -s -o /dev/null -X POST -H 'Content-Type: application/json' \\",
            "    -H \"X-Mooring-Signature: sha256=$sig\" -H \"X-Mooring-Delivery: push-$new\" \\",
            "    --data-binary \"$body\" '" + webhook + "'",
            "done",
            "");
    Files.writeString(hook, script);
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static String cm(String color) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {color: "
        + color
        + "}\n";
  }
}
