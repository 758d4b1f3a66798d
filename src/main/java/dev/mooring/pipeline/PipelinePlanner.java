package dev.mooring.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.model.ApplicationStatus;
import dev.mooring.model.PipelineSpec;
import dev.mooring.model.PipelineStatus;
import dev.mooring.model.PipelineStatus.Candidate;
import dev.mooring.model.PipelineStatus.HistoryEntry;
import dev.mooring.model.PipelineStatus.StageStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One step of a Pipeline: from its spec, its last status and what the cluster shows now, the next
 * status and what to do (promote a revision to a stage, roll a stage back). Pure: no cluster, no
 * clock, no Git; tested on fixtures.
 *
 * <p>The first stage's candidate is the branch's newest commit; a later stage's is the newest
 * revision that passed the stage before it (Synced, Healthy and verified there), once it has been
 * so for the stage's {@code soak}. A candidate needs the stage's approvals (distinct names, from
 * the allow-list if there is one); a new candidate starts with none. A promoted revision is
 * verified: its Application Synced at it and Healthy, and the stage's Canaries Succeeded (or
 * Initialized, for a first revision) since the promotion, or still so two analysis intervals later
 * when the revision did not change their target. A Canary Failed since the promotion, or a revision
 * not verified within {@code progressDeadline}, fails the stage: the revision is quarantined (never
 * a candidate again, in any stage) and the stage goes back to its last good revision.
 */
public final class PipelinePlanner {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PipelinePlanner() {}

  /**
   * One stage Application as the cluster has it.
   *
   * @param pipeline the pipeline that owns it (the oldest that names it), or null
   * @param syncStatus Synced, OutOfSync, Unknown; null before its first comparison
   * @param revision the revision its status was compared at
   */
  public record App(
      String repoURL,
      String pipeline,
      String syncStatus,
      String revision,
      String health,
      String healthMessage) {
    boolean syncedAt(String rev) {
      return "Synced".equals(syncStatus) && rev != null && rev.equals(revision);
    }
  }

  /**
   * A Canary a stage's analysis names.
   *
   * @param transitionedAt when it last changed phase (its status' lastTransitionTime), or null
   */
  public record CanaryView(
      String name,
      String phase,
      Integer weight,
      Integer maxWeight,
      Instant transitionedAt,
      String message,
      Duration interval) {

    public CanaryView(
        String name,
        String phase,
        Integer weight,
        Integer maxWeight,
        Instant transitionedAt,
        String message) {
      this(name, phase, weight, maxWeight, transitionedAt, message, Duration.ofMinutes(1));
    }

    /** Initialized (a first revision, no analysis) or Succeeded. */
    boolean passed() {
      return "Succeeded".equals(phase) || "Initialized".equals(phase);
    }
  }

  /**
   * What the cluster and Git show now.
   *
   * @param pipelineId {@code namespace/name} of the Pipeline
   * @param head the commit the pipeline's branch points at, null when it cannot be read
   * @param headProblem why it cannot be read
   * @param apps the stage Applications by name (absent: not found)
   * @param canaries the Canaries by name, in the namespaces of the stages' destinations, per stage
   */
  public record Observation(
      String pipelineId,
      String head,
      String headProblem,
      Map<String, App> apps,
      Map<String, Map<String, CanaryView>> canaries) {}

  /**
   * Sync {@code revision} to a stage's Application ({@code rollback}: back to its last good one).
   */
  public record Promote(String stage, String application, String revision, boolean rollback) {}

  /**
   * An Event for the Pipeline, and a notification.
   *
   * @param stage the stage it is about
   * @param revision the revision it is about
   */
  public record Notice(
      String reason, String message, boolean warning, String stage, String revision) {}

  /**
   * Push a commit that reverts the change from {@code good} to {@code bad} ({@code
   * onFailure.revertCommit}); {@code good} is null when the stage had none.
   */
  public record Revert(String stage, String bad, String good, String why) {}

