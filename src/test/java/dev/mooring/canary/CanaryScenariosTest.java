package dev.mooring.canary;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every scenario under {@code src/test/resources/canary/scenarios/}: settings, a start status,
 * and ticks, each an observation and what the next status and actions must be.
 *
 * <p>The runner plays the controller: it calls the state machine, answers its requests for webhook
 * results and metric checks from the fixture within the same tick, and carries the next status into
 * the next tick, as a controller reading the Canary's status back would.
 */
class CanaryScenariosTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<String> scenarios() throws IOException, URISyntaxException {
    try (Stream<Path> files = Files.list(root())) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.endsWith(".yaml"))
          .sorted()
          .toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void eachScenarioMovesThroughTheStatesItsTicksExpect(String file) throws Exception {
    run(file, new TreeSet<>());
  }

  @Test
  void everyPhaseTransitionIsPlayedByAScenario() throws Exception {
    Set<String> played = new TreeSet<>();
    for (String file : scenarios()) {
      run(file, played);
    }

    assertThat(played)
        .containsAll(
            List.of(
                "Initializing->Initialized",
                "Initialized->Waiting",
                "Initialized->Progressing",
                "Initialized->Succeeded",
                "Waiting->Progressing",
                "Waiting->Failed",
                "Waiting->Succeeded",
                "Progressing->WaitingPromotion",
                "Progressing->Promoting",
                "Progressing->Failed",
                "Progressing->Succeeded",
                "WaitingPromotion->Promoting",
                "WaitingPromotion->Progressing",
                "WaitingPromotion->Failed",
                "Promoting->Finalising",
                "Promoting->Failed",
                "Finalising->Succeeded",
                "Succeeded->Waiting",
                "Succeeded->Progressing",
                "Succeeded->Failed",
                "Failed->Waiting",
                "Failed->Progressing",
                "Failed->Succeeded"));
  }

  /** Plays one scenario, adding every phase change it sees to {@code transitions}. */
  private static void run(String file, Set<String> transitions) throws Exception {
    JsonNode doc = YAML.readTree(root().resolve(file).toFile());
    AnalysisSettings settings = Scenario.settings(doc.path("settings"));
    CanaryState state = Scenario.state(doc.path("start"));
    Map<String, Boolean> defaultAnswers = Scenario.answers(doc.path("webhookAnswers"), Map.of());
    JsonNode defaultChecks = doc.path("checks");
    String hash = Objects.requireNonNullElse(state.lastAppliedSpec(), "v1");
    long at = -settings.interval().toSeconds();
    int index = 0;
    assertThat(doc.path("ticks").size()).as("%s has ticks", file).isPositive();

    for (JsonNode tick : doc.path("ticks")) {
      at = tick.has("at") ? tick.path("at").asLong() : at + settings.interval().toSeconds();
      hash = tick.path("hash").asText(hash);
      Instant now = Scenario.T0.plusSeconds(at);
      Observation observation =
          Observation.of(
              now,
              hash,
              tick.path("primaryReady").asBoolean(true),
              tick.path("canaryReady").asBoolean(true));
      Map<String, Boolean> answers = Scenario.answers(tick.path("webhooks"), defaultAnswers);
      List<CheckResult> checks =
          Scenario.checks(tick.has("checks") ? tick.path("checks") : defaultChecks);
      String where = file + " tick " + index + " " + tick.path("note").asText("");

      List<String> asked = new ArrayList<>();
      Decision decision = CanaryStateMachine.step(state, settings, observation);
      for (int round = 0; decision.awaitingInput(); round++) {
        assertThat(round).as("%s: asks for input a bounded number of times", where).isLessThan(10);
        assertThat(decision.next()).as("%s: status unchanged while asking", where).isEqualTo(state);
        for (Action action : decision.actions()) {
          asked.add(Scenario.describe(action));
          if (action instanceof Action.RunWebhooks run) {
            observation =
                observation.withWebhookResults(answer(run.type(), settings, answers, where));
          } else if (action instanceof Action.RunChecks) {
            assertThat(checks).as("%s: the fixture gives checks", where).isNotEmpty();
            observation = observation.withChecks(checks);
          }
        }
        decision = CanaryStateMachine.step(state, settings, observation);
      }
      assertTick(tick.path("expect"), decision, asked, settings, where + ": " + decision.message());
      if (decision.next().phase() != state.phase()) {
        transitions.add(state.phase() + "->" + decision.next().phase());
      }
      state = decision.next();
      index++;
    }
  }

  private static void assertTick(
      JsonNode expect,
      Decision decision,
      List<String> asked,
      AnalysisSettings settings,
      String where) {
    CanaryState next = decision.next();
    if (expect.has("phase")) {
      assertThat(next.phase().name()).as(where).isEqualTo(expect.path("phase").asText());
    }
    if (expect.has("weight")) {
      assertThat(next.canaryWeight()).as(where).isEqualTo(expect.path("weight").asInt());
    }
    if (expect.has("failedChecks")) {
      assertThat(next.failedChecks()).as(where).isEqualTo(expect.path("failedChecks").asInt());
    }
    if (expect.has("iterations")) {
      assertThat(next.iterations()).as(where).isEqualTo(expect.path("iterations").asInt());
    }
    for (String field : List.of("lastAppliedSpec", "lastPromotedSpec", "failedRevision")) {
      if (expect.has(field)) {
        String actual =
            switch (field) {
              case "lastAppliedSpec" -> next.lastAppliedSpec();
              case "lastPromotedSpec" -> next.lastPromotedSpec();
              default -> next.failedRevision();
            };
        String wanted = expect.path(field).isNull() ? null : expect.path(field).asText();
        assertThat(actual).as(where + " " + field).isEqualTo(wanted);
      }
    }
    List<String> actions = decision.actions().stream().map(Scenario::describe).toList();
    if (!settings.suspend()) {
      assertThat(actions)
          .as(where + ": a final decision ends with a requeue after the interval")
          .last()
          .isEqualTo("Requeue(" + settings.interval().toSeconds() + "s)");
    }
    if (expect.has("actions")) {
      List<String> wanted = new ArrayList<>();
      expect.path("actions").forEach(a -> wanted.add(a.asText()));
      assertThat(actions.stream().filter(a -> !a.startsWith("Requeue")).toList())
          .as(where)
          .containsExactlyElementsOf(wanted);
    }
    if (expect.has("asked")) {
      List<String> wanted = new ArrayList<>();
      expect.path("asked").forEach(a -> wanted.add(a.asText()));
      assertThat(asked).as(where + " asked").containsExactlyElementsOf(wanted);
    }
    if (expect.has("message")) {
      assertThat(decision.message()).as(where).contains(expect.path("message").asText());
    }
    if (expect.has("event")) {
      assertThat(decision.actions())
          .as(where + " records an event saying " + expect.path("event").asText())
          .anySatisfy(
              a ->
                  assertThat(a)
                      .isInstanceOfSatisfying(
                          Action.RecordEvent.class,
                          e -> assertThat(e.message()).contains(expect.path("event").asText())));
    }
    if (expect.has("lastTransitionTime")) {
      assertThat(next.lastTransitionTime())
          .as(where + " lastTransitionTime")
          .isEqualTo(Scenario.T0.plusSeconds(expect.path("lastTransitionTime").asLong()));
    }
  }

  private static List<WebhookResult> answer(
      String type, AnalysisSettings settings, Map<String, Boolean> answers, String where) {
    List<WebhookResult> results = new ArrayList<>();
    for (HookSpec hook : settings.hooksOfType(type)) {
      Boolean ok = answers.get(hook.name());
      assertThat(ok).as("%s: the fixture answers webhook %s", where, hook.name()).isNotNull();
      results.add(new WebhookResult(hook.name(), type, ok, ok ? "" : "answered 403"));
    }
    return results;
  }

  private static Path root() throws URISyntaxException {
    return Path.of(
        Objects.requireNonNull(CanaryScenariosTest.class.getResource("/canary/scenarios")).toURI());
  }
}
