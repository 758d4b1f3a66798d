package dev.mooring.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.canary.routing.Ownership;
import dev.mooring.canary.routing.PrimaryBuilder;
import dev.mooring.canary.routing.PrimaryScaler;
import dev.mooring.canary.routing.Router;
import dev.mooring.canary.routing.Routers;
import dev.mooring.canary.routing.ServiceBuilder;
import dev.mooring.canary.routing.SessionCookies;
import dev.mooring.cluster.ClusterOps;
import dev.mooring.cluster.KindResolver;
import dev.mooring.cluster.LiveCache;
import dev.mooring.cluster.ResourceType;
import dev.mooring.cluster.UnknownKindException;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryAnalysis;
import dev.mooring.model.CanarySpec;
import dev.mooring.sync.Applier;
import dev.mooring.sync.ResourceKey;
import dev.mooring.sync.SyncOptions;
import dev.mooring.sync.SyncPlan;
import dev.mooring.sync.Tracking;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;

/**
 * The canary controller's cluster edge: reads the target, its ConfigMaps and Secrets and the
 * primary, and writes the objects the Canary owns (primary Deployment and config copies, Services,
 * routing objects) through the same three-way-merge {@link Applier} as Git objects, so an unchanged
 * object costs no write. Objects an Application applies from Git are never taken over.
 */
public final class CanaryWorkloads {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<ObjectNode> NO_CRDS = List.of();

  /**
   * The live objects one tick works from.
   *
   * @param scaler the target's autoscaler named by {@code spec.autoscalerRef}; null when none is
   *     named or it does not exist
   */
  public record Observed(
      ObjectNode target, List<ObjectNode> configs, ObjectNode primary, ObjectNode scaler) {
    public Observed(ObjectNode target, List<ObjectNode> configs, ObjectNode primary) {
      this(target, configs, primary, null);
    }
  }

  private final ClusterOps cluster;
  private final KindResolver kinds;
  private final LiveCache owned;
  private final Applier applier;
  private final BiFunction<String, String, ObjectNode> deployments;
  private final BiFunction<String, String, ObjectNode> daemonSets;
  private final LongAdder writes = new LongAdder();

  /**
   * @param deployments live Deployments by namespace and name, from an informer cache
   * @param daemonSets live DaemonSets by namespace and name, from an informer cache
   * @param owned cache of the objects labelled {@code managed-by: mooring-canary}
   */
  public CanaryWorkloads(
      ClusterOps cluster,
      KindResolver kinds,
      LiveCache owned,
      Applier applier,
      BiFunction<String, String, ObjectNode> deployments,
      BiFunction<String, String, ObjectNode> daemonSets) {
    this.daemonSets = daemonSets;
    this.cluster = cluster;
    this.kinds = kinds;
    this.owned = owned;
    this.applier = applier;
    this.deployments = deployments;
  }

  /** Writes made so far (creates and updates that changed something). */
  public long writes() {
    return writes.sum();
  }

  /** The target, its referenced ConfigMaps and Secrets, and the primary; target null if missing. */
  public Observed observe(Canary canary) throws UnknownKindException {
    String ns = canary.getMetadata().getNamespace();
    String name = canary.getSpec().targetRef.name;
    BiFunction<String, String, ObjectNode> workloads =
        CanarySettings.isDaemonSet(canary.getSpec()) ? daemonSets : deployments;
    ObjectNode target = workloads.apply(ns, name);
    if (target == null) {
      return new Observed(null, List.of(), null);
    }
    List<ObjectNode> configs = new ArrayList<>();
    ObjectNode template =
        target.path("spec").path("template") instanceof ObjectNode t
            ? t
            : MAPPER.createObjectNode();
    for (String ref : PrimaryBuilder.referencedConfigs(template)) {
      int slash = ref.indexOf('/');
      ObjectNode config =
          cluster.get(
              kinds.resolve("v1", ref.substring(0, slash), NO_CRDS), ns, ref.substring(slash + 1));
      if (config != null) {
        configs.add(config);
      }
    }
    ObjectNode primary = workloads.apply(ns, name + PrimaryBuilder.PRIMARY_SUFFIX);
    CanarySpec.AutoscalerRef ref = canary.getSpec().autoscalerRef;
    ObjectNode scaler =
        ref == null || PrimaryScaler.problem(ref) != null
            ? null
            : cluster.get(scalerType(ref), ns, ref.name);
    return new Observed(target, configs, primary, scaler);
  }

