package dev.mooring.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {

  private static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  @Test
  void equal_texts_give_an_empty_diff() {
    assertThat(UnifiedDiff.of("a", "b", "x\ny\n", "x\ny\n")).isEmpty();
  }

  @Test
  void one_changed_line_gets_three_lines_of_context_each_side() {
    String from = lines("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    String to = lines("a", "b", "c", "d", "E", "f", "g", "h", "i", "j");

    assertThat(UnifiedDiff.of("live", "desired", from, to))
        .isEqualTo(
            lines(
                "--- live",
                "+++ desired",
                "@@ -2,7 +2,7 @@",
                " b",
                " c",
                " d",
                "-e",
                "+E",
                " f",
                " g",
                " h"));
  }

  @Test
  void distant_changes_get_separate_hunks_and_near_ones_share_one() {
    List<String> from = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      from.add("l" + i);
    }
    List<String> to = new ArrayList<>(from);
    to.set(1, "L2");
    to.remove(17); // l18: nine unchanged lines away, a hunk of its own
    to.add(8, "new"); // six unchanged lines after l2: joins its hunk

    String diff = UnifiedDiff.of("a", "b", String.join("\n", from), String.join("\n", to));

    assertThat(diff)
        .isEqualTo(
            lines(
                "--- a",
                "+++ b",
                "@@ -1,11 +1,12 @@",
                " l1",
                "-l2",
                "+L2",
                " l3",
                " l4",
                " l5",
                " l6",
                " l7",
                " l8",
                "+new",
                " l9",
                " l10",
                " l11",
                "@@ -15,6 +16,5 @@",
                " l15",
                " l16",
                " l17",
                "-l18",
                " l19",
                " l20"));
  }

  @Test
  void a_new_text_is_one_hunk_from_line_zero() {
    assertThat(UnifiedDiff.of("live", "desired", "", "a\nb\n"))
        .isEqualTo(lines("--- live", "+++ desired", "@@ -0,0 +1,2 @@", "+a", "+b"));
  }

  @Test
  void a_removed_text_is_one_hunk_to_line_zero() {
    assertThat(UnifiedDiff.of("live", "desired", "a\nb\n", ""))
        .isEqualTo(lines("--- live", "+++ desired", "@@ -1,2 +0,0 @@", "-a", "-b"));
  }

  @Test
  void the_edit_script_is_a_shortest_one() {
    String diff =
        UnifiedDiff.of(
            "a",
            "b",
            lines("A", "B", "C", "A", "B", "B", "A"),
            lines("C", "B", "A", "B", "A", "C"));

    long edits = diff.lines().skip(3).filter(l -> l.startsWith("-") || l.startsWith("+")).count();
    assertThat(edits).isEqualTo(5);
    assertThat(apply(lines("A", "B", "C", "A", "B", "B", "A"), diff))
        .isEqualTo(lines("C", "B", "A", "B", "A", "C"));
  }

  @Test
  void applying_the_diff_to_the_old_text_gives_the_new_text() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      List<String> from = new ArrayList<>();
      int n = random.nextInt(60);
      for (int i = 0; i < n; i++) {
        from.add("line " + random.nextInt(12));
      }
      List<String> to = new ArrayList<>(from);
      for (int e = random.nextInt(8); e > 0; e--) {
        int at = to.isEmpty() ? 0 : random.nextInt(to.size());
        switch (random.nextInt(3)) {
          case 0 -> to.add(at, "inserted " + random.nextInt(5));
          case 1 -> {
            if (!to.isEmpty()) {
              to.remove(at);
            }
          }
          default -> {
            if (!to.isEmpty()) {
              to.set(at, "changed " + random.nextInt(5));
            }
          }
        }
      }
      String a = from.isEmpty() ? "" : String.join("\n", from) + "\n";
      String b = to.isEmpty() ? "" : String.join("\n", to) + "\n";

      assertThat(apply(a, UnifiedDiff.of("a", "b", a, b))).as("round %d", round).isEqualTo(b);
    }
  }

  /** A strict patch: every context and removed line must match the old text. */
  private static String apply(String text, String diff) {
    List<String> old = UnifiedDiff.lines(text);
    List<String> out = new ArrayList<>();
    int next = 0;
    List<String> patch = UnifiedDiff.lines(diff);
    for (int i = 2; i < patch.size(); i++) {
      String line = patch.get(i);
      if (line.startsWith("@@")) {
        String[] from = line.split(" ")[1].substring(1).split(",");
        int start = Integer.parseInt(from[0]) - (Integer.parseInt(from[1]) == 0 ? 0 : 1);
        while (next < start) {
          out.add(old.get(next++));
        }
      } else if (line.startsWith("+")) {
        out.add(line.substring(1));
      } else {
        assertThat(old.get(next)).isEqualTo(line.substring(1));
        if (line.startsWith(" ")) {
          out.add(old.get(next));
        }
        next++;
      }
    }
    while (next < old.size()) {
      out.add(old.get(next++));
    }
    return out.isEmpty() ? "" : String.join("\n", out) + "\n";
  }
}
