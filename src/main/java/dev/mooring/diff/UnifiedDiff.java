package dev.mooring.diff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Line-based unified diff (Myers' algorithm) with three lines of context, as {@code diff -u} prints
 * it, except that every hunk header carries both counts ({@code @@ -a,b +c,d @@}).
 */
public final class UnifiedDiff {

  private static final int CONTEXT = 3;

  /**
   * Above this many differing lines Myers' search stops and the differing middle is shown as all
   * removed, then all added: still a correct diff, found in bounded memory.
   */
  private static final int MAX_EDITS = 2000;

  private UnifiedDiff() {}

  /** One line of the edit script: {@code ' '} kept, {@code '-'} removed, {@code '+'} added. */
  private record Line(char op, String text) {}

  /**
   * The unified diff from {@code fromText} to {@code toText}, or {@code ""} when they have the same
   * lines.
   */
  public static String of(String fromName, String toName, String fromText, String toText) {
    List<Line> script = script(lines(fromText), lines(toText));
    if (script.stream().allMatch(l -> l.op() == ' ')) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    out.append("--- ").append(fromName).append('\n');
    out.append("+++ ").append(toName).append('\n');
    int i = 0;
    int aLine = 0;
    int bLine = 0;
    while (i < script.size()) {
      int firstChange = nextChange(script, i);
      if (firstChange < 0) {
        break;
      }
      int start = Math.max(i, firstChange - CONTEXT);
      aLine += start - i;
      bLine += start - i;
      // Changes closer than twice the context share one hunk.
      int lastChange = firstChange;
      int after = nextChange(script, lastChange + 1);
      while (after >= 0 && after - lastChange - 1 <= 2 * CONTEXT) {
        lastChange = after;
        after = nextChange(script, lastChange + 1);
      }
      int stop = Math.min(script.size(), lastChange + 1 + CONTEXT);
      int aCount = 0;
      int bCount = 0;
      StringBuilder body = new StringBuilder();
      for (int k = start; k < stop; k++) {
        Line line = script.get(k);
        aCount += line.op() == '+' ? 0 : 1;
        bCount += line.op() == '-' ? 0 : 1;
        body.append(line.op()).append(line.text()).append('\n');
      }
      out.append("@@ -").append(range(aLine, aCount)).append(" +").append(range(bLine, bCount));
      out.append(" @@\n").append(body);
      aLine += aCount;
      bLine += bCount;
      i = stop;
    }
    return out.toString();
  }

  private static String range(int before, int count) {
    return (count == 0 ? before : before + 1) + "," + count;
  }

  private static int nextChange(List<Line> script, int from) {
    for (int k = from; k < script.size(); k++) {
      if (script.get(k).op() != ' ') {
        return k;
      }
    }
    return -1;
  }

  static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    Collections.addAll(out, text.split("\n", -1));
    if (text.endsWith("\n")) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  /** The edit script turning {@code a} into {@code b}. */
  private static List<Line> script(List<String> a, List<String> b) {
    int prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < a.size() - prefix
        && suffix < b.size() - prefix
        && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
      suffix++;
    }
    List<Line> out = new ArrayList<>();
    a.subList(0, prefix).forEach(t -> out.add(new Line(' ', t)));
    List<String> midA = a.subList(prefix, a.size() - suffix);
    List<String> midB = b.subList(prefix, b.size() - suffix);
    List<Line> middle = myers(midA, midB);
    if (middle == null) {
      midA.forEach(t -> out.add(new Line('-', t)));
      midB.forEach(t -> out.add(new Line('+', t)));
    } else {
      out.addAll(middle);
    }
    a.subList(a.size() - suffix, a.size()).forEach(t -> out.add(new Line(' ', t)));
    return out;
  }

  /** Myers' O((N+M)D) shortest edit script, or null when it needs more than MAX_EDITS edits. */
  private static List<Line> myers(List<String> a, List<String> b) {
    int n = a.size();
    int m = b.size();
    int max = n + m;
    int offset = max + 1;
    int[] v = new int[2 * max + 3];
    // trace.get(d) holds v[-d..d] as it was before step d, for walking the path back.
    List<int[]> trace = new ArrayList<>();
    for (int d = 0; d <= max; d++) {
      if (d > MAX_EDITS) {
        return null;
      }
      int[] snapshot = new int[2 * d + 1];
      System.arraycopy(v, offset - d, snapshot, 0, 2 * d + 1);
      trace.add(snapshot);
      for (int k = -d; k <= d; k += 2) {
        int x =
            (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                ? v[offset + k + 1]
                : v[offset + k - 1] + 1;
        int y = x - k;
        while (x < n && y < m && a.get(x).equals(b.get(y))) {
          x++;
          y++;
        }
        v[offset + k] = x;
        if (x >= n && y >= m) {
          return backtrack(a, b, trace, d);
        }
      }
    }
    throw new IllegalStateException("unreachable: an edit script always exists");
  }

  private static List<Line> backtrack(List<String> a, List<String> b, List<int[]> trace, int dEnd) {
    List<Line> out = new ArrayList<>();
    int x = a.size();
    int y = b.size();
    for (int d = dEnd; d > 0; d--) {
      int[] vd = trace.get(d);
      int k = x - y;
      boolean down = k == -d || (k != d && vd[d + k - 1] < vd[d + k + 1]);
      int prevK = down ? k + 1 : k - 1;
      int prevX = vd[d + prevK];
      int prevY = prevX - prevK;
      while (x > prevX && y > prevY) {
        out.add(new Line(' ', a.get(--x)));
        y--;
      }
      if (down) {
        out.add(new Line('+', b.get(--y)));
      } else {
        out.add(new Line('-', a.get(--x)));
      }
    }
    while (x > 0 && y > 0) {
      out.add(new Line(' ', a.get(--x)));
      y--;
    }
    Collections.reverse(out);
    return out;
  }
}
