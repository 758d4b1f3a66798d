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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * End to end with a real {@code git push}: the bare repository's post-receive hook signs and POSTs
 * a generic webhook to the running Mooring, which applies the pushed change. The app polls only
 * every 10 minutes, so the webhook is what makes it fast. The hook is the README's, as printed
 * there, so that the README cannot drift from what works.
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
    installHook(origin.dir());

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
    String pushed = work.git("rev-parse", "HEAD").trim();
    long start = System.nanoTime();
    String output = pushWithHookEnvironment(work.dir(), origin.url());
    assertThat(output)
        .as("the hook's curl prints Mooring's answer, which git relays")
        .contains(
            "remote: {", "\"applications\":[\"push/web\"]", "\"message\":\"refreshing\"}", " 202");

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> "green".equals(color()));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(millis).as("push to applied, well before the 10 minute poll").isLessThan(10_000);
    assertThat(client.v1().events().inNamespace("push").list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("WebhookRefresh"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              Application synced =
                  client.resources(Application.class).inNamespace("push").withName("web").get();
              return synced.getStatus() != null
                  && pushed.equals(synced.getStatus().sync.revision)
                  && "Synced".equals(synced.getStatus().sync.status);
            });
  }

  /**
   * {@code git push} with the git CLI, which runs the bare repository's hooks, in the environment
   * the README's hook expects: REPO_URL, SECRET, MOORING. Its output, the hook's included.
   */
  private String pushWithHookEnvironment(Path work, String origin) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("git", "push", origin, "main:main")
            .directory(work.toFile())
            .redirectErrorStream(true);
    pb.environment().put("REPO_URL", origin);
    pb.environment().put("SECRET", SECRET);
    String base = webhook.toString();
    pb.environment().put("MOORING", base.substring(0, base.indexOf("/api/webhook")));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("git push:%n%s", out).isZero();
    return out;
  }

  /**
   * The README's post-receive hook: the first {@code sh} block after the sentence that introduces
   * it, verbatim.
   */
  static String readmeHook() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int intro = readme.indexOf("A post-receive hook for a plain Git server");
    assertThat(intro).as("README introduces the post-receive hook").isNotNegative();
    int start = readme.indexOf("```sh\n", intro);
    int end = readme.indexOf("\n```", start + 6);
    assertThat(start).isNotNegative();
    assertThat(end).isGreaterThan(start);
    return readme.substring(start + "```sh\n".length(), end + 1);
  }

  private String color() {
    ConfigMap cm = client.configMaps().inNamespace("push").withName("settings").get();
    return cm == null ? null : cm.getData().get("color");
  }

  private void installHook(Path bare) throws Exception {
    String script = readmeHook();
    assertThat(script).startsWith("#!/bin/sh\n").contains("-H 'Content-Type: application/json'");
    Path hook = bare.resolve("hooks/post-receive");
    Files.writeString(hook, script);
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static String cm(String color) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {color: "
        + color
        + "}\n";
  }
}
