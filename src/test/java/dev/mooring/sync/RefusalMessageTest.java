package dev.mooring.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.sync.SyncPlanner.Candidate;
import org.junit.jupiter.api.Test;

class RefusalMessageTest {
  private static Candidate of(String group, String kind) {
    return new Candidate(
        new ResourceKey(group, kind, "ns", "x"),
        null,
        new ObjectMapper().createObjectNode(),
        null,
        false,
        SyncOptions.parse((String) null));
  }

  @Test
  void values_the_server_quotes_from_a_secret_are_masked() {
    String message =
        "Secret \"x\" is invalid: data[tok]: Invalid value: \"hunter2 \\\"quoted\\\"\": bad; type: Invalid value: \"x\"";

    String shown = Comparer.shown(of("", "Secret"), message);

    assertThat(shown).doesNotContain("hunter2").contains("data[tok]: Invalid value: \"++++++++\"");
  }

  @Test
  void other_kinds_keep_the_server_message_as_it_is() {
    String message = "spec.replicas: Invalid value: -1: must be greater than or equal to 0";

    assertThat(Comparer.shown(of("apps", "Deployment"), message)).isEqualTo(message);
  }
}
