package dev.mooring.canary.alerts;

import static dev.mooring.canary.alerts.AlertFixtures.canary;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.canary.alerts.AlertEvents.Alert;
import dev.mooring.model.Canary;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which of the controller's Events become alerts, as Flagger's scheduler alerts. */
class AlertEventsTest {
  static final Canary CANARY =
      canary(
          """
          apiVersion: mooring.dev/v1alpha1
          kind: Canary
          metadata: {name: podinfo, namespace: test}
          spec:
            targetRef: {kind: Deployment, name: podinfo}
            service: {port: 80}
            analysis:
              iterations: 10
              webhooks:
              - {name: rollout-gate, type: confirm-rollout, url: "http://g/1", muteAlert: true}
              - {name: traffic-gate, type: confirm-traffic-increase, url: "http://g/2", muteAlert: true}
              - {name: promotion-gate, type: confirm-promotion, url: "http://g/3"}
              - {name: gate, type: confirm-promotion, url: "http://g/4", muteAlert: true}
              - {name: gate (2), type: confirm-promotion, url: "http://g/5"}
              - {name: promotion-gate, type: pre-rollout, url: "http://g/6", muteAlert: true}
          """);

  static Optional<Alert> of(String reason, String message) {
    return AlertEvents.of(CANARY, reason, message);
  }

  @Test
  void alertsInfoWithMetadataWhenInitializedAndWhenANewRevisionStarts() {
    assertThat(of("Initialized", "Initialization done! The primary serves all traffic"))
        .contains(new Alert(Severity.INFO, true, null));
    assertThat(of("Progressing", "New revision 5d4f detected! Scaling up the canary"))
        .contains(new Alert(Severity.INFO, true, null));
  }

  @Test
  void doesNotAlertARestartedAnalysisOrAStep() {
    assertThat(of("Progressing", "New revision 5d4f detected! Restarting analysis")).isEmpty();
    assertThat(of("Progressing", "Advance canary weight 20")).isEmpty();
    assertThat(of("Promoting", "Copying the target's spec and configs to the primary")).isEmpty();
    assertThat(of("AnalysisFailed", "Halt advancement: external check load failed")).isEmpty();
    assertThat(of("Synced", "Revision 5d4f failed its analysis before")).isEmpty();
    assertThat(of(null, "x")).isEmpty();
  }

  @Test
  void alertsInfoOnPromotion() {
    assertThat(of("Succeeded", "Promotion completed! Scaling down the canary"))
        .contains(new Alert(Severity.INFO, false, null));
    assertThat(of("Succeeded", "Promotion completed! Canary analysis was skipped for revision x"))
        .contains(new Alert(Severity.INFO, false, null));
  }

  @Test
  void alertsAnErrorOnAFailedAnalysisAndAWarningOnARequestedRollback() {
    assertThat(
            of(
                "Rollback",
                "Canary failed! Failed checks threshold reached 5/5; routing all traffic to the"
                    + " primary"))
        .contains(new Alert(Severity.ERROR, false, null));
    assertThat(
            of("Rollback", "Canary failed! Progress deadline exceeded: the canary was not ready"))
        .contains(new Alert(Severity.ERROR, false, null));
    assertThat(
            of(
                "Rollback",
                "Canary failed! Rollback webhook stop (200 OK) asked for a rollback; routing all"
                    + " traffic to the primary"))
        .contains(new Alert(Severity.WARN, false, null));
  }

  @Test
  void warnsOfAClosedGateUnlessItsWebhookMutesAlerts() {
    assertThat(of("Waiting", "Halt advancement: waiting for rollout approval rollout-gate"))
        .contains(new Alert(Severity.WARN, false, "rollout-gate"));
    assertThat(
            of(
                "Progressing",
                "Halt advancement: waiting for traffic increase approval traffic-gate (403)"))
        .contains(new Alert(Severity.WARN, false, "traffic-gate"));
    assertThat(
            of(
                "WaitingPromotion",
                "Halt advancement: waiting for promotion approval promotion-gate (not yet)"))
        .contains(new Alert(Severity.WARN, false, null));
  }

  @Test
  void mutesByTheHookThatClosedTheGateNotByASimilarName() {
    assertThat(of("WaitingPromotion", "Halt advancement: waiting for promotion approval gate (2)"))
        .contains(new Alert(Severity.WARN, false, null));
    assertThat(of("WaitingPromotion", "Halt advancement: waiting for promotion approval gate"))
        .contains(new Alert(Severity.WARN, false, "gate"));
    assertThat(
            of(
                "WaitingPromotion",
                "Halt advancement: waiting for promotion approval gate (2) (503)"))
        .contains(new Alert(Severity.WARN, false, null));
  }

  @Test
  void addsFlaggersMetadataFields() {
    assertThat(AlertMetadata.of(CANARY))
        .containsExactly(
            java.util.Map.entry("Target", "Deployment/podinfo.test"),
            java.util.Map.entry("Failed checks threshold", "1"),
            java.util.Map.entry("Progress deadline", "600s"),
            java.util.Map.entry("Traffic routing", "Blue/Green"));
    Canary steps =
        canary(
            """
            apiVersion: mooring.dev/v1alpha1
            kind: Canary
            metadata: {name: web, namespace: shop}
            spec:
              targetRef: {kind: Deployment, name: web}
              service: {port: 80}
              analysis: {threshold: 3, stepWeights: [5, 10, 40]}
            """);
    assertThat(AlertMetadata.of(steps))
        .containsEntry("Failed checks threshold", "3")
        .containsEntry("Traffic routing", "Weight steps: 5,10,40 max: 40");
  }

  @Test
  void ranksSeveritiesAsFlaggerDoes() {
    assertThat(Severity.INFO.receives(Severity.INFO)).isTrue();
    assertThat(Severity.INFO.receives(Severity.ERROR)).isTrue();
    assertThat(Severity.WARN.receives(Severity.INFO)).isFalse();
    assertThat(Severity.WARN.receives(Severity.ERROR)).isTrue();
    assertThat(Severity.ERROR.receives(Severity.WARN)).isFalse();
    assertThat(Severity.parse("")).contains(Severity.INFO);
    assertThat(Severity.parse("Warn")).contains(Severity.WARN);
    assertThat(Severity.parse("critical")).isEmpty();
  }
}
