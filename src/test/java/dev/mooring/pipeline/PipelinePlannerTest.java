package dev.mooring.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mooring.model.PipelineSpec;
import dev.mooring.model.PipelineStatus;
import dev.mooring.pipeline.PipelinePlanner.App;
import dev.mooring.pipeline.PipelinePlanner.CanaryView;
import dev.mooring.pipeline.PipelinePlanner.Observation;
import dev.mooring.pipeline.PipelinePlanner.Promote;
import dev.mooring.pipeline.PipelinePlanner.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The promotion rules, step by step, on the contract's pipeline: dev on every commit, staging on
 * one approval, production on two distinct approvals from an allow-list, a soak and a canary.
 */
class PipelinePlannerTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String REPO = "https://git.example.com/org/shop.git";
  private static final String C1 = "1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  private static final String C2 = "2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
  private static final String C3 = "3333333ccccccccccccccccccccccccccccccccc";

  PipelineSpec spec;
  PipelineStatus status;
  Instant now = Instant.parse("2026-12-02T10:00:00Z");
  Map<String, App> apps = new HashMap<>();
  Map<String, Map<String, CanaryView>> canaries = new HashMap<>();
  String head = C1;

  @BeforeEach
  void setUp() throws Exception {
    spec =
        YAML.readValue(
            """
            source: {repoURL: https://git.example.com/org/shop.git, targetRevision: main}
            stages:
            - name: dev
              application: shop-dev
            - name: staging
              application: shop-staging
              approvals: {required: 1}
            - name: production
              application: shop-prod
              approvals: {required: 2, approvers: [alice, bob, carol]}
              soak: 10m
              analysis: {canaries: [shop]}
              progressDeadline: 15m
            """,
            PipelineSpec.class);
    for (String app : List.of("shop-dev", "shop-staging", "shop-prod")) {
      apps.put(app, new App(REPO, null, null, null, null, null));
    }
  }

  private Result step() {
    Result r =
        PipelinePlanner.step(
            spec,
            status,
            new Observation("mooring/shop", head, null, apps, canaries),
            "mooring",
            now);
    status = r.status();
    return r;
  }

  /** The stage's Application synced the revision and is healthy. */
  private void healthy(String app, String revision) {
    apps.put(app, new App(REPO, "shop", "Synced", revision, "Healthy", ""));
  }

  private PipelineStatus.StageStatus stage(String name) {
    return status.stages.stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow();
  }

  private void approve(String stage, String by) {
    PipelineStatus.Approval a = new PipelineStatus.Approval();
    a.by = by;
    a.at = now.toString();
    stage(stage).candidate.approvals.add(a);
  }

  private void later(Duration d) {
    now = now.plus(d);
  }

  @Test
  void aCommitFlowsToDevAtOnceThenWaitsForItsApprovals() {
    Result r = step();
    assertThat(r.promotions()).containsExactly(new Promote("dev", "shop-dev", C1, false));
    assertThat(stage("dev").phase).isEqualTo("Promoting");
    assertThat(stage("dev").waitingFor).isEqualTo("shop-dev to sync 1111111");
    assertThat(stage("staging").waitingFor).isEqualTo("dev has no good revision yet");

    healthy("shop-dev", C1);
    r = step();
    assertThat(stage("dev").phase).isEqualTo("Succeeded");
    assertThat(stage("dev").lastGoodRevision).isEqualTo(C1);
    assertThat(stage("staging").phase).isEqualTo("WaitingApproval");
    assertThat(stage("staging").waitingFor).isEqualTo("1 more approval of 1111111");
    assertThat(stage("staging").candidate.revision).isEqualTo(C1);
    assertThat(r.notices())
        .extracting(n -> n.reason())
        .contains("StageSucceeded", "WaitingApproval");
    assertThat(r.promotions()).isEmpty();

    approve("staging", "alice");
    r = step();
    assertThat(r.promotions()).containsExactly(new Promote("staging", "shop-staging", C1, false));
    assertThat(stage("staging").history)
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.revision).isEqualTo(C1);
              assertThat(h.approvedBy).containsExactly("alice");
            });
    assertThat(stage("staging").summary).isEqualTo("staging: 1111111/Promoting");
  }

  /** dev and staging run c1, healthy; production is to judge it. */
  private void upToProduction() {
    step();
    healthy("shop-dev", C1);
    step();
    approve("staging", "alice");
    step();
    healthy("shop-staging", C1);
    step();
  }

  @Test
  void productionNeedsTwoDistinctAllowedApproversAndTheSoak() {
    upToProduction();
    assertThat(stage("staging").phase).isEqualTo("Succeeded");
    assertThat(stage("production").phase).isEqualTo("Soaking");
    assertThat(stage("production").waitingFor)
        .isEqualTo("soak: staging Healthy at 1111111 for 10m (10m left)");
    later(Duration.ofMinutes(4));
    step();
    assertThat(stage("production").waitingFor).contains("(6m left)");
    later(Duration.ofMinutes(6));
    step();
    assertThat(stage("production").phase).isEqualTo("WaitingApproval");
    assertThat(stage("production").waitingFor)
        .isEqualTo("2 more approvals of 1111111 (from alice, bob, carol)");
    approve("production", "alice");
    approve("production", "alice");
    approve("production", "mallory"); // not an approver: does not count
    Result r = step();
    assertThat(r.promotions()).isEmpty();
    assertThat(stage("production").waitingFor).startsWith("1 more approval of 1111111");
    approve("production", "bob");
    r = step();
    assertThat(r.promotions()).containsExactly(new Promote("production", "shop-prod", C1, false));
    assertThat(stage("production").history.get(0).approvedBy).containsExactly("alice", "bob");
  }

  /** Production promoted c1 with the two approvals; returns when it was. */
  private Instant promotedToProduction() {
    upToProduction();
    later(Duration.ofMinutes(10));
    step();
    approve("production", "alice");
    approve("production", "bob");
    step();
    return now;
  }

  @Test
  void aPromotedRevisionIsVerifiedByItsCanaryAndThenPassesOn() {
    Instant promoted = promotedToProduction();
    healthy("shop-prod", C1);
    // the canary's last result is older than the promotion: it says nothing about c1
    canaries.put(
        "production",
        Map.of("shop", new CanaryView("shop", "Succeeded", 0, 50, promoted.minusSeconds(600), "")));
    step();
    assertThat(stage("production").phase).isEqualTo("Verifying");
    assertThat(stage("production").waitingFor)
        .isEqualTo("canary analysis: shop weight 0 of 50 (waiting for its analysis of 1111111)");
    later(Duration.ofMinutes(1));
    canaries.put(
        "production", Map.of("shop", new CanaryView("shop", "Progressing", 20, 50, now, "")));
    step();
    assertThat(stage("production").waitingFor).isEqualTo("canary analysis: shop weight 20 of 50");
    later(Duration.ofMinutes(1));
    canaries.put("production", Map.of("shop", new CanaryView("shop", "Succeeded", 0, 50, now, "")));
    step();
    assertThat(stage("production").phase).isEqualTo("Succeeded");
    assertThat(stage("production").lastGoodRevision).isEqualTo(C1);
    assertThat(stage("production").history.get(0).result).isEqualTo("Succeeded");
  }

  @Test
  void aRevisionThatStartsNoAnalysisIsVerifiedOnceTwoIntervalsPassed() {
    Instant promoted = promotedToProduction();
    healthy("shop-prod", C1);
    // the canary's target did not change with c1: it stays Succeeded from before the promotion
    canaries.put(
        "production",
        Map.of(
            "shop",
            new CanaryView(
                "shop",
                "Succeeded",
                0,
                50,
                promoted.minusSeconds(600),
                "",
                Duration.ofSeconds(30))));
    step();
    assertThat(stage("production").phase).isEqualTo("Verifying");
    later(Duration.ofSeconds(71));
    step();
    assertThat(stage("production").phase).isEqualTo("Succeeded");
  }

  @Test
  void aFailedCanaryQuarantinesTheRevisionAndRollsTheStageBack() {
    spec.onFailure = new PipelineSpec.OnFailure();
    spec.onFailure.revertCommit = true;
    Instant first = promotedToProduction();
    healthy("shop-prod", C1);
    canaries.put(
        "production", Map.of("shop", new CanaryView("shop", "Succeeded", 0, 50, first, "")));
    step();
    assertThat(stage("production").lastGoodRevision).isEqualTo(C1);

    // commit 2 passes dev and staging
    head = C2;
    step();
    healthy("shop-dev", C2);
    step();
    assertThat(stage("staging").candidate.revision).isEqualTo(C2);
    approve("staging", "carol");
    step();
    healthy("shop-staging", C2);
    step();
    later(Duration.ofMinutes(10));
    step();
    approve("production", "alice");
    approve("production", "carol");
    Result r = step();
    assertThat(r.promotions()).containsExactly(new Promote("production", "shop-prod", C2, false));
    healthy("shop-prod", C2);
    later(Duration.ofMinutes(2));
    canaries.put(
        "production",
        Map.of(
            "shop", new CanaryView("shop", "Failed", 0, 50, now, "request-success-rate 62 < 99")));
    r = step();
    assertThat(r.promotions()).containsExactly(new Promote("production", "shop-prod", C1, true));
    assertThat(stage("production").phase).isEqualTo("RolledBack");
    assertThat(stage("production").revision).isEqualTo(C1);
    assertThat(status.quarantine)
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.revision).isEqualTo(C2);
              assertThat(q.stage).isEqualTo("production");
              assertThat(q.reason).isEqualTo("canary shop failed: request-success-rate 62 < 99");
            });
    assertThat(stage("production").history.get(1).result).isEqualTo("RolledBack");
    assertThat(r.notices()).extracting(n -> n.reason()).contains("StageFailed", "RolledBack");
    assertThat(r.notices())
        .filteredOn(n -> n.reason().equals("StageFailed"))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.stage()).isEqualTo("production");
              assertThat(n.revision()).isEqualTo(C2);
            });
    // the change from the last good revision to the bad one is to be reverted in Git, once
    assertThat(r.reverts())
        .containsExactly(
            new PipelinePlanner.Revert(
                "production", C2, C1, "canary shop failed: request-success-rate 62 < 99"));

    // c2 is never a candidate again; the rollback holds; c3 (the fix) flows
    healthy("shop-prod", C1);
    r = step();
    assertThat(r.promotions()).isEmpty();
    assertThat(r.reverts()).isEmpty();
    assertThat(stage("production").phase).isEqualTo("RolledBack");
    assertThat(stage("production").candidate).isNull();
    assertThat(stage("production").waitingFor)
        .isEqualTo("2222222 is quarantined; waiting for a newer revision");
    head = C3;
    r = step();
    assertThat(r.promotions()).containsExactly(new Promote("dev", "shop-dev", C3, false));
  }

  @Test
  void aNewCandidateStartsWithoutTheOldOnesApprovalsAndARejectionHoldsItsRevision() {
    step();
    healthy("shop-dev", C1);
    step();
    approve("staging", "alice");
    // before staging's next step, c2 passes dev: the candidate is replaced, alice's approval stays
    // with c1
    head = C2;
    step();
    healthy("shop-dev", C2);
    Result r = step();
    assertThat(r.promotions()).isEmpty();
    assertThat(stage("staging").candidate.revision).isEqualTo(C2);
    assertThat(stage("staging").candidate.approvals).isEmpty();

    PipelineStatus.Approval no = new PipelineStatus.Approval();
    no.by = "bob";
    no.comment = "breaks checkout";
    stage("staging").candidate.rejectedBy = no;
    approve("staging", "alice");
    r = step();
    assertThat(r.promotions()).isEmpty();
    assertThat(stage("staging").waitingFor)
        .isEqualTo("2222222 rejected by bob (breaks checkout); waiting for a newer revision");
    head = C3;
    step();
    healthy("shop-dev", C3);
    step();
    assertThat(stage("staging").candidate.revision).isEqualTo(C3);
    assertThat(stage("staging").candidate.rejectedBy).isNull();
  }

  @Test
  void aRevisionNotVerifiedWithinTheDeadlineFailsWithoutALastGoodOneToGoBackTo() {
    promotedToProduction();
    apps.put("shop-prod", new App(REPO, "shop", "Synced", C1, "Degraded", "podinfo: 0/2 ready"));
    step();
    assertThat(stage("production").phase).isEqualTo("Verifying");
    assertThat(stage("production").waitingFor).isEqualTo("shop-prod Degraded: podinfo: 0/2 ready");
    later(Duration.ofMinutes(16));
    Result r = step();
    assertThat(r.promotions()).isEmpty();
    assertThat(stage("production").phase).isEqualTo("Failed");
    assertThat(status.quarantine.get(0).reason)
        .isEqualTo("not verified within 15m (shop-prod Degraded: podinfo: 0/2 ready)");
  }

  @Test
  void badSpecsAndStagesAreSaidAndNothingIsPromoted() throws Exception {
    PipelineSpec twice =
        YAML.readValue(
            "source: {repoURL: "
                + REPO
                + "}\nstages:\n- {name: dev, application: shop-dev}\n"
                + "- {name: dev, application: shop-staging}\n",
            PipelineSpec.class);
    spec = twice;
    Result r = step();
    assertThat(r.problem()).isEqualTo("stage dev is named twice");
    assertThat(r.promotions()).isEmpty();

    spec =
        YAML.readValue(
            "source: {repoURL: " + REPO + "}\nstages:\n- {name: dev, application: nope}\n",
            PipelineSpec.class);
    assertThat(step().problem()).isEqualTo("stage dev: Application mooring/nope not found");

    spec =
        YAML.readValue(
            "source: {repoURL: " + REPO + "}\nstages:\n- {name: dev, application: shop-dev}\n",
            PipelineSpec.class);
    apps.put(
        "shop-dev", new App("https://git.example.com/org/other.git", null, null, null, null, null));
    assertThat(step().problem())
        .isEqualTo(
            "stage dev: Application shop-dev deploys from https://git.example.com/org/other.git,"
                + " not from the pipeline's "
                + REPO);
    apps.put("shop-dev", new App(REPO + "/", "billing", null, null, null, null));
    assertThat(step().problem())
        .isEqualTo("stage dev: Application shop-dev belongs to pipeline billing already");
    apps.put("shop-dev", new App(REPO, null, null, null, null, null));
    spec.source.targetRevision = C1;
    spec.onFailure = new PipelineSpec.OnFailure();
    spec.onFailure.revertCommit = true;
    assertThat(step().problem())
        .isEqualTo(
            "spec.onFailure.revertCommit needs a branch in spec.source.targetRevision, not " + C1);
    spec.source.targetRevision = "main";
    spec.notifications = new PipelineSpec.Notifications();
    spec.notifications.url = "ftp://hooks.example.com/x";
    assertThat(step().problem())
        .isEqualTo("spec.notifications.url must be an http:// or https:// URL");
    spec.notifications = null;
    assertThat(step().problem()).isNull();
    head = null;
    assertThat(step().problem()).startsWith("cannot read");
  }
}
