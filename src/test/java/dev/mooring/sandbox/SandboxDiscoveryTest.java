package dev.mooring.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SandboxDiscoveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void printerColumnPathsReachFieldsAndListEntries() throws Exception {
    JsonNode pipeline =
        JSON.readTree(
            "{\"status\": {\"stages\": [{\"summary\": \"dev: abc/Succeeded\"},"
                + " {\"summary\": \"staging: -/WaitingApproval\"}]}}");
    assertThat(SandboxDiscovery.at(pipeline, ".status.stages[1].summary").asText())
        .isEqualTo("staging: -/WaitingApproval");
    assertThat(SandboxDiscovery.at(pipeline, ".status.stages[2].summary")).isNull();
    assertThat(SandboxDiscovery.at(pipeline, ".status.sync.status")).isNull();
  }

  @Test
  void agesAreWrittenAsKubectlWritesThem() {
    Instant now = Instant.now();
    assertThat(SandboxDiscovery.age(now.minusSeconds(45).toString())).isEqualTo("45s");
    assertThat(SandboxDiscovery.age(now.minusSeconds(192).toString())).isEqualTo("3m12s");
    assertThat(SandboxDiscovery.age(now.minusSeconds(4 * 3600 + 5).toString())).isEqualTo("4h");
    assertThat(SandboxDiscovery.age(now.minusSeconds(4 * 3600 + 1800).toString()))
        .isEqualTo("4h30m");
    assertThat(SandboxDiscovery.age(now.minusSeconds(3 * 86400).toString())).isEqualTo("3d");
    assertThat(SandboxDiscovery.age("not a time")).isEqualTo("<unknown>");
  }
}
