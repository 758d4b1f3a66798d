package dev.mooring.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

/** What an Application deploys (source), where (destination) and how (syncPolicy). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApplicationSpec {
  public Source source;

  /**
   * Argo CD's project: read so that Argo CD manifests apply unchanged; Mooring has no projects and
   * says so in the Application's {@code Unsupported} condition when it names one besides default.
   */
  public String project;

  /**
   * Argo CD's multi-source form: refused on the Application (one {@code source} per app) rather
   * than ignored.
   */
  public List<Source> sources;

  /** Argo CD's free-form information entries; shown, never acted on. */
  public List<Info> info;

  /** One entry of {@code spec.info}. */
  public static class Info {
    public String name;
    public String value;
  }

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

    /** Argo CD's chart of a Helm repository (repoURL is then no Git repository): refused. */
    public String chart;

    /** Argo CD's config management plugin: refused. */
    public Plugin plugin;
  }

  /** A Secret in the Application's namespace. */
  public static class SecretRef {
    public String name;
  }

  /** Plain YAML/JSON manifests. */
  public static class Directory {
    public Boolean recurse;

    /**
     * Argo CD's glob of the files to read, relative to the path, e.g. {@code {a.yaml,b/*.yaml}}.
     */
    public String include;

    /** Argo CD's glob of the files to leave out, applied after {@code include}. */
    public String exclude;

    /** Argo CD's options for the folder's {@code .jsonnet} files. */
    public Jsonnet jsonnet;
  }

  /**
   * Argo CD's {@code directory.jsonnet}: top-level arguments, external variables, library paths.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Jsonnet {
    /** Folders searched for imports, relative to the repository root (Argo CD's {@code libs}). */
    public List<String> libs;

    public List<JsonnetVar> tlas;
    public List<JsonnetVar> extVars;
  }

  /** A Jsonnet variable: a string, or with {@code code: true} a Jsonnet expression. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class JsonnetVar {
    public String name;
    public String value;
    public Boolean code;
  }

  /** Argo CD's config management plugin: refused (Mooring runs no plugins). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Plugin {
    public String name;
  }

  /**
   * Kustomize rendering options, as Argo CD's {@code spec.source.kustomize}: applied on top of the
   * folder's own kustomization, which is built with kustomize either way.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Kustomize {
    public String namePrefix;
    public String nameSuffix;

    /** {@code name=newName:tag}, {@code name:tag} or {@code name@digest}, as kustomize edit. */
    public List<String> images;

    public java.util.Map<String, String> commonLabels;
    public java.util.Map<String, String> commonAnnotations;

    /** The namespace of every namespaced object, as kustomize's own {@code namespace}. */
    public String namespace;

    /** Components (folders in the same repository, relative to the path). */
    public List<String> components;

    /** Patches, as kustomize's {@code patches} with an inline {@code patch}. */
    public List<KustomizePatch> patches;
  }

  /** One patch of {@code spec.source.kustomize.patches}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class KustomizePatch {
    public String patch;
    public KustomizeTarget target;
  }

  /** Which objects a patch applies to. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class KustomizeTarget {
    public String group;
    public String version;
    public String kind;
    public String name;
    public String namespace;
    public String labelSelector;
    public String annotationSelector;
  }

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

    /** Argo CD's target cluster URL: only the cluster Mooring runs in (or unset). */
    public String server;

    /** Argo CD's target cluster name: only {@code in-cluster} (or unset). */
    public String name;
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