  /**
   * The step's outcome.
   *
   * @param problem why nothing could be decided (an invalid spec, an unreadable branch), or null
   */
  public record Result(
      PipelineStatus status,
      List<Promote> promotions,
      List<Notice> notices,
      List<Revert> reverts,
      String problem) {}

  /** Checks a spec against what the cluster shows; null when it can run. */
  public static String invalid(PipelineSpec spec, Observation obs, String namespace) {
    if (spec == null || spec.source == null || blank(spec.source.repoURL)) {
      return "spec.source.repoURL is required";
    }
    if (spec.stages == null || spec.stages.isEmpty()) {
      return "spec.stages is empty: name at least one stage";
    }
    Set<String> names = new HashSet<>();
    Set<String> apps = new HashSet<>();
    String self = obs.pipelineId().substring(obs.pipelineId().indexOf('/') + 1);
    for (int i = 0; i < spec.stages.size(); i++) {
      PipelineSpec.Stage s = spec.stages.get(i);
      String where = "spec.stages[" + i + "]";
      if (s == null || blank(s.name)) {
        return where + " has no name";
      }
      if (!names.add(s.name)) {
        return "stage " + s.name + " is named twice";
      }
      if (blank(s.application)) {
        return "stage " + s.name + " names no application";
      }
      if (!apps.add(s.application)) {
        return "Application " + s.application + " is in two stages";
      }
      for (String[] d :
          new String[][] {{"soak", s.soak}, {"progressDeadline", s.progressDeadline}}) {
        if (!blank(d[1]) && dev.mooring.controller.Durations.parse(d[1], null) == null) {
          return "stage " + s.name + ": " + d[0] + " \"" + d[1] + "\" is not a duration";
        }
      }
      if (s.approvals != null && s.approvals.required != null && s.approvals.required < 0) {
        return "stage " + s.name + ": approvals.required must not be negative";
      }
      if (s.approvals != null
          && s.approvals.required != null
          && s.approvals.approvers != null
          && !s.approvals.approvers.isEmpty()
          && new HashSet<>(s.approvals.approvers).size() < s.approvals.required) {
        return "stage "
            + s.name
            + ": approvals.required is "
            + s.approvals.required
            + " but only "
            + new HashSet<>(s.approvals.approvers).size()
            + " approvers may approve";
      }
      App app = obs.apps().get(s.application);
      if (app == null) {
        return "stage "
            + s.name
            + ": Application "
            + namespace
            + "/"
            + s.application
            + " not found";
      }
      if (!sameRepository(app.repoURL(), spec.source.repoURL)) {
        return "stage "
            + s.name
            + ": Application "
            + s.application
            + " deploys from "
            + app.repoURL()
            + ", not from the pipeline's "
            + spec.source.repoURL;
      }
      if (app.pipeline() != null && !app.pipeline().equals(self)) {
        return "stage "
            + s.name
            + ": Application "
            + s.application
            + " belongs to pipeline "
            + app.pipeline()
            + " already";
      }
    }
    if (revertWanted(spec)
        && spec.source.targetRevision != null
        && (spec.source.targetRevision.matches("[0-9a-fA-F]{40}")
            || spec.source.targetRevision.startsWith("refs/tags/"))) {
      return "spec.onFailure.revertCommit needs a branch in spec.source.targetRevision, not "
          + spec.source.targetRevision;
    }
    if (spec.notifications != null
        && !blank(spec.notifications.url)
        && !spec.notifications.url.startsWith("http://")
        && !spec.notifications.url.startsWith("https://")) {
      return "spec.notifications.url must be an http:// or https:// URL";
    }
    return null;
  }

  static boolean revertWanted(PipelineSpec spec) {
    return spec.onFailure != null && Boolean.TRUE.equals(spec.onFailure.revertCommit);
  }

