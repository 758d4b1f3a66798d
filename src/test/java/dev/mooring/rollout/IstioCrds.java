package dev.mooring.rollout;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs Istio's VirtualService and DestinationRule CRDs, reduced to what the API server needs to
 * serve them: {@code networking.istio.io} v1beta1 (the version Flagger's Istio router writes) and
 * v1, with any content accepted, as Istio's own CRDs serve both.
 */
final class IstioCrds {
  private IstioCrds() {}

  static void install(KubernetesClient client) {
    for (String[] kind :
        List.of(
            new String[] {"VirtualService", "virtualservices", "virtualservice", "vs"},
            new String[] {"DestinationRule", "destinationrules", "destinationrule", "dr"})) {
      CustomResourceDefinition crd =
          Serialization.unmarshal(
              """
              apiVersion: apiextensions.k8s.io/v1
              kind: CustomResourceDefinition
              metadata:
                name: %2$s.networking.istio.io
              spec:
                group: networking.istio.io
                scope: Namespaced
                names: {kind: %1$s, plural: %2$s, singular: %3$s, shortNames: [%4$s], listKind: %1$sList}
                versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
                  - name: v1beta1
                    served: true
                    storage: false
                    schema:
                      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
              """
                  .formatted((Object[]) kind),
              CustomResourceDefinition.class);
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(crd)
          .createOr(c -> c.update());
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(dev.mooring.testing.RealApiServer::established, 30, TimeUnit.SECONDS);
    }
  }
}
