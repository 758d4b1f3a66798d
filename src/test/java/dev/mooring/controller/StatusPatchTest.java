package dev.mooring.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class StatusPatchTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void only_changed_entries_of_a_long_list_and_changed_fields_are_sent() throws Exception {
    ObjectNode before = status(1000, -1);
    ObjectNode after = status(1000, 7);
    after.put("reconciledAt", "later");
    after.remove("gone");

    ArrayNode patch = JSON.createArrayNode();
    StatusWriter.statusPatch(before, after, patch);

    assertThat(patch.findValuesAsText("path"))
        .containsExactlyInAnyOrder("/status/resources/7", "/status/reconciledAt", "/status/gone");
    assertThat(patch.toString()).hasSizeLessThan(400);
  }

  @Test
  void a_list_that_grew_is_replaced_and_keys_are_escaped() throws Exception {
    ObjectNode before = status(2, -1);
    ObjectNode after = status(3, -1);
    after.put("a/b~c", "x");

    ArrayNode patch = JSON.createArrayNode();
    StatusWriter.statusPatch(before, after, patch);

    assertThat(patch.findValuesAsText("path"))
        .containsExactlyInAnyOrder("/status/resources", "/status/a~1b~0c");
    // "add", not "replace": it also holds when the stored status omits what the read copy
    // defaulted (an empty list), where a "replace" is refused
    assertThat(patch.findValuesAsText("op")).containsOnly("add");
  }

  private static ObjectNode status(int resources, int changed) {
    ObjectNode status = JSON.createObjectNode();
    ArrayNode list = status.putArray("resources");
    for (int i = 0; i < resources; i++) {
      list.addObject().put("name", "o-" + i).put("status", i == changed ? "OutOfSync" : "Synced");
    }
    status.put("gone", "x");
    status.put("reconciledAt", "now");
    return status;
  }
}
