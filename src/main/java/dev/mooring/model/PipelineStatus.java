package dev.mooring.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** Where each stage is: the revision it runs, its candidate and gates, its history. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineStatus {
  public List<StageStatus> stages = new ArrayList<>();

  /** Revisions that failed a stage: never a candidate again, in any stage, until lifted. */
  public List<Quarantined> quarantine = new ArrayList<>();

  public List<ApplicationStatus.Condition> conditions = new ArrayList<>();
  public Long observedGeneration;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class StageStatus {
    public String name;

    /** What the stage's Application syncs. */
    public String revision;

    /** The newest revision that was Synced, Healthy and verified here. */
    public String lastGoodRevision;

    /** Idle, WaitingApproval, Soaking, Promoting, Verifying, Succeeded, Failed, RolledBack. */
    public String phase;

    public Candidate candidate;
    public String waitingFor;

    /** When {@link #revision} was promoted here. */
    public String promotedAt;

    /** Since when the stage's Application is Synced and Healthy at {@link #revision}. */
    public String healthySince;

    /** {@code dev: abc1234/Succeeded}, for kubectl's columns. */
    public String summary;

    public List<HistoryEntry> history = new ArrayList<>();
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Candidate {
    public String revision;
    public String since;
    public List<Approval> approvals = new ArrayList<>();
    public Approval rejectedBy;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Approval {
    public String by;
    public String at;
    public String comment;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class HistoryEntry {
    public String revision;
    public String promotedAt;
    public List<String> approvedBy = new ArrayList<>();

    /** Succeeded, Failed, RolledBack; absent while the revision is being verified. */
    public String result;

    public String message;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Quarantined {
    public String revision;
    public String stage;
    public String reason;
    public String at;

    /** The revert commit on the branch ({@code onFailure.revertCommit}), once pushed. */
    public String revertCommit;

    /** What became of the revert: pushed, not needed, or why it could not be pushed. */
    public String revertMessage;
  }
}