  public static Result step(
      PipelineSpec spec, PipelineStatus previous, Observation obs, String namespace, Instant now) {
    PipelineStatus status =
        previous == null
            ? new PipelineStatus()
            : MAPPER.convertValue(previous, PipelineStatus.class);
    List<Promote> promotions = new ArrayList<>();
    List<Notice> notices = new ArrayList<>();
    List<Revert> reverts = new ArrayList<>();
    String problem = invalid(spec, obs, namespace);
    if (problem == null && obs.head() == null) {
      problem =
          "cannot read "
              + spec.source.targetRevision
              + " of "
              + spec.source.repoURL
              + (obs.headProblem() == null ? "" : ": " + obs.headProblem());
    }
    if (problem != null) {
      return new Result(status, promotions, notices, reverts, problem);
    }
    status.stages = aligned(spec, status.stages);
    Set<String> quarantined = new HashSet<>();
    status.quarantine.forEach(q -> quarantined.add(q.revision));
    for (int i = 0; i < spec.stages.size(); i++) {
      PipelineSpec.Stage stage = spec.stages.get(i);
      StageStatus st = status.stages.get(i);
      StageStatus upstream = i == 0 ? null : status.stages.get(i - 1);
      App app = obs.apps().get(stage.application);
      boolean rollbackWanted =
          spec.onFailure == null || !Boolean.FALSE.equals(spec.onFailure.rollback);
      verify(
          rollbackWanted,
          revertWanted(spec) ? reverts : null,
          stage,
          st,
          app,
          obs.canaries().getOrDefault(stage.name, Map.of()),
          now,
          status,
          promotions,
          notices);
      candidate(
          stage, st, upstream, spec.stages, i, obs.head(), quarantined, now, promotions, notices);
      st.summary =
          st.name + ": " + (st.revision == null ? "-" : shortSha(st.revision)) + "/" + st.phase;
    }
    return new Result(status, promotions, notices, reverts, null);
  }

  /** The stages' statuses in the spec's order, carried over by name. */
  private static List<StageStatus> aligned(PipelineSpec spec, List<StageStatus> before) {
    List<StageStatus> out = new ArrayList<>();
    for (PipelineSpec.Stage s : spec.stages) {
      StageStatus found = null;
      for (StageStatus b : before) {
        if (s.name.equals(b.name)) {
          found = b;
        }
      }
      if (found == null) {
        found = new StageStatus();
        found.name = s.name;
        found.phase = "Idle";
      }
      out.add(found);
    }
    return out;
  }

