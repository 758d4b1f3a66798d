package dev.mooring.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the discovery documents kubectl needs ({@code /version}, {@code /api}, {@code /api/v1},
 * {@code /apis}, {@code /apis/<group>/<version>}) in front of fabric8's CRUD mock, which has none,
 * so that {@code kubectl --kubeconfig <sandbox kubeconfig> get applications -A} works. The built-in
 * kinds are the usual ones of a cluster, taken from the client's model; the custom ones come from
 * the CRDs stored in the mock. Lists of custom resources asked for as a {@code Table} (what {@code
 * kubectl get} asks for) are answered with the CRD's printer columns. Everything else goes to the
 * CRUD dispatcher unchanged.
 */
final class SandboxDiscovery extends Dispatcher {
  private static final ObjectMapper JSON = Serialization.jsonMapper();
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  private static final Map<Class<? extends HasMetadata>, List<String>> BUILT_IN = builtIn();

  /** What {@code kubectl get all} shows, as on a cluster. */
  private static final java.util.Set<String> ALL =
      java.util.Set.of(
          "pods",
          "services",
          "deployments",
          "replicasets",
          "statefulsets",
          "daemonsets",
          "jobs",
          "cronjobs",
          "horizontalpodautoscalers");

  private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

  private final KubernetesCrudDispatcher crud;

  SandboxDiscovery(KubernetesCrudDispatcher crud) {
    this.crud = crud;
  }

  private static Map<Class<? extends HasMetadata>, List<String>> builtIn() {
    Map<Class<? extends HasMetadata>, List<String>> kinds = new LinkedHashMap<>();
    kinds.put(Namespace.class, List.of("ns"));
    kinds.put(ConfigMap.class, List.of("cm"));
    kinds.put(Secret.class, List.of());
    kinds.put(Service.class, List.of("svc"));
    kinds.put(ServiceAccount.class, List.of("sa"));
    kinds.put(Pod.class, List.of("po"));
    kinds.put(Endpoints.class, List.of("ep"));
    kinds.put(Event.class, List.of("ev"));
    kinds.put(PersistentVolumeClaim.class, List.of("pvc"));
    kinds.put(PersistentVolume.class, List.of("pv"));
    kinds.put(ResourceQuota.class, List.of("quota"));
    kinds.put(LimitRange.class, List.of("limits"));
    kinds.put(Deployment.class, List.of("deploy"));
    kinds.put(ReplicaSet.class, List.of("rs"));
    kinds.put(StatefulSet.class, List.of("sts"));
    kinds.put(DaemonSet.class, List.of("ds"));
    kinds.put(Job.class, List.of());
    kinds.put(CronJob.class, List.of("cj"));
    kinds.put(HorizontalPodAutoscaler.class, List.of("hpa"));
    kinds.put(Ingress.class, List.of("ing"));
    kinds.put(PodDisruptionBudget.class, List.of("pdb"));
    kinds.put(Role.class, List.of());
    kinds.put(RoleBinding.class, List.of());
    kinds.put(ClusterRole.class, List.of());
    kinds.put(ClusterRoleBinding.class, List.of());
    kinds.put(Lease.class, List.of());
    kinds.put(CustomResourceDefinition.class, List.of("crd", "crds"));
    return kinds;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if (!"GET".equals(request.getMethod())) {
      try {
        return crud.dispatch(request);
      } catch (RuntimeException e) {
        // the CRUD mock throws where a real server answers: a JSON Patch whose "test" fails (a
        // resourceVersion guard) left the request without an answer until the client timed out
        return json(422, unprocessable(e.getMessage()));
      }
    }
    String path = request.getPath();
    int query = path.indexOf('?');
    String bare = query < 0 ? path : path.substring(0, query);
    if (bare.endsWith("/") && bare.length() > 1) {
      bare = bare.substring(0, bare.length() - 1);
    }
    JsonNode answer =
        switch (bare) {
          case "/version" -> version();
          case "/api" -> apiVersions();
          case "/apis" -> groups();
          default -> resources(bare);
        };
    if (answer != null) {
      return json(200, answer);
    }
    String accept = request.getHeader("Accept");
    if (accept != null && accept.contains("as=Table")) {
      JsonNode table = table(bare, crud.dispatch(request));
      if (table != null) {
        return json(200, table);
      }
    }
    return crud.dispatch(request);
  }

  private static JsonNode unprocessable(String message) {
    com.fasterxml.jackson.databind.node.ObjectNode status =
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    status.put("kind", "Status").put("apiVersion", "v1").put("status", "Failure");
    status.put("message", message == null ? "the request cannot be applied" : message);
    status.put("reason", "Invalid").put("code", 422);
    return status;
  }

