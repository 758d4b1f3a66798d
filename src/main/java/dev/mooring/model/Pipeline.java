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
 * A Pipeline: promotes the commits of one repository through ordered stages, each an Application,
 * with gates per stage (approvals by named people, a soak time, canary analysis) and a rollback to
 * the stage's last good revision when a promoted one fails. {@code kubectl get pipelines} prints
 * each stage position as {@code stage: revision/phase}.
 */
@Group(Application.GROUP)
@Version("v1alpha1")
@ShortNames("mpipe")
@AdditionalPrinterColumn(name = "Stage-1", jsonPath = ".status.stages[0].summary")
@AdditionalPrinterColumn(name = "Stage-2", jsonPath = ".status.stages[1].summary")
@AdditionalPrinterColumn(name = "Stage-3", jsonPath = ".status.stages[2].summary")
@AdditionalPrinterColumn(name = "Stage-4", jsonPath = ".status.stages[3].summary", priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = Pipeline.Reader.class)
public class Pipeline extends CustomResource<PipelineSpec, PipelineStatus>
    implements Namespaced, TolerantReader.Tolerant {

  @JsonIgnore private String unreadable;

  @Override
  public String unreadable() {
    return unreadable;
  }

  @Override
  public void unreadable(String reason) {
    this.unreadable = reason;
  }

  /** Reads a Pipeline that has fields it cannot map without failing its list. */
  public static final class Reader extends TolerantReader<Pipeline> {
    public Reader() {
      super(Pipeline.class, Set.of("spec"), (pipeline, ignored) -> {});
    }
  }
}
