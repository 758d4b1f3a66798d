package dev.mooring.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;

/** {@link ClusterOps} over the fabric8 client, with generic (unstructured) resources. */
public class KubeClusterOps implements ClusterOps {
  public static final String FIELD_MANAGER = "mooring";

  private final KubernetesClient client;
  private final ObjectMapper mapper = new ObjectMapper();

  public KubeClusterOps(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public ObjectNode get(ResourceType type, String namespace, String name) {
    return toNode(scoped(type, namespace).withName(name).get());
  }

  @Override
  public ObjectNode create(ResourceType type, ObjectNode object) {
    return toNode(scoped(type, namespaceOf(object)).resource(toGeneric(object)).create());
  }

  @Override
  public ObjectNode jsonPatch(ResourceType type, String namespace, String name, String patch) {
    return toNode(
        scoped(type, namespace).withName(name).patch(PatchContext.of(PatchType.JSON), patch));
  }

  @Override
  public ObjectNode serverSideApply(ResourceType type, ObjectNode object) {
    return toNode(
        scoped(type, namespaceOf(object))
            .resource(toGeneric(object))
            .fieldManager(FIELD_MANAGER)
            .forceConflicts()
            .serverSideApply());
  }

  @Override
  public ObjectNode replace(ResourceType type, ObjectNode object) {
    return toNode(scoped(type, namespaceOf(object)).resource(toGeneric(object)).update());
  }

  @Override
  public boolean delete(ResourceType type, String namespace, String name) {
    List<StatusDetails> deleted =
        scoped(type, namespace)
            .withName(name)
            .withPropagationPolicy(DeletionPropagation.FOREGROUND)
            .delete();
    return deleted != null && !deleted.isEmpty();
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      scoped(ResourceType type, String namespace) {
    MixedOperation<
            GenericKubernetesResource,
            GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>>
        op = client.genericKubernetesResources(type.context());
    return type.namespaced() ? op.inNamespace(namespace) : op;
  }

  private static String namespaceOf(ObjectNode object) {
    String ns = object.path("metadata").path("namespace").asText("");
    return ns.isEmpty() ? null : ns;
  }

  GenericKubernetesResource toGeneric(ObjectNode object) {
    return client
        .getKubernetesSerialization()
        .convertValue(object, GenericKubernetesResource.class);
  }

  ObjectNode toNode(GenericKubernetesResource resource) {
    return resource == null ? null : mapper.valueToTree(resource);
  }
}
