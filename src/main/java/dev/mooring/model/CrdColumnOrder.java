package dev.mooring.model;

import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.Comparator;
import java.util.List;

/**
 * Build-time CRD post-processor: the generator sorts printer columns by name, but `kubectl get`
 * should print them in the contract's order (SYNC, HEALTH, REVISION, AGE; STATUS, WEIGHT, ...).
 */
public class CrdColumnOrder implements CRDPostProcessor {
  private static final List<String> ORDER =
      List.of(
          "Sync",
          "Health",
          "Revision",
          "Status",
          "Weight",
          "Failed-Checks",
          "Stage-1",
          "Stage-2",
          "Stage-3",
          "Stage-4",
          "Type",
          "Age");

  @Override
  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
    if (crd instanceof CustomResourceDefinition v1) {
      v1.getSpec()
          .getVersions()
          .forEach(
              v -> {
                if (v.getAdditionalPrinterColumns() != null) {
                  v.getAdditionalPrinterColumns()
                      .sort(Comparator.comparingInt(CrdColumnOrder::rank));
                }
              });
    }
    return crd;
  }

  private static int rank(CustomResourceColumnDefinition column) {
    int i = ORDER.indexOf(column.getName());
    return i < 0 ? ORDER.size() : i;
  }
}
