package dev.mooring.metrics;

import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a MetricTemplate query the way Flagger does for its documented variables: {@code {{
 * namespace }}}, {@code {{ target }}}, {@code {{ service }}}, {@code {{ ingress }}}, {@code {{
 * interval }}}, {@code {{ name }}} and {@code {{ variables.NAME }}} (from the Canary's {@code
 * templateVariables}). Spaces inside the braces are optional.
 *
 * <p>Unlike a Go template with a missing key, an unknown variable is an error: an empty label value
 * silently matches nothing, which would turn into a misleading "no traffic" failure.
 */
public final class QueryTemplate {
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_-]*)?)\\s*}}");
  private static final String VARIABLES_PREFIX = "variables.";

  private QueryTemplate() {}

  /**
   * Replaces every template variable.
   *
   * @param vars the Canary's model: namespace, target, service, ingress, interval, name
   * @param variables the Canary's {@code templateVariables}, reached as {@code variables.NAME}
   * @throws MetricException naming every unknown variable, or an expression that is not a plain
   *     variable (pipelines, functions)
   */
  public static String render(
      String template, Map<String, String> vars, Map<String, String> variables)
      throws MetricException {
    Map<String, String> model = vars == null ? Map.of() : vars;
    Map<String, String> custom = variables == null ? Map.of() : variables;
    StringBuilder out = new StringBuilder();
    TreeSet<String> unknown = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(template);
    int last = 0;
    while (m.find()) {
      rejectUnsupported(template.substring(last, m.start()));
      out.append(template, last, m.start());
      String name = m.group(1);
      String value =
          name.startsWith(VARIABLES_PREFIX)
              ? custom.get(name.substring(VARIABLES_PREFIX.length()))
              : name.contains(".") ? null : model.get(name);
      if (value == null) {
        unknown.add(name);
      } else {
        out.append(value);
      }
      last = m.end();
    }
    rejectUnsupported(template.substring(last));
    out.append(template, last, template.length());
    if (!unknown.isEmpty()) {
      throw new MetricException(
          "unknown template variable"
              + (unknown.size() > 1 ? "s " : " ")
              + String.join(", ", unknown)
              + "; known: "
              + String.join(", ", new TreeSet<>(model.keySet()))
              + (custom.isEmpty()
                  ? ""
                  : ", "
                      + VARIABLES_PREFIX
                      + String.join(", " + VARIABLES_PREFIX, new TreeSet<>(custom.keySet()))));
    }
    return out.toString();
  }

  // Text between template variables must not open another template expression we did not
  // understand.
  private static void rejectUnsupported(String text) throws MetricException {
    int open = text.indexOf("{{");
    if (open >= 0) {
      int close = text.indexOf("}}", open);
      String expr = close < 0 ? text.substring(open) : text.substring(open, close + 2);
      throw new MetricException(
          "unsupported template expression "
              + expr
              + ": only {{ name }} and {{ variables.NAME }} are allowed");
    }
  }
}