  private ResourceType scalerType(CanarySpec.AutoscalerRef ref) throws UnknownKindException {
    return kinds.resolve(PrimaryScaler.apiVersion(ref), PrimaryScaler.kind(ref), NO_CRDS);
  }

  /**
   * Creates what initialization needs: the primary (a copy of the target) with its config copies,
   * and the apex, primary and canary Services.
   */
  public void initialize(Canary canary, Observed seen)
      throws UnknownKindException, JsonProcessingException {
    promote(canary, seen);
    services(canary, seen);
  }

  /** The apex, primary and canary Services. */
  public void services(Canary canary, Observed seen)
      throws UnknownKindException, JsonProcessingException {
    for (ObjectNode service : ServiceBuilder.services(canary, seen.target())) {
      if (isApex(canary, service)
          && "kubernetes".equals(CanarySettings.provider(canary.getSpec()))) {
        continue; // the kubernetes router owns the apex Service's selector
      }
      apply(service);
    }
  }

  private static boolean isApex(Canary canary, ObjectNode service) {
    return ServiceBuilder.apexName(canary).equals(service.path("metadata").path("name").asText());
  }

  /**
   * Undoes the Canary before it is deleted ({@code spec.revertOnDeletion}, Flagger's finalizer):
   * the target gets the primary's replicas back (its own when the primary is gone), a paused KEDA
   * ScaledObject is resumed, and the apex Service selects the target's pods again and is no longer
   * owned by the Canary, so that deleting the Canary (which garbage-collects the primary, its
   * Services and the routing objects) leaves the service running on the target.
   */
  public void revert(Canary canary, Observed seen) throws UnknownKindException {
    if (seen.target() == null) {
      return; // nothing to give the traffic back to
    }
    int replicas =
        seen.primary() != null
            ? Math.max(seen.primary().path("spec").path("replicas").asInt(1), 1)
            : desiredReplicas(seen);
    scaleTarget(canary, seen, replicas);
    ResourceType serviceType = kinds.resolve("v1", "Service", NO_CRDS);
    String ns = canary.getMetadata().getNamespace();
    String apex = ServiceBuilder.apexName(canary);
    ObjectNode live = cluster.get(serviceType, ns, apex);
    if (live == null) {
      return;
    }
    dev.mooring.canary.routing.PodSelector selector =
        dev.mooring.canary.routing.PodSelector.of(seen.target());
    com.fasterxml.jackson.databind.node.ArrayNode ops = MAPPER.createArrayNode();
    ObjectNode select = ops.addObject().put("op", "replace").put("path", "/spec/selector");
    select.putObject("value").put(selector.key(), selector.value());
    com.fasterxml.jackson.databind.node.ArrayNode refs = MAPPER.createArrayNode();
    String uid = canary.getMetadata().getUid();
    JsonNode liveRefs = live.path("metadata").path("ownerReferences");
    for (JsonNode ref : liveRefs) {
      if (!(uid != null && uid.equals(ref.path("uid").asText()))) {
        refs.add(ref);
      }
    }
    if (refs.size() != liveRefs.size()) {
      ops.addObject()
          .put("op", "replace")
          .put("path", "/metadata/ownerReferences")
          .set("value", refs);
    }
    if (Ownership.MANAGED_BY_VALUE.equals(
        live.path("metadata").path("labels").path(Ownership.MANAGED_BY).asText())) {
      ops.addObject()
          .put("op", "remove")
          .put("path", "/metadata/labels/" + Ownership.MANAGED_BY.replace("/", "~1"));
    }
    cluster.jsonPatch(serviceType, ns, apex, ops.toString(), Ownership.MANAGED_BY_VALUE, false);
    writes.increment();
  }

