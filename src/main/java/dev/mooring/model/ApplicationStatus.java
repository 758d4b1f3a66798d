package dev.mooring.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** Observed state of an Application, written only by the controller. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApplicationStatus {
  public SyncInfo sync;
  public HealthInfo health;
  public List<ResourceStatus> resources = new ArrayList<>();
  public OperationState operationState;
  public List<HistoryEntry> history = new ArrayList<>();
  public List<Condition> conditions = new ArrayList<>();
  public Long observedGeneration;
  public String reconciledAt;

  /** How the source was rendered: Directory, Kustomize or Helm. */
  public String sourceType;

  /** The tool and its version, for Kustomize and Helm sources: "kustomize v5.5.0". */
  public String renderedBy;

  /** Synced, OutOfSync or Unknown, and the commit compared against. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SyncInfo {
    public String status;
    public String revision;

    /** The compared commit's subject, author and time, when the source is a Git commit. */
    public CommitInfo commit;
  }

  /** What a person recognises a commit by. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CommitInfo {
    /** The first line of the commit message. */
    public String subject;

    /** The author's name. */
    public String author;

    /** When it was authored (RFC 3339). */
    public String date;

    public CommitInfo() {}

    public CommitInfo(String subject, String author, String date) {
      this.subject = subject;
      this.author = author;
      this.date = date;
    }
  }

  /** Health status and why. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class HealthInfo {
    public String status;
    public String message;

    public HealthInfo() {}

    public HealthInfo(String status, String message) {
      this.status = status;
      this.message = message;
    }
  }

  /** One managed resource: the inventory entry plus its sync and health. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ResourceStatus {
    public String group;
    public String version;
    public String kind;
    public String namespace;
    public String name;
    public String status;
    public HealthInfo health;
    public Boolean requiresPruning;

    /** Its sync wave, when not 0 (the sync-wave annotation). */
    public Integer wave;

    /** Why the object cannot be synced as it is (the API server refuses it, say). */
    public String message;
  }

  /** The last or running operation. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class OperationState {
    public Operation operation;
    public String phase;
    public String message;
    public String startedAt;
    public String finishedAt;
    public Integer retryCount;
    public SyncResult syncResult;

    /** metadata.generation of the Application when the operation ran (to never run it twice). */
    public Long generation;
  }

  /** What a sync did. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SyncResult {
    public String revision;
    public List<ResourceResult> resources = new ArrayList<>();
  }

  /** What a sync did to one resource. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ResourceResult {
    public String group;
    public String kind;
    public String namespace;
    public String name;
    public String action;
    public String message;

    /** For a hook: the phase it ran in (PreSync, Sync, PostSync, SyncFail). */
    public String hookType;

    /** For a hook: Succeeded, Failed, or Running (left running when the sync ended). */
    public String hookPhase;
  }

  /** One deployment, newest last. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class HistoryEntry {
    public Long id;
    public String revision;
    public String deployedAt;
    public String initiatedBy;
    public ApplicationSpec.Source source;

    /** The commit's subject (first line of its message), when known. */
    public String subject;

    /**
     * Succeeded for a deployment; Failed or Error for a sync of this revision that did not finish
     * (only a deployment can be rolled back to). Absent on entries written before it existed.
     */
    public String result;

    /** Why a failed sync failed. */
    public String message;
  }

  /** A Kubernetes-style condition. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Condition {
    public String type;
    public String status;
    public String reason;
    public String message;
    public String lastTransitionTime;
  }
}
