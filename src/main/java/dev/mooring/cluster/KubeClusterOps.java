package dev.mooring.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;

/**
 * {@link ClusterOps} over the fabric8 client, with generic (unstructured) resources. Patches go to
 * the object by name without reading it first; create, replace and delete are sent as plain
 * requests so that they carry the field manager and the delete preconditions, which fabric8's typed
 * calls leave out.
 */
public class KubeClusterOps implements ClusterOps {

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
  public ObjectNode create(
      ResourceType type, ObjectNode object, String fieldManager, boolean dryRun) {
    String url = type.path(namespaceOf(object), null) + query(fieldManager, dryRun);
    return send(url, "POST", object);
  }

  @Override
  public ObjectNode jsonPatch(
      ResourceType type,
      String namespace,
      String name,
      String patch,
      String fieldManager,
      boolean dryRun) {
    PatchContext context =
        new PatchContext.Builder()
            .withPatchType(PatchType.JSON)
            .withFieldManager(fieldManager)
            .withDryRun(dryRun ? List.of("All") : null)
            .build();
    return toNode(
        scoped(type, namespace).resource(stub(type, namespace, name)).patch(context, patch));
  }

  @Override
  public ObjectNode serverSideApply(
      ResourceType type, ObjectNode object, String fieldManager, boolean force, boolean dryRun) {
    PatchContext context =
        new PatchContext.Builder()
            .withPatchType(PatchType.SERVER_SIDE_APPLY)
            .withFieldManager(fieldManager)
            .withForce(force)
            .withDryRun(dryRun ? List.of("All") : null)
            .build();
    String ns = namespaceOf(object);
    String name = object.path("metadata").path("name").asText();
    try {
      String body = mapper.writeValueAsString(object); // JSON is YAML
      return toNode(scoped(type, ns).resource(stub(type, ns, name)).patch(context, body));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public ObjectNode replace(
      ResourceType type, ObjectNode object, String fieldManager, boolean dryRun) {
    String url =
        type.path(namespaceOf(object), object.path("metadata").path("name").asText())
            + query(fieldManager, dryRun);
    return send(url, "PUT", object);
  }

  @Override
  public boolean delete(
      ResourceType type, String namespace, String name, String uid, String resourceVersion) {
    Map<String, Object> preconditions = new java.util.LinkedHashMap<>();
    if (uid != null && !uid.isEmpty()) {
      preconditions.put("uid", uid);
    }
    if (resourceVersion != null && !resourceVersion.isEmpty()) {
      preconditions.put("resourceVersion", resourceVersion);
    }
    Map<String, Object> options = new java.util.LinkedHashMap<>();
    options.put("apiVersion", "v1");
    options.put("kind", "DeleteOptions");
    options.put("propagationPolicy", "Foreground");
    if (!preconditions.isEmpty()) {
      options.put("preconditions", preconditions);
    }
    try {
      client.raw(type.path(namespace, name), "DELETE", options);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void forEach(
      ResourceType type,
      String namespace,
      String label,
      String notValue,
      java.util.function.Predicate<ObjectNode> visit) {
    var op = client.genericKubernetesResources(type.context());
    var scoped =
        namespace == null || !type.namespaced() ? op.inAnyNamespace() : op.inNamespace(namespace);
    var selected = label == null ? scoped : scoped.withoutLabel(label, notValue);
    String next = null;
    do {
      GenericKubernetesResourceList page =
          selected.list(
              new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                  .withLimit(500L)
                  .withContinue(next)
                  .build());
      for (GenericKubernetesResource r : page.getItems()) {
        if (!visit.test(toNode(r))) {
          return;
        }
      }
      next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
    } while (next != null && !next.isEmpty());
  }

  private ObjectNode send(String url, String method, ObjectNode body) {
    try {
      String answer = client.raw(url, method, mapper.writeValueAsString(body));
      JsonNode node = answer == null ? null : mapper.readTree(answer);
      return node instanceof ObjectNode o ? o : null;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable answer of the API server: " + e.getMessage(), e);
    }
  }

  private static String query(String fieldManager, boolean dryRun) {
    StringBuilder q =
        new StringBuilder("?fieldManager=")
            .append(
                java.net.URLEncoder.encode(fieldManager, java.nio.charset.StandardCharsets.UTF_8));
    if (dryRun) {
      q.append("&dryRun=All");
    }
    return q.toString();
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

  /** Names the object for a patch, so that fabric8 does not read it first. */
  private static GenericKubernetesResource stub(ResourceType type, String namespace, String name) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(type.apiVersion());
    r.setKind(type.kind());
    r.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(type.namespaced() ? namespace : null)
            .build());
    return r;
  }

  private static String namespaceOf(ObjectNode object) {
    String ns = object.path("metadata").path("namespace").asText("");
    return ns.isEmpty() ? null : ns;
  }

  ObjectNode toNode(GenericKubernetesResource resource) {
    return resource == null ? null : mapper.valueToTree(resource);
  }
}
