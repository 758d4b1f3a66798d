package dev.mooring.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.source.Digests;
import dev.mooring.sync.SyncPlan.Action;
import dev.mooring.sync.SyncPlan.Step;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Asks the API server what it would store (a server-side dry run of the very write the {@link
 * Applier} would make) when the local three-way diff says an object differs. The server's answer
 * settles what the local diff cannot know: zero values it drops ({@code hostNetwork: false}),
 * defaults, normalisation, admission, validation. Answers are kept per object for as long as the
 * Git content and the live object (status and server bookkeeping aside) stay the same, so an
 * unchanged object is asked about once, and an object Mooring just wrote not at all.
 */
public class ServerPreview {

  /** What the server said about one object. */
  public sealed interface Outcome {}

  /** Applying Git would change nothing. */
  public record InSync() implements Outcome {}

  /** Applying Git would store {@code result}. */
  public record Differs(ObjectNode result) implements Outcome {}

  /** The server refuses the object: schema, immutable field, admission. */
  public record Rejected(String message) implements Outcome {}

  /** The server cannot tell yet: its namespace or kind comes with the same sync, or RBAC. */
  public record Unvalidated(String reason) implements Outcome {}

  private record Key(ResourceKey key, boolean serverSide) {}

  private record Entry(String desired, String live, Outcome outcome) {}

  /** About 100 bytes an object in sync; the objects that differ also keep the server's answer. */
  static final int MAX_ANSWERS = 100_000;

  private final Applier applier;
  private final boolean enabled;
  private final Map<Key, Entry> answers = new ConcurrentHashMap<>();
  private final LongAdder dryRuns = new LongAdder();

  /**
   * @param enabled false where the API server cannot dry-run (the sandbox's in-memory server would
   *     store the write): the local diff alone decides
   */
  public ServerPreview(Applier applier, boolean enabled) {
    this.applier = applier;
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  /** How many dry runs were sent so far (a meter and the benchmarks read it). */
  public long dryRuns() {
    return dryRuns.sum();
  }

  /** The answer for this step, from memory when neither Git nor the live object changed. */
  public Outcome preview(Step step, boolean serverSide) {
    Key key = new Key(step.key(), serverSide);
    String desired = fingerprint(step.desired());
    String live = fingerprintLive(step.live());
    Entry known = answers.get(key);
    if (known != null && known.desired().equals(desired) && known.live().equals(live)) {
      return known.outcome();
    }
    Outcome outcome = ask(step, serverSide);
    // a refusal is asked again next time: it may depend on something else (a CRD's schema, a
    // quota, an admission webhook) that the next sync or a person fixes
    if (outcome instanceof InSync || outcome instanceof Differs) {
      if (answers.size() >= MAX_ANSWERS) {
        answers.clear(); // a bound, not a policy: answers are asked again when needed
      }
      answers.put(key, new Entry(desired, live, outcome));
    }
    return outcome;
  }

  /** After Mooring wrote {@code written} for this step, applying the same again changes nothing. */
  public void written(Step step, boolean serverSide, ObjectNode written) {
    if (written != null) {
      if (answers.size() >= MAX_ANSWERS) {
        answers.clear();
      }
      answers.put(
          new Key(step.key(), serverSide),
          new Entry(fingerprint(step.desired()), fingerprintLive(written), new InSync()));
    }
  }

  /** Drops what is known about an object (deleted, pruned). */
  public void forget(ResourceKey key) {
    answers.remove(new Key(key, true));
    answers.remove(new Key(key, false));
  }

  private Outcome ask(Step step, boolean serverSide) {
    dryRuns.increment();
    try {
      Applier.Applied applied = applier.write(step, serverSide, true);
      if (applied.action() == Action.NONE) {
        return new InSync();
      }
      return new Differs(applied.result());
    } catch (KubernetesClientException e) {
      String message = Applier.describe(e);
      if (e.getCode() == 404 || e.getCode() == 403 || e.getCode() == 401 || e.getCode() >= 500) {
        return new Unvalidated(message);
      }
      if (e.getCode() == 409) {
        return new Unvalidated("changed while being checked: " + message);
      }
      return new Rejected(message);
    } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
      return new Rejected(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  private static String fingerprint(JsonNode desired) {
    return desired == null ? "" : Digests.sha256(desired.toString());
  }

  /**
   * The live object without what changes on its own: status, resourceVersion, generation, and the
   * times and status entries of managedFields.
   */
  static String fingerprintLive(ObjectNode live) {
    if (live == null) {
      return "";
    }
    ObjectNode copy = live.deepCopy();
    copy.remove("status");
    if (copy.get("metadata") instanceof ObjectNode meta) {
      meta.remove("resourceVersion");
      meta.remove("generation");
      if (meta.get("managedFields") instanceof ArrayNode fields) {
        ArrayNode kept = fields.arrayNode();
        for (JsonNode f : fields) {
          if (f.path("subresource").asText("").isEmpty() && f instanceof ObjectNode entry) {
            ObjectNode e = entry.deepCopy();
            e.remove("time");
            kept.add(e);
          }
        }
        meta.set("managedFields", kept);
      }
    }
    return Digests.sha256(copy.toString());
  }
}