  /** Copies the target's pod template and configs to the primary. */
  public void promote(Canary canary, Observed seen)
      throws UnknownKindException, JsonProcessingException {
    for (ObjectNode config :
        PrimaryBuilder.primaryConfigs(seen.target(), byKindName(seen), canary)) {
      apply(config);
    }
    ObjectNode primary = PrimaryBuilder.primaryDeployment(seen.target(), canary);
    if (PrimaryBuilder.isDaemonSet(seen.target())) {
      apply(primary); // a DaemonSet runs on every node: no replicas, no autoscaler
      return;
    }
    int replicas =
        seen.scaler() != null && seen.primary() != null
            // the primary's autoscaler owns its replicas once it exists (Flagger's Promote)
            ? seen.primary().path("spec").path("replicas").asInt(1)
            : desiredReplicas(seen);
    ((ObjectNode) primary.path("spec")).put("replicas", replicas);
    apply(primary);
    if (seen.scaler() != null) {
      apply(PrimaryScaler.primary(seen.scaler(), canary));
    }
  }

  /**
   * Scales the target; nothing is written when it already has that many replicas. A KEDA
   * ScaledObject on the target is paused at zero replicas first (its HPA would scale the target
   * back up) and resumed when the target is scaled up, as Flagger's ScaledObject reconciler.
   */
  public void scaleTarget(Canary canary, Observed seen, int replicas) throws UnknownKindException {
    if (seen.scaler() != null
        && PrimaryScaler.SCALED_OBJECT.equals(seen.scaler().path("kind").asText())) {
      pauseScaledObject(canary, seen.scaler(), replicas == 0);
    }
    if (PrimaryBuilder.isDaemonSet(seen.target())) {
      scaleDaemonSet(canary, seen.target(), replicas > 0);
      return;
    }
    if (seen.target().path("spec").path("replicas").asInt(1) == replicas) {
      return;
    }
    ResourceType type = kinds.resolve("apps/v1", "Deployment", NO_CRDS);
    cluster.jsonPatch(
        type,
        canary.getMetadata().getNamespace(),
        seen.target().path("metadata").path("name").asText(),
        "[{\"op\":\"add\",\"path\":\"/spec/replicas\",\"value\":" + replicas + "}]",
        Ownership.MANAGED_BY_VALUE,
        false);
    writes.increment();
  }

  /**
   * "Scales" a DaemonSet as Flagger does: down by a node selector no node matches ({@link
   * PrimaryBuilder#SCALE_TO_ZERO}), up by removing it (and Flagger's own key, if it left one).
   */
  private void scaleDaemonSet(Canary canary, ObjectNode daemonSet, boolean up)
      throws UnknownKindException {
    JsonNode selector = daemonSet.path("spec").path("template").path("spec").path("nodeSelector");
    com.fasterxml.jackson.databind.node.ArrayNode ops = MAPPER.createArrayNode();
    String base = "/spec/template/spec/nodeSelector";
    if (up) {
      for (String key : List.of(PrimaryBuilder.SCALE_TO_ZERO, "flagger.app/scale-to-zero")) {
        if (selector.has(key)) {
          ops.addObject().put("op", "remove").put("path", base + "/" + key.replace("/", "~1"));
        }
      }
    } else if (!PrimaryBuilder.scaledToZero(daemonSet)) {
      if (selector.isObject()) {
        ops.addObject()
            .put("op", "add")
            .put("path", base + "/" + PrimaryBuilder.SCALE_TO_ZERO.replace("/", "~1"))
            .put("value", "true");
      } else {
        ops.addObject()
            .put("op", "add")
            .put("path", base)
            .putObject("value")
            .put(PrimaryBuilder.SCALE_TO_ZERO, "true");
      }
    }
    if (ops.isEmpty()) {
      return;
    }
    cluster.jsonPatch(
        kinds.resolve("apps/v1", PrimaryBuilder.DAEMON_SET, NO_CRDS),
        canary.getMetadata().getNamespace(),
        daemonSet.path("metadata").path("name").asText(),
        ops.toString(),
        Ownership.MANAGED_BY_VALUE,
        false);
    writes.increment();
  }