  private static MockResponse json(int code, JsonNode body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }

  private static JsonNode version() {
    ObjectNode v = JSON.createObjectNode();
    v.put("major", "1");
    v.put("minor", "32");
    v.put("gitVersion", "v1.32.0-mooring-sandbox");
    v.put("platform", "linux/amd64");
    return v;
  }

  private static JsonNode apiVersions() {
    ObjectNode v = JSON.createObjectNode();
    v.put("kind", "APIVersions");
    v.putArray("versions").add("v1");
    ObjectNode address = v.putArray("serverAddressByClientCIDRs").addObject();
    address.put("clientCIDR", "0.0.0.0/0");
    address.put("serverAddress", "127.0.0.1");
    return v;
  }

  /** Every group/version served: the built-in ones, then those of the stored CRDs. */
  private Map<String, List<ObjectNode>> served() {
    Map<String, List<ObjectNode>> byGroupVersion = new LinkedHashMap<>();
    BUILT_IN.forEach(
        (type, shortNames) ->
            byGroupVersion
                .computeIfAbsent(HasMetadata.getApiVersion(type), gv -> new java.util.ArrayList<>())
                .add(
                    resource(
                        HasMetadata.getPlural(type),
                        HasMetadata.getSingular(type),
                        HasMetadata.getKind(type),
                        Namespaced.class.isAssignableFrom(type),
                        shortNames)));
    for (JsonNode crd : crds()) {
      JsonNode spec = crd.path("spec");
      JsonNode names = spec.path("names");
      List<String> shortNames = new java.util.ArrayList<>();
      names.path("shortNames").forEach(s -> shortNames.add(s.asText()));
      for (JsonNode v : spec.path("versions")) {
        if (!v.path("served").asBoolean(true)) {
          continue;
        }
        byGroupVersion
            .computeIfAbsent(
                spec.path("group").asText() + "/" + v.path("name").asText(),
                gv -> new java.util.ArrayList<>())
            .add(
                resource(
                    names.path("plural").asText(),
                    names.path("singular").asText(),
                    names.path("kind").asText(),
                    !"Cluster".equals(spec.path("scope").asText()),
                    shortNames));
      }
    }
    return byGroupVersion;
  }

  private static ObjectNode resource(
      String plural, String singular, String kind, boolean namespaced, List<String> shortNames) {
    ObjectNode r = JSON.createObjectNode();
    r.put("name", plural);
    r.put("singularName", singular);
    r.put("namespaced", namespaced);
    r.put("kind", kind);
    ArrayNode verbs = r.putArray("verbs");
    VERBS.forEach(verbs::add);
    if (!shortNames.isEmpty()) {
      ArrayNode s = r.putArray("shortNames");
      shortNames.forEach(s::add);
    }
    if (ALL.contains(plural)) {
      r.putArray("categories").add("all");
    }
    return r;
  }

  private JsonNode groups() {
    ObjectNode list = JSON.createObjectNode();
    list.put("kind", "APIGroupList");
    list.put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    Map<String, ObjectNode> byName = new LinkedHashMap<>();
    for (String gv : served().keySet()) {
      int slash = gv.indexOf('/');
      if (slash < 0) {
        continue; // the core group is under /api
      }
      String name = gv.substring(0, slash);
      ObjectNode version = JSON.createObjectNode();
      version.put("groupVersion", gv);
      version.put("version", gv.substring(slash + 1));
      ObjectNode group =
          byName.computeIfAbsent(
              name,
              n -> {
                ObjectNode g = groups.addObject();
                g.put("name", n);
                g.putArray("versions");
                g.set("preferredVersion", version);
                return g;
              });
      ((ArrayNode) group.get("versions")).add(version);
    }
    return list;
  }

  /** {@code /api/v1} or {@code /apis/<group>/<version>}; null for any other path. */
  private JsonNode resources(String path) {
    String gv;
    if ("/api/v1".equals(path)) {
      gv = "v1";
    } else if (path.startsWith("/apis/") && path.split("/").length == 4) {
      gv = path.substring("/apis/".length());
    } else {
      return null;
    }
    List<ObjectNode> resources = served().get(gv);
    if (resources == null) {
      return null; // the CRUD mock's own (empty) answer
    }
    ObjectNode list = JSON.createObjectNode();
    list.put("kind", "APIResourceList");
    list.put("apiVersion", "v1");
    list.put("groupVersion", gv);
    list.putArray("resources").addAll(resources);
    return list;
  }

  private List<JsonNode> crds() {
    List<JsonNode> out = new java.util.ArrayList<>();
    try {
      MockResponse stored = crud.handleGet(CRDS);
      JsonNode list = JSON.readTree(stored.getBody().getBytes());
      list.path("items").forEach(out::add);
    } catch (Exception e) {
      // no CRDs stored yet, or an answer that is not a list: no custom kinds
    }
    return out;
  }

