package dev.mooring.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Asserts that everything a user wrote is still in a serialised tree: every field of the expected
 * tree is present with an equal value. Numbers compare by value, since 99 written by a user comes
 * back as 99.0 from a Double field.
 */
final class TreeContains {
  private TreeContains() {}

  static void assertTreeContains(JsonNode expected, JsonNode actual) {
    check(expected, actual, "$");
  }

  private static void check(JsonNode expected, JsonNode actual, String path) {
    if (expected.isNull()) {
      return;
    }
    assertThat(actual).as("missing %s", path).isNotNull();
    if (expected.isObject()) {
      assertThat(actual.isObject()).as("%s is an object", path).isTrue();
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        check(field.getValue(), actual.get(field.getKey()), path + "." + field.getKey());
      }
    } else if (expected.isArray()) {
      assertThat(actual.isArray()).as("%s is an array", path).isTrue();
      assertThat(actual.size()).as("size of %s", path).isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        check(expected.get(i), actual.get(i), path + "[" + i + "]");
      }
    } else if (expected.isNumber()) {
      assertThat(actual.isNumber()).as("%s is a number", path).isTrue();
      assertThat(actual.decimalValue()).as(path).isEqualByComparingTo(expected.decimalValue());
    } else {
      assertThat(actual).as(path).isEqualTo(expected);
    }
  }
}
