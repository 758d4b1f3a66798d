package dev.mooring.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.cluster.KindResolver;
import dev.mooring.cluster.KindUnavailableException;
import dev.mooring.cluster.LiveCache;
import dev.mooring.cluster.ResourceType;
import dev.mooring.cluster.UnknownKindException;
import dev.mooring.diff.DiffEngine;
import dev.mooring.diff.IgnoreRule;
import dev.mooring.diff.ResourceDiff;
import dev.mooring.health.Health;
import dev.mooring.health.HealthAssessor;
import dev.mooring.health.HealthStatus;
import dev.mooring.sync.ServerPreview.Differs;
import dev.mooring.sync.ServerPreview.InSync;
import dev.mooring.sync.ServerPreview.Outcome;
import dev.mooring.sync.ServerPreview.Rejected;
import dev.mooring.sync.SyncPlanner.Candidate;
import dev.mooring.sync.SyncPlanner.Orphan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Builds a {@link Comparison}: marks each rendered object with Mooring's labels, gives namespaced
 * objects the destination namespace, reads the live object from the informer cache (never a GET per
 * object), diffs it locally (three-way, as {@code kubectl apply}), and lets the API server settle
 * every object the local diff finds different with a dry run of the write ({@link ServerPreview});
 * an unchanged app costs no request at all. It also finds the owned objects that Git no longer has.
 */
public class Comparer {
  static final String REJECTED = "rejected by the API server: ";
  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(Comparer.class);
  private final KindResolver kinds;
  private final LiveCache cache;
  private final Applier applier;
  private final HealthAssessor health;
  private final ForeignFields foreign;
  private final ServerPreview preview;
  private final Executor executor;

  /** The Application-level inputs of a comparison. */
  public record Target(
      String appNamespace,
      String appName,
      String destinationNamespace,
      SyncOptions options,
      List<IgnoreRule> ignores,
      Collection<ResourceKeyWithVersion> inventory) {}

  /** An inventory entry from status: enough to know which kinds to watch after a restart. */
  public record ResourceKeyWithVersion(String group, String version, String kind) {}

  /**
   * @param foreign fields owned by another part of Mooring, ignored like ignoreDifferences
   * @param preview the server's dry runs; {@code executor} runs them a few at a time
   */
  public Comparer(
      KindResolver kinds,
      LiveCache cache,
      Applier applier,
      HealthAssessor health,
      ForeignFields foreign,
      ServerPreview preview,
      Executor executor) {
    this.kinds = kinds;
    this.cache = cache;
    this.applier = applier;
    this.health = health;
    this.foreign = foreign;
    this.preview = preview;
    this.executor = executor;
  }

  /**
   * The local comparison of one object of Git (by identity: renders are cached per commit and
   * parses per file content, so an unchanged object of Git is the same node) against one version of
   * the live object, under the app's rules at the time.
   */
  private record Local(
      ResourceType type,
      boolean served,
      ResourceKey key,
      String liveVersion,
      String settings,
      Candidate candidate,
      ResourceDiff diff,
      Health health,
      boolean ask) {}