  /**
   * A list or an object of a custom resource as {@code meta.k8s.io/v1} Table, with the CRD's
   * printer columns; null when the path is not a custom resource of a stored CRD or the mock did
   * not answer 200.
   */
  private JsonNode table(String path, MockResponse answer) {
    String[] parts = path.split("/");
    // /apis/g/v/plural, /apis/g/v/plural/name, /apis/g/v/namespaces/ns/plural[/name]
    if (parts.length < 5 || !"apis".equals(parts[1]) || !answer.getStatus().contains(" 200")) {
      return null;
    }
    boolean namespaced = parts.length >= 7 && "namespaces".equals(parts[4]);
    String plural = namespaced ? parts[6] : parts[4];
    JsonNode columns = null;
    for (JsonNode crd : crds()) {
      JsonNode spec = crd.path("spec");
      if (parts[2].equals(spec.path("group").asText())
          && plural.equals(spec.path("names").path("plural").asText())) {
        for (JsonNode v : spec.path("versions")) {
          if (parts[3].equals(v.path("name").asText())) {
            columns = v.path("additionalPrinterColumns");
          }
        }
      }
    }
    if (columns == null || columns.isEmpty()) {
      return null;
    }
    JsonNode body;
    try {
      body = JSON.readTree(answer.getBody().getBytes());
    } catch (Exception e) {
      return null;
    }
    ObjectNode table = JSON.createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    table
        .putObject("metadata")
        .put("resourceVersion", body.path("metadata").path("resourceVersion").asText(""));
    ArrayNode definitions = table.putArray("columnDefinitions");
    ObjectNode name = definitions.addObject();
    name.put("name", "Name");
    name.put("type", "string");
    name.put("format", "name");
    name.put("priority", 0);
    for (JsonNode c : columns) {
      ObjectNode d = definitions.addObject();
      d.put("name", c.path("name").asText());
      d.put("type", "date".equals(c.path("type").asText()) ? "string" : c.path("type").asText());
      d.put("priority", c.path("priority").asInt(0));
    }
    ArrayNode rows = table.putArray("rows");
    List<JsonNode> items = new java.util.ArrayList<>();
    if (body.has("items")) {
      body.path("items").forEach(items::add);
    } else {
      items.add(body);
    }
    for (JsonNode item : items) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      cells.add(item.path("metadata").path("name").asText());
      for (JsonNode c : columns) {
        JsonNode value = at(item, c.path("jsonPath").asText());
        if ("date".equals(c.path("type").asText())) {
          cells.add(value == null ? "<unknown>" : age(value.asText()));
        } else if (value == null || value.isNull()) {
          cells.add("");
        } else {
          cells.add(value);
        }
      }
      ObjectNode partial = row.putObject("object");
      partial.put("kind", "PartialObjectMetadata");
      partial.put("apiVersion", "meta.k8s.io/v1");
      partial.set("metadata", item.path("metadata"));
    }
    return table;
  }

  /** A printer column's simple JSONPath ({@code .status.stages[0].summary}); null when absent. */
  static JsonNode at(JsonNode node, String jsonPath) {
    JsonNode here = node;
    for (String step : jsonPath.replaceFirst("^\\.", "").split("\\.")) {
      String field = step;
      int index = -1;
      int bracket = step.indexOf('[');
      if (bracket >= 0 && step.endsWith("]")) {
        field = step.substring(0, bracket);
        index = Integer.parseInt(step.substring(bracket + 1, step.length() - 1));
      }
      here = here.get(field);
      if (here != null && index >= 0) {
        here = here.get(index);
      }
      if (here == null) {
        return null;
      }
    }
    return here;
  }

  /**
   * A short age as kubectl writes it (its coarser steps for days left out): 45s, 3m12s, 4h30m, 2d.
   */
  static String age(String timestamp) {
    try {
      Duration d = Duration.between(Instant.parse(timestamp), Instant.now());
      long s = Math.max(0, d.getSeconds());
      if (s < 120) {
        return s + "s";
      }
      if (s < 600) {
        return (s / 60) + "m" + (s % 60) + "s";
      }
      if (s < 3 * 3600) {
        return (s / 60) + "m";
      }
      if (s < 8 * 3600 && (s / 60) % 60 != 0) {
        return (s / 3600) + "h" + ((s / 60) % 60) + "m";
      }
      if (s < 48 * 3600) {
        return (s / 3600) + "h";
      }
      return (s / 86400) + "d";
    } catch (RuntimeException e) {
      return "<unknown>";
    }
  }
}
