package dev.mooring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The run command as a new user runs it, with no cluster: the in-memory sandbox syncs {@code
 * manifests-example/}, and the {@code pipeline-example/} pipeline shows staging waiting for an
 * approval, which a sandbox token gives. The kubeconfig the sandbox writes works with kubectl, with
 * the commands the README shows.
 */
class SandboxIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode get(MooringProcess mooring, String path) throws Exception {
    return JSON.readTree(URI.create(mooring.url() + path).toURL());
  }

  private static String phase(JsonNode pipeline, String stage) {
    for (JsonNode s : pipeline.path("status").path("stages")) {
      if (stage.equals(s.path("name").asText())) {
        return s.path("phase").asText();
      }
    }
    return null;
  }

  @Test
  void theSandboxSyncsTheExampleAndShowsAPipelineWaitingForApproval() throws Exception {
    Path dir = Files.createTempDirectory("mooring-sandbox");
    Path kubeconfig = dir.resolve("sandbox").resolve("kubeconfig");
    try (MooringProcess mooring =
        MooringProcess.start(
            new MooringProcess.Launch("sandbox", dir)
                .env("MOORING_SANDBOX", "true")
                .env("MOORING_SANDBOX_KUBECONFIG", kubeconfig.toString())
                .env("MOORING_API_TOKENS", ""))) {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () -> {
                assertThat(mooring.alive()).as("running; log:%n%s", mooring.log()).isTrue();
                return "WaitingApproval"
                    .equals(phase(get(mooring, "/api/v1/pipelines/mooring/shop"), "staging"));
              });
      JsonNode example = get(mooring, "/api/v1/applications/mooring/example");
      assertThat(example.path("status").path("sync").path("status").asText()).isEqualTo("Synced");
      String revision = example.path("status").path("sync").path("revision").asText();
      assertThat(mooring.log())
          .contains(
              "kubeconfig written to " + kubeconfig,
              "try: kubectl --kubeconfig " + kubeconfig + " get applications -A");
      // the README's commands, as printed there
      assertThat(kubectl(kubeconfig, "get", "applications", "-A"))
          .containsPattern("NAMESPACE +NAME +SYNC +HEALTH +REVISION +AGE")
          .containsPattern("mooring +example +Synced +Progressing +" + revision);
      assertThat(kubectl(kubeconfig, "get", "configmaps,secrets,deployments", "-n", "example"))
          .contains(
              "configmap/guestbook-config", "secret/guestbook-secret", "deployment.apps/guestbook");
      assertThat(kubectl(kubeconfig, "get", "pipelines"))
          .containsPattern("shop +dev: " + revision.substring(0, 7) + "/Succeeded");
      assertThat(
              kubectl(
                  kubeconfig,
                  "-n",
                  "example",
                  "get",
                  "configmap",
                  "guestbook-config",
                  "-o",
                  "jsonpath={.data.GREETING}"))
          .isEqualTo("Hello from Mooring");
      String head = headOfCheckout();
      int code =
          mooring.post(
              "/api/v1/pipelines/mooring/shop/stages/staging/approvals",
              "{\"revision\": \"" + head + "\"}",
              Map.of("Authorization", "Bearer sandbox-alice", "Content-Type", "application/json"));
      assertThat(code).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(
              () ->
                  "WaitingApproval"
                      .equals(phase(get(mooring, "/api/v1/pipelines/mooring/shop"), "production")));
      // 20 concurrent sync requests: one 202 and 19 409s, at once (the in-memory server once
      // left the losers without an answer until a 10 s timeout turned them into 500s)
      var pool = java.util.concurrent.Executors.newFixedThreadPool(20);
      var answers = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
      long t0 = System.nanoTime();
      for (int i = 0; i < 20; i++) {
        answers.add(
            pool.submit(
                () ->
                    mooring.post(
                        "/api/v1/applications/mooring/example/sync",
                        "{}",
                        Map.of("Content-Type", "application/json"))));
      }
      var codes = new java.util.ArrayList<Integer>();
      for (var a : answers) {
        codes.add(a.get());
      }
      pool.shutdown();
      System.out.printf(
          "sandbox: 20 concurrent syncs answered %s in %d ms%n",
          codes, (System.nanoTime() - t0) / 1_000_000);
      assertThat(codes).containsOnly(202, 409);
      assertThat(codes.stream().filter(c -> c == 202)).hasSize(1);
      assertThat(mooring.log())
          .doesNotContain("Missing field")
          .contains("registered Pipeline mooring/shop");
      assertThat(mooring.terminate(Duration.ofSeconds(30))).isNotNull();
      assertThat(kubeconfig).as("removed when Mooring stops").doesNotExist();
    }
  }

  /** kubectl's output (stdout and stderr); fails the test when kubectl fails. */
  private static String kubectl(Path kubeconfig, String... args) throws Exception {
    java.util.List<String> command =
        new java.util.ArrayList<>(
            java.util.List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(java.util.List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("HOME", kubeconfig.getParent().toString()); // its own discovery cache
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s:%n%s", command, out).isZero();
    return out;
  }

  private static String headOfCheckout() throws Exception {
    Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
    String out = new String(git.getInputStream().readAllBytes()).trim();
    git.waitFor();
    return out;
  }
}
