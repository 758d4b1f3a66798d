package dev.mooring.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

/** What an Application deploys (source), where (destination) and how (syncPolicy). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApplicationSpec {
  @Required public Source source;
  public Destination destination;
  public SyncPolicy syncPolicy;
  public List<IgnoreDifference> ignoreDifferences = new ArrayList<>();
  public Integer revisionHistoryLimit;

  /** Poll period of this app's repository, e.g. "3m"; webhooks make refreshes immediate. */
  public String refreshInterval;

  /** Where the manifests come from. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Source {
    @Required public String repoURL;
    public String targetRevision;
    public SecretRef secretRef;
    public String path;
    public Directory directory;
    public Kustomize kustomize;
    public Helm helm;
  }

  /** A Secret in the Application's namespace. */
  public static class SecretRef {
    public String name;
  }

  /** Plain YAML/JSON manifests. */
  public static class Directory {
    public Boolean recurse;
  }

  /** Kustomize rendering options. */
  public static class Kustomize {}

  /** Helm rendering options. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Helm {
    public List<String> valueFiles;
    public String values;
    public List<HelmParameter> parameters;
    public String releaseName;
  }

  /** One Helm --set parameter. */
  public static class HelmParameter {
    public String name;
    public String value;
  }

  /** Where namespaced objects that name no namespace go. */
  public static class Destination {
    public String namespace;
  }

  /** Automation and options of syncs. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class SyncPolicy {
    /** Absent: manual sync only. */
    public Automated automated;

    public List<String> syncOptions = new ArrayList<>();
    public Retry retry;
  }

  /** Automated sync. */
  public static class Automated {
    public Boolean prune;
    public Boolean selfHeal;
  }

  /** Retry of failed syncs. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Retry {
    public Integer limit;
    public Backoff backoff;
  }

  /** Backoff between retries. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Backoff {
    public String duration;
    public Integer factor;
    public String maxDuration;
  }

  /** Fields to leave out of the comparison. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class IgnoreDifference {
    public String group;
    public String kind;
    public String name;
    public String namespace;
    public List<String> jsonPointers = new ArrayList<>();
  }
}
