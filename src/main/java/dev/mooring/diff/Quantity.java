package dev.mooring.diff;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities ({@code 500m}, {@code 1Gi}, {@code 1e3}) as exact decimal values.
 *
 * <p>The API server stores quantities in canonical form, so {@code cpu: "1"} in Git may come back
 * as {@code "1000m"} or the other way round; comparing values rather than text avoids a phantom
 * diff.
 */
public final class Quantity {

  private static final Pattern FORM =
      Pattern.compile(
          "^([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))([a-zA-Z]{0,2}|[eE][+-]?[0-9]{1,3})$");

  private static final Map<String, BigDecimal> SUFFIXES =
      Map.ofEntries(
          Map.entry("", BigDecimal.ONE),
          Map.entry("n", new BigDecimal("1e-9")),
          Map.entry("u", new BigDecimal("1e-6")),
          Map.entry("m", new BigDecimal("1e-3")),
          Map.entry("k", new BigDecimal("1e3")),
          Map.entry("M", new BigDecimal("1e6")),
          Map.entry("G", new BigDecimal("1e9")),
          Map.entry("T", new BigDecimal("1e12")),
          Map.entry("P", new BigDecimal("1e15")),
          Map.entry("E", new BigDecimal("1e18")),
          Map.entry("Ki", BigDecimal.valueOf(2).pow(10)),
          Map.entry("Mi", BigDecimal.valueOf(2).pow(20)),
          Map.entry("Gi", BigDecimal.valueOf(2).pow(30)),
          Map.entry("Ti", BigDecimal.valueOf(2).pow(40)),
          Map.entry("Pi", BigDecimal.valueOf(2).pow(50)),
          Map.entry("Ei", BigDecimal.valueOf(2).pow(60)));

  private Quantity() {}

  /**
   * The value of a quantity string, or empty when the text is not a quantity.
   *
   * @param text e.g. {@code "250m"}, {@code "512Mi"}, {@code "1.5"}, {@code "1e3"}
   */
  public static Optional<BigDecimal> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    BigDecimal number = new BigDecimal(m.group(1));
    String suffix = m.group(2);
    if (!suffix.isEmpty() && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
      // "1E" alone is exa (caught below); "1E3" is an exponent.
      if (suffix.length() > 1) {
        return Optional.of(number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1))));
      }
    }
    BigDecimal factor = SUFFIXES.get(suffix);
    return factor == null ? Optional.empty() : Optional.of(number.multiply(factor));
  }

  /** True when both texts are quantities of the same value. */
  public static boolean sameValue(String a, String b) {
    Optional<BigDecimal> x = parse(a);
    Optional<BigDecimal> y = parse(b);
    return x.isPresent() && y.isPresent() && x.get().compareTo(y.get()) == 0;
  }
}