  /** Judges the revision the stage runs: promoting, verifying, succeeded, or failed. */
  private static void verify(
      boolean rollbackWanted,
      List<Revert> reverts,
      PipelineSpec.Stage stage,
      StageStatus st,
      App app,
      Map<String, CanaryView> canaries,
      Instant now,
      PipelineStatus status,
      List<Promote> promotions,
      List<Notice> notices) {
    if (st.revision == null) {
      st.phase = "Idle";
      return;
    }
    if ("Failed".equals(st.phase)
        || "RolledBack".equals(st.phase) && st.revision.equals(st.lastGoodRevision)) {
      // a failure stands until the next promotion; a rolled-back stage runs its last good revision
      if ("RolledBack".equals(st.phase)) {
        st.healthySince =
            app.syncedAt(st.revision) && "Healthy".equals(app.health())
                ? (st.healthySince == null ? now.toString() : st.healthySince)
                : null;
      }
      return;
    }
    Instant promoted = st.promotedAt == null ? now : Instant.parse(st.promotedAt);
    Duration deadline =
        blank(stage.progressDeadline)
            ? null
            : dev.mooring.controller.Durations.parse(stage.progressDeadline, null);
    boolean late = deadline != null && now.isAfter(promoted.plus(deadline));
    String failure = null;
    String waiting = null;
    if (!app.syncedAt(st.revision)) {
      st.phase = "Promoting";
      st.healthySince = null;
      waiting = stage.application + " to sync " + shortSha(st.revision);
    } else if (failedCanary(stage, canaries, promoted) != null) {
      // a failed analysis makes the Application Degraded too: the Canary says why
      failure = failedCanary(stage, canaries, promoted);
    } else if (!"Healthy".equals(app.health())) {
      st.phase = "Verifying";
      st.healthySince = null;
      waiting =
          stage.application
              + " "
              + (app.health() == null ? "Unknown" : app.health())
              + (blank(app.healthMessage()) ? "" : ": " + app.healthMessage());
    } else {
      if (st.healthySince == null) {
        st.healthySince = now.toString();
      }
      List<String> names =
          stage.analysis == null || stage.analysis.canaries == null
              ? List.of()
              : stage.analysis.canaries;
      for (String name : names) {
        CanaryView c = canaries.get(name);
        boolean since =
            c != null && c.transitionedAt() != null && !c.transitionedAt().isBefore(promoted);
        if (c == null) {
          waiting = "canary analysis: Canary " + name + " not found";
          break;
        }
        if ("Failed".equals(c.phase()) && since) {
          failure = "canary " + name + " failed" + (blank(c.message()) ? "" : ": " + c.message());
          break;
        }
        // a revision that does not change the Canary's target starts no analysis: when none has
        // started within two intervals of the promotion, its last result stands
        boolean unchanged =
            !since
                && c.passed()
                && !now.isBefore(promoted.plus(c.interval().multipliedBy(2)).plusSeconds(10));
        if (!(c.passed() && (since || unchanged))) {
          waiting =
              "canary analysis: "
                  + name
                  + (c.weight() != null && c.maxWeight() != null
                      ? " weight " + c.weight() + " of " + c.maxWeight()
                      : " " + (c.phase() == null ? "not started" : c.phase()))
                  + (since ? "" : " (waiting for its analysis of " + shortSha(st.revision) + ")");
          break;
        }
      }
      st.phase = failure == null && waiting != null ? "Verifying" : st.phase;
    }
    if (failure == null && waiting != null && late) {
      failure = "not verified within " + stage.progressDeadline + " (" + waiting + ")";
    }
    if (failure != null) {
      fail(rollbackWanted, reverts, stage, st, failure, now, status, promotions, notices);
      return;
    }
    if (waiting != null) {
      st.waitingFor = waiting;
      return;
    }
    boolean fresh = !"Succeeded".equals(st.phase) || !st.revision.equals(st.lastGoodRevision);
    st.phase = "Succeeded";
    st.waitingFor = null;
    if (fresh) {
      st.lastGoodRevision = st.revision;
      HistoryEntry h = lastHistory(st, st.revision);
      if (h != null && h.result == null) {
        h.result = "Succeeded";
      }
      notices.add(
          new Notice(
              "StageSucceeded",
              "stage "
                  + st.name
                  + ": "
                  + shortSha(st.revision)
                  + " is Synced, Healthy and verified",
              false,
              st.name,
              st.revision));
    }
  }

  /** Why a Canary of the stage failed since the promotion, or null. */
  private static String failedCanary(
      PipelineSpec.Stage stage, Map<String, CanaryView> canaries, Instant promoted) {
    if (stage.analysis == null || stage.analysis.canaries == null) {
      return null;
    }
    for (String name : stage.analysis.canaries) {
      CanaryView c = canaries.get(name);
      if (c != null
          && "Failed".equals(c.phase())
          && c.transitionedAt() != null
          && !c.transitionedAt().isBefore(promoted)) {
        return "canary " + name + " failed" + (blank(c.message()) ? "" : ": " + c.message());
      }
    }
    return null;
  }

