package dev.mooring.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's crds/ are copies of config/crd/ (generated from the model classes); this keeps them
 * from drifting. After regenerating, copy: {@code cp config/crd/*.yml charts/mooring/crds/}.
 */
class ChartCrdsTest {
  private static final Path GENERATED = Path.of("config/crd");
  private static final Path CHART = Path.of("charts/mooring/crds");

  @Test
  void theChartHoldsExactlyTheGeneratedCrds() throws IOException {
    assertThat(names(CHART)).isNotEmpty().isEqualTo(names(GENERATED));
    for (String name : names(GENERATED)) {
      assertThat(Files.readString(CHART.resolve(name)))
          .as("charts/mooring/crds/%s differs from config/crd/%s", name, name)
          .isEqualTo(Files.readString(GENERATED.resolve(name)));
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