  /** The last comparison of each app, by Git object; apps least recently compared go first. */
  private final Map<String, Map<ObjectNode, Local>> memos =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Map<ObjectNode, Local>> e) {
              return size() > MAX_MEMOS;
            }
          });

  private static final int MAX_MEMOS = 2048;

  private void remember(String appKey, Map<ObjectNode, Local> comparison) {
    memos.put(appKey, comparison);
  }

  /** Forgets an app's comparisons (the app was deleted). */
  public void forget(String appNamespace, String appName) {
    memos.remove(appNamespace + "/" + appName);
  }

  /** The dry runs behind the comparisons. */
  public ServerPreview preview() {
    return preview;
  }

  public Comparison compare(Target target, String revision, List<ObjectNode> rendered)
      throws UnknownKindException {
    List<JsonNode> crds =
        rendered.stream()
            .filter(o -> "CustomResourceDefinition".equals(o.path("kind").asText()))
            .map(o -> (JsonNode) o)
            .toList();
    List<Candidate> candidates = new ArrayList<>();
    Map<ResourceKey, ResourceDiff> diffs = new LinkedHashMap<>();
    Map<ResourceKey, Health> healths = new LinkedHashMap<>();
    Set<ResourceKey> desiredKeys = new HashSet<>();
    List<Integer> toAsk = new ArrayList<>();
    String appKey = target.appNamespace() + "/" + target.appName();
    Map<ObjectNode, Local> before = memos.get(appKey);
    Map<ObjectNode, Local> now = new IdentityHashMap<>();
    int hits = 0;
    String settings = target.destinationNamespace() + "|" + target.options() + "|";
    List<SyncHook> hooks = new ArrayList<>();
    for (ObjectNode source : rendered) {
      ResourceType type =
          kinds.resolve(source.path("apiVersion").asText(), source.path("kind").asText(), crds);
      if (Hook.classify(source) instanceof Hook.Hooked hooked) {
        hooks.add(hook(hooked.hook(), type, source, target, desiredKeys));
        continue;
      }
      Local known = before == null ? null : before.get(source);
      if (known != null && known.type().equals(type) && known.served() == kinds.isServed(type)) {
        String version;
        try {
          version = cache.versionOf(type, known.key().namespace(), known.key().name());
        } catch (KindUnavailableException e) {
          version = "unavailable";
        }
        String rules = settings + ignoresFor(known.key(), target);
        if (Objects.equals(version, known.liveVersion()) && rules.equals(known.settings())) {
          // neither Git's object, nor the live one, nor the app's rules changed since the last
          // comparison: its outcome stands (a large app's resync compares only what changed)
          now.put(source, known);
          hits++;
          if (!desiredKeys.add(known.key())) {
            throw new DuplicateObjectException(known.key());
          }
          diffs.put(known.key(), known.diff());
          healths.put(known.key(), known.health());
          candidates.add(known.candidate());
          if (known.ask()) {
            toAsk.add(candidates.size() - 1);
          }
          continue;
        }
      }
      ObjectNode desired = placed(source, type, target);
      Tracking.mark(desired, target.appNamespace(), target.appName());
      ResourceKey key = ResourceKey.of(desired);
      if (!desiredKeys.add(key)) {
        throw new DuplicateObjectException(key);
      }
      SyncOptions options =
          target
              .options()
              .overriddenBy(SyncOptions.parse(Tracking.annotation(desired, Tracking.SYNC_OPTIONS)));
      boolean ssa = serverSide(options);
      ObjectNode live;
      String version;
      try {
        // the version first: if the object changes meanwhile, the next comparison sees a new one
        version = cache.versionOf(type, key.namespace(), key.name());
        live = cache.get(type, key.namespace(), key.name());
      } catch (KindUnavailableException e) {
        diffs.put(key, new ResourceDiff(false, desired, "", List.of("")));
        healths.put(key, new Health(HealthStatus.Unknown, e.getMessage()));
        candidates.add(new Candidate(key, type, desired, null, false, options, e.getMessage()));
        continue;
      }
      ObjectNode lastApplied = ssa ? applier.ownedByApply(live) : applier.lastAppliedOf(live);
      List<IgnoreRule> ignores = ignoresFor(key, target);
      ResourceDiff diff = DiffEngine.diff(desired, live, lastApplied, ignores, ssa);
      Health assessed = health.assess(live);
      diffs.put(key, diff);
      healths.put(key, assessed);
      // an object on its way out is not what Git wants, whatever its fields say: it is created
      // again once it is gone
      boolean deleting = live != null && live.path("metadata").has("deletionTimestamp");
      Candidate candidate =
          new Candidate(
              key, type, desired, live, live != null && diff.inSync() && !deleting, options, null);
      candidates.add(candidate);
      boolean served = kinds.isServed(type);
      boolean ask = !diff.inSync() && !deleting && preview.enabled() && served;
      if (ask) {
        toAsk.add(candidates.size() - 1);
      }
      now.put(
          source,
          new Local(
              type, served, key, version, settings + ignores, candidate, diff, assessed, ask));
    }
    remember(appKey, now);
    long t = System.nanoTime();
    settleWithServer(target, candidates, diffs, toAsk);
    LOG.debugf(
        "%s: compared %d objects (%d unchanged since the last comparison), %d checked with the"
            + " server in %d ms",
        appKey, rendered.size(), hits, toAsk.size(), (System.nanoTime() - t) / 1_000_000);
    unblockResourcesOfChangingCrds(candidates);
    List<Orphan> orphans = orphans(target, crds, desiredKeys);
    return new Comparison(revision, candidates, diffs, healths, orphans, hooks);
  }

  /**
   * A copy of an object of Git in its namespace: the destination namespace for a namespaced kind
   * that names none, none for a cluster-scoped kind.
   */
  private static ObjectNode placed(ObjectNode source, ResourceType type, Target target) {
    ObjectNode desired = source.deepCopy();
    ObjectNode meta = desired.with("metadata");
    if (type.namespaced()) {
      if (meta.path("namespace").asText("").isEmpty()) {
        meta.put("namespace", target.destinationNamespace());
      }
    } else {
      meta.remove("namespace");
    }
    return desired;
  }

  /** A hook of Git with its namespace set; a named one must not name another object of Git. */
  private static SyncHook hook(
      Hook hook,
      ResourceType type,
      ObjectNode source,
      Target target,
      Set<ResourceKey> desiredKeys) {
    ObjectNode desired = placed(source, type, target);
    if (!desired.path("metadata").path("name").asText("").isEmpty()
        && !desiredKeys.add(ResourceKey.of(desired))) {
      throw new DuplicateObjectException(ResourceKey.of(desired));
    }
    SyncOptions options =
        target
            .options()
            .overriddenBy(SyncOptions.parse(Tracking.annotation(desired, Tracking.SYNC_OPTIONS)));
    return new SyncHook(hook, type, desired, options);
  }

  /** The server's word on every candidate the local diff found different. */
  private void settleWithServer(
      Target target,
      List<Candidate> candidates,
      Map<ResourceKey, ResourceDiff> diffs,
      List<Integer> toAsk) {
    Map<Integer, CompletableFuture<Outcome>> asked = new LinkedHashMap<>();
    for (int i : toAsk) {
      Candidate c = candidates.get(i);
      SyncPlan.Step step = c.asStep();
      boolean ssa = serverSide(c.options());
      asked.put(i, CompletableFuture.supplyAsync(() -> preview.preview(step, ssa), executor));
    }
    asked.forEach(
        (i, future) -> {
          Candidate c = candidates.get(i);
          boolean ssa = serverSide(c.options());
          Outcome outcome = future.join();
          if (ssa && applier.ownershipToMove(c.live())) {
            // client-side ownership left: the apply moves it (and drops the old annotation)
            if (outcome instanceof Rejected r) {
              candidates.set(i, c.withProblem(REJECTED + shown(c, r.message())));
            }
            return;
          }
          LOG.tracef(
              "%s: the API server's dry run says %s", c.key(), outcome.getClass().getSimpleName());
          List<IgnoreRule> ignores = ignoresFor(c.key(), target);
          if (outcome instanceof InSync) {
            diffs.put(c.key(), new ResourceDiff(true, c.live(), "", List.of()));
            candidates.set(i, c.withInSync(c.live() != null));
          } else if (outcome instanceof Differs d) {
            ResourceDiff server =
                DiffEngine.serverDiff(c.desired(), c.live(), d.result(), ignores, ssa);
            diffs.put(c.key(), server);
            candidates.set(i, c.withInSync(c.live() != null && server.inSync()));
          } else if (outcome instanceof Rejected r) {
            candidates.set(i, c.withProblem(REJECTED + shown(c, r.message())));
          }
        });
  }

  /**
   * A custom resource refused against the CRD the cluster has now may be fine under the CRD this
   * same sync applies (a new field, a new enum value): it is not held against the sync, which
   * applies the CRD first and the resource then.
   */
  private static void unblockResourcesOfChangingCrds(List<Candidate> candidates) {
    Set<String> changing = new HashSet<>();
    for (Candidate c : candidates) {
      if ("CustomResourceDefinition".equals(c.key().kind()) && !c.inSync()) {
        JsonNode spec = c.desired().path("spec");
        changing.add(spec.path("group").asText() + "/" + spec.path("names").path("kind").asText());
      }
    }
    if (changing.isEmpty()) {
      return;
    }
    for (int i = 0; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      if (c.problem() != null
          && c.problem().startsWith(REJECTED)
          && changing.contains(c.key().group() + "/" + c.key().kind())) {
        candidates.set(
            i, new Candidate(c.key(), c.type(), c.desired(), c.live(), false, c.options(), null));
      }
    }
  }

  /**
   * The server's message as status may show it: for a Secret, the values the server quotes ({@code
   * Invalid value: "..."}) are masked.
   */
  static String shown(Candidate c, String message) {
    if (!"Secret".equals(c.key().kind()) || !c.key().group().isEmpty() || message == null) {
      return message;
    }
    return message.replaceAll(
        "Invalid value: \"(?:[^\"\\\\]|\\\\.)*\"", "Invalid value: \"++++++++\"");
  }

  private List<Orphan> orphans(Target target, List<JsonNode> crds, Set<ResourceKey> desiredKeys) {
    for (ResourceKeyWithVersion entry : target.inventory()) {
      try {
        String apiVersion =
            entry.group().isEmpty() ? entry.version() : entry.group() + "/" + entry.version();
        cache.watch(kinds.resolve(apiVersion, entry.kind(), crds));
      } catch (UnknownKindException | KindUnavailableException e) {
        // the kind is gone from the cluster (its CRD was deleted), or cannot be listed: the
        // objects of it that Mooring can see are all it can prune
      }
    }
    List<Orphan> orphans = new ArrayList<>();
    String label = Tracking.appLabel(target.appNamespace(), target.appName());
    for (ObjectNode live : cache.listByLabel(label)) {
      ResourceKey key = ResourceKey.of(live);
      if (desiredKeys.contains(key)
          || !Tracking.ownedBy(live, target.appNamespace(), target.appName())) {
        continue;
      }
      if (!live.path("metadata").path("deletionTimestamp").isMissingNode()) {
        continue; // already being deleted
      }
      if (Hook.isHook(live)) {
        continue; // a hook a sync left (its delete policy decides), never pruned as an orphan
      }
      try {
        ResourceType type =
            kinds.resolve(live.path("apiVersion").asText(), live.path("kind").asText(), crds);
        orphans.add(
            new Orphan(
                key,
                type,
                live,
                SyncOptions.parse(Tracking.annotation(live, Tracking.SYNC_OPTIONS))));
      } catch (UnknownKindException e) {
        // cannot happen for a watched kind; skip rather than fail the comparison
      }
    }
    orphans.sort((a, b) -> a.key().compareTo(b.key()));
    return orphans;
  }

  /** The object's sync options decide, else the Application's. */
  public static boolean serverSide(SyncOptions options) {
    return options.isTrue("ServerSideApply");
  }

  /** The Application's ignoreDifferences, plus the object's foreign fields when it has any. */
  private List<IgnoreRule> ignoresFor(ResourceKey key, Target target) {
    List<String> pointers = foreign.pointers(key);
    if (pointers.isEmpty()) {
      return target.ignores();
    }
    List<IgnoreRule> ignores = new ArrayList<>();
    if (target.ignores() != null) {
      ignores.addAll(target.ignores());
    }
    ignores.add(new IgnoreRule(key.group(), key.kind(), key.name(), key.namespace(), pointers));
    return ignores;
  }
}
