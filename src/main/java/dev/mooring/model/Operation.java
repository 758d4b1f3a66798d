package dev.mooring.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A requested operation on an Application; the controller runs it and then removes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Operation {
  public Sync sync;
  public InitiatedBy initiatedBy;

  /** A sync request. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Sync {
    public String revision;
    public Boolean prune;
    public Boolean dryRun;
    public List<ResourceRef> resources;
  }

  /** Who asked. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class InitiatedBy {
    public String username;
    public Boolean automated;
  }

  /** Selects one managed resource. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ResourceRef {
    public String group;
    public String kind;
    public String namespace;
    public String name;
  }
}
