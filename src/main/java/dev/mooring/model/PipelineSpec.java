package dev.mooring.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** What a Pipeline promotes, through which stages, with which gates. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineSpec {
  /** The commits that flow: a repository and a branch (or tag, or commit). */
  public Source source;

  /** In order: the first gets every new commit, each later one what passed the one before. */
  public List<Stage> stages = new ArrayList<>();

  public OnFailure onFailure;
  public Notifications notifications;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Source {
    public String repoURL;
    public String targetRevision;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Stage {
    public String name;

    /** An Application in the Pipeline's namespace on the same repository. */
    public String application;

    public Approvals approvals;

    /** How long the stage before must have been Healthy at the candidate (e.g. {@code 10m}). */
    public String soak;

    public Analysis analysis;

    /** How long a promoted revision may take to be Synced, Healthy and verified. */
    public String progressDeadline;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Approvals {
    /** Distinct approvers needed. */
    public Integer required;

    /** Token names that may approve; anyone with write access when empty. */
    public List<String> approvers;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Analysis {
    /** Canaries in the stage Application's destination that must succeed for the revision. */
    public List<String> canaries;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class OnFailure {
    /** Sync the stage back to its last good revision (default true). */
    public Boolean rollback;

    /**
     * Push a revert commit of the bad change to the branch ({@code spec.source.targetRevision},
     * which must be a branch).
     */
    public Boolean revertCommit;

    /**
     * Push credentials: {@code username} and {@code password} or {@code token} for HTTPS, {@code
     * sshPrivateKey} and {@code knownHosts} for SSH; optional {@code authorName} and {@code
     * authorEmail} of the commit. Without it the push is anonymous.
     */
    public SecretRef pushSecretRef;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Notifications {
    /** Where each stage event is POSTed as JSON (with a Slack-compatible {@code text}). */
    public String url;

    /**
     * Optional Secret: {@code url} (used instead of {@link #url}, for URLs that are secrets, such
     * as Slack's) and {@code token} (sent as {@code Authorization: Bearer}).
     */
    public SecretRef secretRef;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SecretRef {
    public String name;
  }
}
