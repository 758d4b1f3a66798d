package dev.mooring.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What an object's hook annotations say, read as Argo CD reads them: {@code mooring.dev/hook} (or
 * Argo CD's {@code argocd.argoproj.io/hook}) and its delete policy; without those, Helm's {@code
 * helm.sh/hook}, {@code helm.sh/hook-weight} and {@code helm.sh/hook-delete-policy}, mapped as Argo
 * CD maps them. Pure: reads annotations only.
 *
 * @param types the phases the hook runs in (one object may name several)
 * @param deletePolicies when the hook is deleted; {@code BeforeHookCreation} when none is named
 * @param wave its order within a phase ({@code sync-wave}, else Helm's {@code hook-weight})
 */
public record Hook(Set<Type> types, Set<DeletePolicy> deletePolicies, int wave) {

  public static final String HOOK = "mooring.dev/hook";
  public static final String DELETE_POLICY = "mooring.dev/hook-delete-policy";
  public static final String HELM_HOOK = "helm.sh/hook";
  public static final String HELM_WEIGHT = "helm.sh/hook-weight";
  public static final String HELM_DELETE_POLICY = "helm.sh/hook-delete-policy";

  /** The phases of a sync (and of an Application's deletion) a hook runs in. */
  public enum Type {
    PreSync,
    Sync,
    PostSync,
    SyncFail,
    PostDelete,
    PreDelete
  }

  /** When a hook object is deleted. */
  public enum DeletePolicy {
    HookSucceeded,
    HookFailed,
    BeforeHookCreation
  }

  /** What an object of Git is to a sync. */
  public sealed interface Kind permits Ordinary, Skipped, Hooked {}

  /** Not a hook: compared and applied as usual. */
  public record Ordinary() implements Kind {}

  /**
   * Never applied. {@code notice} says why when the user may not expect it (a Helm hook event
   * nothing runs), and is null for what is left out on purpose ({@code Skip}, Helm tests).
   */
  public record Skipped(String notice) implements Kind {}

  /** A hook: run in its phases, never compared or pruned as an ordinary object. */
  public record Hooked(Hook hook) implements Kind {}

  /** A hook annotation Mooring cannot read; the object is refused rather than guessed at. */
  public static final class InvalidHookException extends IllegalArgumentException {
    public InvalidHookException(String message) {
      super(message);
    }
  }

  /** True when the object is a hook (of any annotation), as a live object is tested for pruning. */
  public static boolean isHook(JsonNode object) {
    try {
      return classify(object) instanceof Hooked;
    } catch (InvalidHookException e) {
      return true; // a malformed hook annotation is never taken for an ordinary object
    }
  }

  /** Reads an object's hook annotations. */
  public static Kind classify(JsonNode object) {
    String own = Tracking.annotation(object, HOOK);
    if (own != null) {
      return ownHook(object, own);
    }
    JsonNode annotations = object.path("metadata").path("annotations");
    JsonNode helm = annotations.get(HELM_HOOK);
    if (helm == null || !helm.isTextual()) {
      return new Ordinary();
    }
    return helmHook(object, helm.asText());
  }

  private static Kind ownHook(JsonNode object, String value) {
    Set<Type> types = EnumSet.noneOf(Type.class);
    for (String part : parts(value)) {
      if (part.equals("Skip")) {
        return new Skipped(null);
      }
      types.add(parse(Type.class, part, "hook", value));
    }
    if (types.isEmpty()) {
      throw new InvalidHookException(
          "hook annotation is empty; name PreSync, Sync, PostSync, SyncFail, PostDelete or Skip");
    }
    Set<DeletePolicy> policies = EnumSet.noneOf(DeletePolicy.class);
    String policy = Tracking.annotation(object, DELETE_POLICY);
    if (policy != null) {
      for (String part : parts(policy)) {
        policies.add(parse(DeletePolicy.class, part, "hook-delete-policy", policy));
      }
    }
    return new Hooked(of(types, policies, Tracking.wave(object)));
  }

  /** Helm's hook events, mapped as Argo CD maps them. */
  private static Kind helmHook(JsonNode object, String value) {
    Set<Type> types = EnumSet.noneOf(Type.class);
    List<String> unrun = new ArrayList<>();
    boolean test = false;
    boolean crd = false;
    for (String part : parts(value)) {
      switch (part.toLowerCase(Locale.ROOT)) {
        case "pre-install", "pre-upgrade" -> types.add(Type.PreSync);
        case "post-install", "post-upgrade" -> types.add(Type.PostSync);
        case "post-delete" -> types.add(Type.PostDelete);
        case "pre-delete" -> types.add(Type.PreDelete);
        case "crd-install" -> crd = true;
        case "test", "test-success", "test-failure" -> test = true;
        case "pre-rollback", "post-rollback" -> unrun.add(part);
        default ->
            throw new InvalidHookException(
                HELM_HOOK
                    + " \""
                    + value
                    + "\": unknown event "
                    + part
                    + " (Helm's are pre-install, post-install, pre-upgrade, post-upgrade,"
                    + " pre-delete, post-delete, pre-rollback, post-rollback, test)");
      }
    }
    if (types.isEmpty()) {
      if (crd && unrun.isEmpty() && !test) {
        return new Ordinary(); // Helm 2's crd-install: an ordinary CRD, applied first as CRDs are
      }
      if (!unrun.isEmpty()) {
        return new Skipped(
            HELM_HOOK
                + ": "
                + String.join(", ", unrun)
                + " hooks never run: a sync is neither an upgrade nor a rollback of a Helm"
                + " release");
      }
      return new Skipped(null);
    }
    Set<DeletePolicy> policies = EnumSet.noneOf(DeletePolicy.class);
    JsonNode policy = object.path("metadata").path("annotations").get(HELM_DELETE_POLICY);
    if (policy != null && policy.isTextual()) {
      for (String part : parts(policy.asText())) {
        policies.add(
            switch (part.toLowerCase(Locale.ROOT)) {
              case "before-hook-creation" -> DeletePolicy.BeforeHookCreation;
              case "hook-succeeded" -> DeletePolicy.HookSucceeded;
              case "hook-failed" -> DeletePolicy.HookFailed;
              default ->
                  throw new InvalidHookException(
                      HELM_DELETE_POLICY
                          + " \""
                          + policy.asText()
                          + "\": unknown policy "
                          + part
                          + " (Helm's are before-hook-creation, hook-succeeded, hook-failed)");
            });
      }
    }
    int wave = Tracking.wave(object);
    if (Tracking.annotation(object, Tracking.SYNC_WAVE) == null) {
      JsonNode weight = object.path("metadata").path("annotations").get(HELM_WEIGHT);
      if (weight != null && weight.isTextual() && !weight.asText().isBlank()) {
        try {
          wave = Integer.parseInt(weight.asText().trim());
        } catch (NumberFormatException e) {
          throw new InvalidHookException(
              HELM_WEIGHT + " \"" + weight.asText() + "\" is not an integer");
        }
      }
    }
    return new Hooked(of(types, policies, wave));
  }

  private static Hook of(Set<Type> types, Set<DeletePolicy> policies, int wave) {
    if (policies.isEmpty()) {
      policies = EnumSet.of(DeletePolicy.BeforeHookCreation);
    }
    return new Hook(Set.copyOf(types), Set.copyOf(policies), wave);
  }

  private static List<String> parts(String value) {
    List<String> parts = new ArrayList<>();
    for (String p : value.split(",")) {
      if (!p.isBlank()) {
        parts.add(p.trim());
      }
    }
    return parts;
  }

  private static <E extends Enum<E>> E parse(
      Class<E> type, String part, String annotation, String value) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(part)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name());
    }
    if (type == Type.class) {
      names.add("Skip");
    }
    throw new InvalidHookException(
        annotation
            + " \""
            + value
            + "\": unknown value "
            + part
            + " (one of "
            + String.join(", ", names)
            + ")");
  }

  public boolean runsIn(Type type) {
    return types.contains(type);
  }

  public boolean deletedWhen(DeletePolicy policy) {
    return deletePolicies.contains(policy);
  }
}