  private void pauseScaledObject(Canary canary, ObjectNode scaledObject, boolean pause)
      throws UnknownKindException {
    boolean paused =
        scaledObject.path("metadata").path("annotations").has(PrimaryScaler.KEDA_PAUSED_REPLICAS);
    if (paused == pause) {
      return;
    }
    String pointer =
        "/metadata/annotations/" + PrimaryScaler.KEDA_PAUSED_REPLICAS.replace("/", "~1");
    String patch =
        pause
            ? (scaledObject.path("metadata").path("annotations").isObject()
                ? "[{\"op\":\"add\",\"path\":\"" + pointer + "\",\"value\":\"0\"}]"
                : "[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\""
                    + PrimaryScaler.KEDA_PAUSED_REPLICAS
                    + "\":\"0\"}}]")
            : "[{\"op\":\"remove\",\"path\":\"" + pointer + "\"}]";
    cluster.jsonPatch(
        scalerType(canary.getSpec().autoscalerRef),
        canary.getMetadata().getNamespace(),
        scaledObject.path("metadata").path("name").asText(),
        patch,
        Ownership.MANAGED_BY_VALUE,
        false);
    writes.increment();
  }

  /** Routes traffic with the Canary's provider, without mirroring. */
  public void route(Canary canary, Observed seen, int primaryWeight, int canaryWeight)
      throws UnknownKindException, JsonProcessingException {
    route(canary, seen, primaryWeight, canaryWeight, false);
  }

  /**
   * Routes traffic with the Canary's provider; {@code mirror} also copies the primary's requests to
   * the canary. With {@code analysis.sessionAffinity}, the session cookies in the Canary's status
   * are moved on first ({@link SessionCookies}), so that the tick's status write keeps them.
   */
  public void route(
      Canary canary, Observed seen, int primaryWeight, int canaryWeight, boolean mirror)
      throws UnknownKindException, JsonProcessingException {
    CanarySpec spec = canary.getSpec();
    CanaryAnalysis analysis = spec.effectiveAnalysis();
    if (analysis != null && SessionCookies.cookieName(analysis.sessionAffinity) != null) {
      if (canary.getStatus() == null) {
        canary.setStatus(new dev.mooring.model.CanaryStatus());
      }
      dev.mooring.model.CanaryStatus status = canary.getStatus();
      SessionCookies cookies =
          new SessionCookies(status.sessionAffinityCookie, status.previousSessionAffinityCookie)
              .next(analysis.sessionAffinity, canaryWeight, CanaryWorkloads::randomCookieValue);
      status.sessionAffinityCookie = cookies.current();
      status.previousSessionAffinityCookie = cookies.previous();
    }
    String provider = CanarySettings.provider(spec);
    Router router = Routers.forProvider(provider);
    ObjectNode context =
        switch (provider) {
          case "nginx" -> ingress(canary);
          case "kubernetes" -> seen.target();
          default -> null;
        };
    for (ObjectNode object : router.desired(canary, context, primaryWeight, canaryWeight, mirror)) {
      apply(object);
    }
  }

