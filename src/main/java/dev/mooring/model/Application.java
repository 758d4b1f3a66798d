package dev.mooring.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.Set;

/**
 * An Application: a folder of a Git repository kept applied to a cluster. Field names follow Argo
 * CD's Application. The top-level {@code operation} is a request (written by the API or kubectl)
 * that the controller runs and then removes.
 */
@Group(Application.GROUP)
@Version("v1alpha1")
@ShortNames("mapp")
@AdditionalPrinterColumn(name = "Sync", jsonPath = ".status.sync.status")
@AdditionalPrinterColumn(name = "Health", jsonPath = ".status.health.status")
@AdditionalPrinterColumn(name = "Revision", jsonPath = ".status.sync.revision", priority = 0)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = Application.Reader.class)
public class Application extends CustomResource<ApplicationSpec, ApplicationStatus>
    implements Namespaced, TolerantReader.Tolerant {
  public static final String GROUP = "mooring.dev";

  private Operation operation;

  public Operation getOperation() {
    return operation;
  }

  public void setOperation(Operation operation) {
    this.operation = operation;
  }

  @JsonIgnore private String unreadable;

  @Override
  public String unreadable() {
    return unreadable;
  }

  @Override
  public void unreadable(String reason) {
    this.unreadable = reason;
  }

  /** Reads an Application that has fields it cannot map without failing its list. */
  public static final class Reader extends TolerantReader<Application> {
    public Reader() {
      super(Application.class, Set.of("spec", "operation"), (app, ignored) -> {});
    }

    @Override
    protected void dropSection(Application app, String section) {
      if ("operation".equals(section)) {
        app.setOperation(null);
      }
    }
  }
}
