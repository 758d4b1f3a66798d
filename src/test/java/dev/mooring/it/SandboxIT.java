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
 * approval, which a sandbox token gives.
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
    try (MooringProcess mooring =
        MooringProcess.start(
            new MooringProcess.Launch("sandbox", dir)
                .env("MOORING_SANDBOX", "true")
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
      assertThat(mooring.log())
          .doesNotContain("Missing field")
          .contains("registered Pipeline mooring/shop");
    }
  }

  private static String headOfCheckout() throws Exception {
    Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
    String out = new String(git.getInputStream().readAllBytes()).trim();
    git.waitFor();
    return out;
  }
}