  /** 32 random characters from [a-z0-9], as a session cookie's value. */
  static String randomCookieValue() {
    java.security.SecureRandom random = new java.security.SecureRandom();
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder out = new StringBuilder(32);
    for (int i = 0; i < 32; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  /**
   * Replicas the primary and the scaled-up canary get: what Git declares for the target (its
   * last-applied record), else the target's own replicas when above zero, else the primary's.
   */
  public static int desiredReplicas(Observed seen) {
    String lastApplied = Tracking.annotation(seen.target(), Tracking.LAST_APPLIED);
    if (lastApplied == null) {
      lastApplied = Tracking.annotation(seen.target(), Tracking.LEGACY_LAST_APPLIED);
    }
    if (lastApplied != null) {
      try {
        JsonNode declared = MAPPER.readTree(lastApplied).path("spec").path("replicas");
        if (declared.canConvertToInt() && declared.asInt() > 0) {
          return declared.asInt();
        }
      } catch (JsonProcessingException e) {
        // fall through to the live values
      }
    }
    int own = seen.target().path("spec").path("replicas").asInt(1);
    if (own > 0) {
      return own;
    }
    if (seen.scaler() != null) {
      return PrimaryScaler.startReplicas(seen.scaler()); // Flagger's ScaleFromZero under a scaler
    }
    int primary =
        seen.primary() == null ? 0 : seen.primary().path("spec").path("replicas").asInt(0);
    return Math.max(primary, 1);
  }

  /**
   * Whether {@code service.headless} was switched on a live Service: its {@code clusterIP} is
   * immutable (the API server refuses None for an allocated address, and the reverse), so it must
   * be recreated.
   */
  static boolean headlessChanged(ObjectNode live, ObjectNode desired) {
    boolean want = "None".equals(desired.path("spec").path("clusterIP").asText());
    String ip = live.path("spec").path("clusterIP").asText("");
    return !ip.isEmpty() && want != "None".equals(ip);
  }

  /**
   * Deletes a Service that has to be created anew, waits (up to 10 s) until the API server has let
   * it go, and returns null (nothing live); a Service still there fails this tick, and the next one
   * creates it.
   */
  private ObjectNode recreate(ResourceType type, ResourceKey key, ObjectNode live)
      throws UnknownKindException {
    JsonNode meta = live.path("metadata");
    cluster.delete(
        type,
        key.namespace(),
        key.name(),
        meta.path("uid").asText(null),
        meta.path("resourceVersion").asText(null));
    writes.increment();
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (cluster.get(type, key.namespace(), key.name()) == null) {
        return null;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException(
        "Service "
            + key.namespace()
            + "/"
            + key.name()
            + " is being recreated for service.headless (clusterIP cannot change in place); it"
            + " is created again on the next tick");
  }

  /** Whether a live Service has exactly the desired ports (by name, port, protocol, target). */
  static boolean samePorts(ObjectNode live, ObjectNode desired) {
    JsonNode want = desired.path("spec").path("ports");
    JsonNode have = live.path("spec").path("ports");
    if (!want.isArray() || want.size() != have.size()) {
      return !want.isArray();
    }
    for (int i = 0; i < want.size(); i++) {
      JsonNode w = want.get(i);
      JsonNode h = have.get(i);
      if (!w.path("name").asText("").equals(h.path("name").asText(""))
          || w.path("port").asInt() != h.path("port").asInt()
          || !w.path("protocol").asText("TCP").equals(h.path("protocol").asText("TCP"))
          || (w.has("targetPort")
              && !w.get("targetPort").asText().equals(h.path("targetPort").asText()))) {
        return false;
      }
    }
    return true;
  }

  private ObjectNode ingress(Canary canary) throws UnknownKindException {
    CanarySpec.ObjectRef ref = canary.getSpec().ingressRef;
    String apiVersion = ref.apiVersion == null ? "networking.k8s.io/v1" : ref.apiVersion;
    ObjectNode ingress =
        cluster.get(
            kinds.resolve(apiVersion, "Ingress", NO_CRDS),
            canary.getMetadata().getNamespace(),
            ref.name);
    if (ingress == null) {
      throw new IllegalStateException(
          "Ingress " + canary.getMetadata().getNamespace() + "/" + ref.name + " not found");
    }
    return ingress;
  }

  private void apply(ObjectNode desired) throws UnknownKindException, JsonProcessingException {
    ResourceType type =
        kinds.resolve(desired.path("apiVersion").asText(), desired.path("kind").asText(), NO_CRDS);
    ResourceKey key = ResourceKey.of(desired);
    ObjectNode live = owned.get(type, key.namespace(), key.name());
    if (live == null) {
      live = cluster.get(type, key.namespace(), key.name());
      String appliedBy = live == null ? null : Tracking.annotation(live, Tracking.TRACKING_ID);
      if (appliedBy != null) {
        throw new IllegalStateException(
            key
                + " is applied from Git by an Application ("
                + appliedBy
                + "); the Canary generates it, so remove it from Git and let the Application"
                + " prune it (or remove its mooring.dev/tracking-id annotation)");
      }
    }
    if (live != null && "Service".equals(type.kind()) && headlessChanged(live, desired)) {
      live = recreate(type, key, live);
    }
    if (live != null && "Service".equals(type.kind()) && !samePorts(live, desired)) {
      // a Service the Canary takes over (the user's apex Service of a blue/green Canary): its
      // ports are the Canary's, as Flagger sets them. A merge of the two lists (by port number)
      // keeps the user's ports beside the Canary's and the API server refuses a second "http"
      live =
          cluster.jsonPatch(
              type,
              key.namespace(),
              key.name(),
              "[{\"op\":\"replace\",\"path\":\"/spec/ports\",\"value\":"
                  + desired.path("spec").path("ports")
                  + "}]");
      writes.increment();
    }
    SyncPlan.Action done =
        applier.apply(
            new SyncPlan.Step(
                live == null ? SyncPlan.Action.CREATE : SyncPlan.Action.UPDATE,
                key,
                type,
                desired,
                live,
                0,
                SyncOptions.parse(""),
                "canary"),
            false);
    if (done != SyncPlan.Action.NONE) {
      writes.increment();
    }
    claimOwnership(type, key, desired, live);
  }

  /**
   * The three-way merge leaves ownerReferences alone on updates, so an object taken over (left by
   * Flagger, or by a deleted and recreated Canary) would keep pointing at an owner whose deletion
   * garbage-collects it: the Canary's controller reference replaces any other controller one.
   */
  private void claimOwnership(
      ResourceType type, ResourceKey key, ObjectNode desired, ObjectNode live) {
    JsonNode mine = desired.path("metadata").path("ownerReferences");
    if (live == null || !mine.isArray() || mine.isEmpty() || !mine.get(0).hasNonNull("uid")) {
      return;
    }
    String uid = mine.get(0).path("uid").asText();
    com.fasterxml.jackson.databind.node.ArrayNode refs = MAPPER.createArrayNode();
    boolean present = false;
    for (JsonNode ref : live.path("metadata").path("ownerReferences")) {
      if (uid.equals(ref.path("uid").asText())) {
        present = true;
        refs.add(ref);
      } else if (!ref.path("controller").asBoolean(false)) {
        refs.add(ref);
      }
    }
    if (present) {
      return;
    }
    refs.add(mine.get(0));
    ObjectNode op = MAPPER.createObjectNode();
    op.put("op", "add");
    op.put("path", "/metadata/ownerReferences");
    op.set("value", refs);
    cluster.jsonPatch(
        type,
        key.namespace(),
        key.name(),
        MAPPER.createArrayNode().add(op).toString(),
        Ownership.MANAGED_BY_VALUE,
        false);
    writes.increment();
  }

  private static Map<String, ObjectNode> byKindName(Observed seen) {
    Map<String, ObjectNode> map = new LinkedHashMap<>();
    for (ObjectNode config : seen.configs()) {
      map.put(
          config.path("kind").asText() + "/" + config.path("metadata").path("name").asText(),
          config);
    }
    return map;
  }
}
