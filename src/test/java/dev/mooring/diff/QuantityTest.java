package dev.mooring.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class QuantityTest {

  private static BigDecimal value(String text) {
    return Quantity.parse(text).orElseThrow();
  }

  @Test
  void decimal_binary_and_exponent_forms_are_parsed_exactly() {
    assertThat(value("1000m")).isEqualByComparingTo("1");
    assertThat(value("0.5")).isEqualByComparingTo(value("500m"));
    assertThat(value("1Gi")).isEqualByComparingTo("1073741824");
    assertThat(value("512Mi")).isEqualByComparingTo("536870912");
    assertThat(value("1k")).isEqualByComparingTo("1000");
    assertThat(value("1e3")).isEqualByComparingTo("1000");
    assertThat(value("1E3")).isEqualByComparingTo("1000");
    assertThat(value("2E")).isEqualByComparingTo("2000000000000000000");
    assertThat(value("1.5Ki")).isEqualByComparingTo("1536");
    assertThat(value("100n")).isEqualByComparingTo("0.0000001");
    assertThat(value("-2")).isEqualByComparingTo("-2");
    assertThat(value(".5")).isEqualByComparingTo("0.5");
  }

  @Test
  void text_that_is_not_a_quantity_is_not_parsed() {
    assertThat(Quantity.parse("nginx:1.27")).isEmpty();
    assertThat(Quantity.parse("1X")).isEmpty();
    assertThat(Quantity.parse("1e")).isEmpty();
    assertThat(Quantity.parse("")).isEmpty();
    assertThat(Quantity.parse(null)).isEmpty();
    assertThat(Quantity.parse("Gi")).isEmpty();
  }

  @Test
  void a_decimal_and_a_binary_suffix_of_the_same_letter_differ() {
    assertThat(Quantity.sameValue("1G", "1Gi")).isFalse();
    assertThat(Quantity.sameValue("1M", "1000k")).isTrue();
  }
}