  private static void fail(
      boolean rollbackWanted,
      List<Revert> reverts,
      PipelineSpec.Stage stage,
      StageStatus st,
      String why,
      Instant now,
      PipelineStatus status,
      List<Promote> promotions,
      List<Notice> notices) {
    String bad = st.revision;
    PipelineStatus.Quarantined q = new PipelineStatus.Quarantined();
    q.revision = bad;
    q.stage = st.name;
    q.reason = why;
    q.at = now.toString();
    if (status.quarantine.stream().noneMatch(x -> bad.equals(x.revision))) {
      status.quarantine.add(q);
      if (reverts != null) {
        reverts.add(new Revert(st.name, bad, st.lastGoodRevision, why));
      }
    }
    HistoryEntry h = lastHistory(st, bad);
    boolean rollback =
        rollbackWanted && st.lastGoodRevision != null && !st.lastGoodRevision.equals(bad);
    notices.add(
        new Notice(
            "StageFailed",
            "stage " + st.name + ": " + shortSha(bad) + " failed: " + why + "; quarantined",
            true,
            st.name,
            bad));
    if (rollback) {
      if (h != null) {
        h.result = "RolledBack";
        h.message = why + "; rolled back to " + shortSha(st.lastGoodRevision);
      }
      promotions.add(new Promote(st.name, stage.application, st.lastGoodRevision, true));
      st.revision = st.lastGoodRevision;
      st.phase = "RolledBack";
      st.waitingFor = null;
      st.healthySince = null;
      notices.add(
          new Notice(
              "RolledBack",
              "stage "
                  + st.name
                  + ": back on "
                  + shortSha(st.revision)
                  + " after "
                  + shortSha(bad)
                  + " failed",
              true,
              st.name,
              st.revision));
    } else {
      if (h != null) {
        h.result = "Failed";
        h.message = why;
      }
      st.phase = "Failed";
      st.waitingFor = "a newer revision (" + shortSha(bad) + " failed: " + why + ")";
    }
  }

  /** Finds the stage's candidate, applies its gates, and promotes it when they are passed. */
  private static void candidate(
      PipelineSpec.Stage stage,
      StageStatus st,
      StageStatus upstream,
      List<PipelineSpec.Stage> stages,
      int index,
      String head,
      Set<String> quarantined,
      Instant now,
      List<Promote> promotions,
      List<Notice> notices) {
    String rev;
    if (upstream == null) {
      rev = head;
    } else {
      rev = upstream.lastGoodRevision;
    }
    if (rev == null
        || rev.equals(st.revision)
        || quarantined.contains(rev)
        || rev.equals(lastFailed(st))) {
      if (rev != null && quarantined.contains(rev) && !rev.equals(st.revision)) {
        st.waitingFor = shortSha(rev) + " is quarantined; waiting for a newer revision";
      } else if (rev == null && upstream != null && st.revision == null) {
        st.waitingFor = upstream.name + " has no good revision yet";
      }
      st.candidate = null;
      return;
    }
    if (st.candidate == null || !rev.equals(st.candidate.revision)) {
      // a new candidate: the old one's approvals do not carry over
      st.candidate = new Candidate();
      st.candidate.revision = rev;
      st.candidate.since = now.toString();
    }
    Candidate c = st.candidate;
    if (c.rejectedBy != null) {
      st.phase = st.revision == null ? "Idle" : st.phase;
      st.waitingFor =
          shortSha(rev)
              + " rejected by "
              + c.rejectedBy.by
              + (blank(c.rejectedBy.comment) ? "" : " (" + c.rejectedBy.comment + ")")
              + "; waiting for a newer revision";
      return;
    }
    if (upstream != null && !blank(stage.soak)) {
      Duration soak = dev.mooring.controller.Durations.parse(stage.soak, Duration.ZERO);
      Instant good = upstream.healthySince == null ? null : Instant.parse(upstream.healthySince);
      if (good == null || now.isBefore(good.plus(soak))) {
        st.phase = "Soaking";
        Duration left = good == null ? soak : Duration.between(now, good.plus(soak));
        st.waitingFor =
            "soak: "
                + upstream.name
                + " Healthy at "
                + shortSha(rev)
                + " for "
                + stage.soak
                + " ("
                + dev.mooring.controller.Durations.format(left)
                + " left)";
        return;
      }
    }
    int required =
        stage.approvals == null || stage.approvals.required == null ? 0 : stage.approvals.required;
    Set<String> by = new LinkedHashSet<>();
    for (PipelineStatus.Approval a : c.approvals) {
      if (allowed(stage, a.by)) {
        by.add(a.by);
      }
    }
    if (by.size() < required) {
      int more = required - by.size();
      boolean entering = !"WaitingApproval".equals(st.phase) || !rev.equals(st.candidate.revision);
      st.phase = "WaitingApproval";
      st.waitingFor =
          more
              + " more approval"
              + (more == 1 ? "" : "s")
              + " of "
              + shortSha(rev)
              + (stage.approvals.approvers == null || stage.approvals.approvers.isEmpty()
                  ? ""
                  : " (from " + String.join(", ", stage.approvals.approvers) + ")");
      if (entering || c.approvals.isEmpty() && c.since.equals(now.toString())) {
        notices.add(
            new Notice(
                "WaitingApproval",
                "stage " + st.name + ": " + shortSha(rev) + " waits for " + st.waitingFor,
                false,
                st.name,
                rev));
      }
      return;
    }
    HistoryEntry h = new HistoryEntry();
    h.revision = rev;
    h.promotedAt = now.toString();
    h.approvedBy = new ArrayList<>(by);
    st.history.add(h);
    if (st.history.size() > 20) {
      st.history.remove(0);
    }
    promotions.add(new Promote(st.name, stage.application, rev, false));
    notices.add(
        new Notice(
            "Promoted",
            "stage "
                + st.name
                + ": "
                + shortSha(rev)
                + " promoted"
                + (by.isEmpty() ? "" : ", approved by " + String.join(", ", by)),
            false,
            st.name,
            rev));
    st.revision = rev;
    st.promotedAt = now.toString();
    st.candidate = null;
    st.phase = "Promoting";
    st.waitingFor = stage.application + " to sync " + shortSha(rev);
    st.healthySince = null;
  }

