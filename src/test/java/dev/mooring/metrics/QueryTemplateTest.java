package dev.mooring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryTemplateTest {
  private static final Map<String, String> VARS =
      Map.of(
          "namespace",
          "shop",
          "target",
          "podinfo",
          "service",
          "podinfo-svc",
          "ingress",
          "podinfo-ing",
          "interval",
          "1m");

  @Test
  void renders_every_canary_variable_and_template_variables() throws Exception {
    String rendered =
        QueryTemplate.render(
            "{{ namespace }}/{{ target }}/{{ service }}/{{ ingress }}/{{ interval }}/{{ variables.code }}",
            VARS,
            Map.of("code", "5.."));

    assertThat(rendered).isEqualTo("shop/podinfo/podinfo-svc/podinfo-ing/1m/5..");
  }

  @Test
  void spaces_inside_the_braces_are_optional() throws Exception {
    String rendered =
        QueryTemplate.render(
            "{{namespace}} {{ namespace}} {{namespace }} {{   namespace\t}} {{variables.x}}",
            VARS,
            Map.of("x", "y"));

    assertThat(rendered).isEqualTo("shop shop shop shop y");
  }

  @Test
  void leaves_promql_braces_alone() throws Exception {
    String rendered =
        QueryTemplate.render(
            "sum(rate(x{ns=\"{{ namespace }}\"}[{{ interval }}])) by (le)", VARS, null);

    assertThat(rendered).isEqualTo("sum(rate(x{ns=\"shop\"}[1m])) by (le)");
  }

  @Test
  void an_unknown_variable_is_an_error_naming_it() {
    assertThatThrownBy(() -> QueryTemplate.render("x{ns=\"{{ namespce }}\"}", VARS, Map.of()))
        .isInstanceOf(MetricException.class)
        .hasMessageContaining("unknown template variable namespce")
        .hasMessageContaining("known: ingress, interval, namespace, service, target");
  }

  @Test
  void an_unknown_template_variable_is_an_error_naming_it() {
    assertThatThrownBy(
            () ->
                QueryTemplate.render(
                    "{{ variables.missing }} {{ variables.code }}", VARS, Map.of("code", "5..")))
        .isInstanceOf(MetricException.class)
        .hasMessageContaining("variables.missing")
        .hasMessageContaining("variables.code");
  }

  @Test
  void go_template_expressions_beyond_plain_variables_are_rejected() {
    assertThatThrownBy(() -> QueryTemplate.render("{{ .Namespace | quote }}", VARS, Map.of()))
        .isInstanceOf(MetricException.class)
        .hasMessageContaining("unsupported template expression {{ .Namespace | quote }}");
  }
}
