package dev.mooring.rollout;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

/** Installs the Gateway API's HTTPRoute CRD, so that the API server serves HTTPRoutes. */
final class GatewayApiCrd {
  private GatewayApiCrd() {}

  static void install(KubernetesClient client) {
    CustomResourceDefinition crd =
        Serialization.unmarshal(
            """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: httproutes.gateway.networking.k8s.io
              annotations:
                # required by the API server for *.k8s.io groups; the Gateway API CRDs carry it
                api-approved.kubernetes.io: https://github.com/kubernetes-sigs/gateway-api/pull/2466
            spec:
              group: gateway.networking.k8s.io
              scope: Namespaced
              names: {kind: HTTPRoute, plural: httproutes, singular: httproute, listKind: HTTPRouteList}
              versions:
                - name: v1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """,
            CustomResourceDefinition.class);
    client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(c -> c.update());
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName(crd.getMetadata().getName())
        .waitUntilCondition(
            dev.mooring.testing.RealApiServer::established,
            30,
            java.util.concurrent.TimeUnit.SECONDS);
  }
}