  /** The revision of the stage's newest history entry when it failed, else null. */
  private static String lastFailed(StageStatus st) {
    if (st.history.isEmpty()) {
      return null;
    }
    HistoryEntry h = st.history.get(st.history.size() - 1);
    return "Failed".equals(h.result) || "RolledBack".equals(h.result) ? h.revision : null;
  }

  private static HistoryEntry lastHistory(StageStatus st, String revision) {
    for (int i = st.history.size() - 1; i >= 0; i--) {
      if (revision.equals(st.history.get(i).revision)) {
        return st.history.get(i);
      }
    }
    return null;
  }

  /** Whether a name may approve for the stage (any name when it has no allow-list). */
  public static boolean allowed(PipelineSpec.Stage stage, String name) {
    return stage.approvals == null
        || stage.approvals.approvers == null
        || stage.approvals.approvers.isEmpty()
        || stage.approvals.approvers.contains(name);
  }

  static boolean sameRepository(String a, String b) {
    try {
      return dev.mooring.source.GitSource.normalizeUrl(a)
          .equals(dev.mooring.source.GitSource.normalizeUrl(b));
    } catch (RuntimeException e) {
      return a != null && a.equals(b);
    }
  }

  public static String shortSha(String sha) {
    return sha == null ? "" : sha.length() > 7 ? sha.substring(0, 7) : sha;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** The Ready condition for a result. */
  public static ApplicationStatus.Condition ready(
      Result r, ApplicationStatus.Condition before, Instant now) {
    ApplicationStatus.Condition c = new ApplicationStatus.Condition();
    c.type = "Ready";
    c.status = r.problem() == null ? "True" : "False";
    c.reason = r.problem() == null ? "Running" : "InvalidPipeline";
    c.message = r.problem() == null ? "" : r.problem();
    c.lastTransitionTime =
        before != null && c.status.equals(before.status) && before.lastTransitionTime != null
            ? before.lastTransitionTime
            : now.toString();
    return c;
  }
}
