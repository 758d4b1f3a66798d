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
 * A Canary: the progressive delivery of a Deployment, analysed step by step against metrics and
 * webhooks. The spec is Flagger's {@code flagger.app/v1beta1} Canary, so a Flagger Canary works
 * here after changing only its apiVersion; the status adds Mooring's {@code analysisHistory}.
 */
@Group(Application.GROUP)
@Version("v1alpha1")
@ShortNames("mcanary")
@AdditionalPrinterColumn(name = "Status", jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    name = "Weight",
    jsonPath = ".status.canaryWeight",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Failed-Checks",
    jsonPath = ".status.failedChecks",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonDeserialize(using = Canary.Reader.class)
public class Canary extends CustomResource<CanarySpec, CanaryStatus>
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

  /** Reads a Canary that has fields it cannot map without failing its list. */
  public static final class Reader extends TolerantReader<Canary> {
    public Reader() {
      super(
          Canary.class,
          Set.of("spec"),
          (canary, ignored) -> {
            if (canary.getSpec() != null) {
              canary.getSpec().ignoredFields = ignored;
            }
          });
    }
  }
}
