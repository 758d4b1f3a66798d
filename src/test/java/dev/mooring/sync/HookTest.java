package dev.mooring.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mooring.health.Health;
import dev.mooring.health.HealthStatus;
import dev.mooring.sync.Hook.DeletePolicy;
import dev.mooring.sync.Hook.Type;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hook annotations read as Argo CD reads them, Helm's mapped as Argo CD maps them. */
class HookTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonNode object(String annotations) throws Exception {
    return YAML.readTree(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: run-\n  annotations:\n"
            + annotations);
  }

  private static Hook hook(String annotations) throws Exception {
    Hook.Kind kind = Hook.classify(object(annotations));
    assertThat(kind).isInstanceOf(Hook.Hooked.class);
    return ((Hook.Hooked) kind).hook();
  }

  @Test
  void argoCdAndMooringHooksWithPoliciesAndWaves() throws Exception {
    Hook h =
        hook(
            "    argocd.argoproj.io/hook: PreSync,PostSync\n"
                + "    argocd.argoproj.io/hook-delete-policy: HookSucceeded, HookFailed\n"
                + "    argocd.argoproj.io/sync-wave: \"-2\"\n");
    assertThat(h.types()).isEqualTo(Set.of(Type.PreSync, Type.PostSync));
    assertThat(h.deletePolicies())
        .isEqualTo(Set.of(DeletePolicy.HookSucceeded, DeletePolicy.HookFailed));
    assertThat(h.wave()).isEqualTo(-2);
    // no policy named: BeforeHookCreation, as in Argo CD
    assertThat(hook("    mooring.dev/hook: Sync\n").deletePolicies())
        .containsExactly(DeletePolicy.BeforeHookCreation);
    // Mooring's annotation wins over Argo CD's
    assertThat(
            hook("    mooring.dev/hook: SyncFail\n    argocd.argoproj.io/hook: PreSync\n").types())
        .containsExactly(Type.SyncFail);
  }

  @Test
  void skipAndOrdinaryObjects() throws Exception {
    assertThat(Hook.classify(object("    argocd.argoproj.io/hook: Skip\n")))
        .isEqualTo(new Hook.Skipped(null));
    assertThat(Hook.classify(object("    other: x\n"))).isInstanceOf(Hook.Ordinary.class);
    assertThat(Hook.isHook(object("    mooring.dev/hook: PostSync\n"))).isTrue();
    assertThat(Hook.isHook(object("    other: x\n"))).isFalse();
  }

  @Test
  void helmHooksMapAsArgoCdMapsThem() throws Exception {
    Hook pre =
        hook(
            "    helm.sh/hook: pre-install,pre-upgrade\n"
                + "    helm.sh/hook-weight: \"-5\"\n"
                + "    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded\n");
    assertThat(pre.types()).containsExactly(Type.PreSync);
    assertThat(pre.wave()).isEqualTo(-5);
    assertThat(pre.deletePolicies())
        .isEqualTo(Set.of(DeletePolicy.BeforeHookCreation, DeletePolicy.HookSucceeded));
    assertThat(hook("    helm.sh/hook: post-install\n").types()).containsExactly(Type.PostSync);
    assertThat(hook("    helm.sh/hook: post-delete\n").types()).containsExactly(Type.PostDelete);
    // a sync-wave beats the hook-weight
    assertThat(
            hook("    helm.sh/hook: post-upgrade\n    helm.sh/hook-weight: \"3\"\n"
                    + "    argocd.argoproj.io/sync-wave: \"7\"\n")
                .wave())
        .isEqualTo(7);
    // an Argo CD hook annotation makes Helm's ignored
    assertThat(
            hook("    helm.sh/hook: pre-install\n    argocd.argoproj.io/hook: PostSync\n").types())
        .containsExactly(Type.PostSync);
    // tests are left out, crd-install is an ordinary CRD, rollbacks are left out and said so
    assertThat(Hook.classify(object("    helm.sh/hook: test\n"))).isEqualTo(new Hook.Skipped(null));
    assertThat(Hook.classify(object("    helm.sh/hook: crd-install\n")))
        .isInstanceOf(Hook.Ordinary.class);
    Hook.Kind rollback = Hook.classify(object("    helm.sh/hook: pre-rollback\n"));
    assertThat(((Hook.Skipped) rollback).notice()).contains("pre-rollback hooks never run");
  }

  @Test
  void annotationsMooringCannotReadAreRefusedWithWhatIsAccepted() throws Exception {
    assertThatThrownBy(() -> Hook.classify(object("    argocd.argoproj.io/hook: PreSnyc\n")))
        .isInstanceOf(Hook.InvalidHookException.class)
        .hasMessageContaining("unknown value PreSnyc")
        .hasMessageContaining("PreSync, Sync, PostSync, SyncFail");
    assertThatThrownBy(
            () ->
                Hook.classify(
                    object(
                        "    mooring.dev/hook: Sync\n"
                            + "    mooring.dev/hook-delete-policy: Always\n")))
        .hasMessageContaining("hook-delete-policy \"Always\": unknown value Always");
    assertThatThrownBy(() -> Hook.classify(object("    helm.sh/hook: pre-instal\n")))
        .hasMessageContaining("unknown event pre-instal");
    assertThatThrownBy(
            () ->
                Hook.classify(
                    object("    helm.sh/hook: pre-install\n    helm.sh/hook-weight: high\n")))
        .hasMessageContaining("helm.sh/hook-weight \"high\" is not an integer");
    // a malformed hook is never taken for an ordinary object (it must not be pruned as one)
    assertThat(Hook.isHook(object("    mooring.dev/hook: Nope\n"))).isTrue();
  }

  @Test
  void progressOfJobsPodsWorkflowsAndOtherKinds() throws Exception {
    JsonNode running = YAML.readTree("apiVersion: batch/v1\nkind: Job\nstatus: {active: 1}\n");
    assertThat(HookProgress.of(running, null).state()).isEqualTo(HookProgress.State.Running);
    JsonNode complete =
        YAML.readTree(
            "apiVersion: batch/v1\nkind: Job\nstatus:\n  conditions:\n"
                + "  - {type: SuccessCriteriaMet, status: \"True\"}\n"
                + "  - {type: Complete, status: \"True\"}\n");
    assertThat(HookProgress.of(complete, null).state()).isEqualTo(HookProgress.State.Succeeded);
    JsonNode failed =
        YAML.readTree(
            "apiVersion: batch/v1\nkind: Job\nstatus:\n  conditions:\n"
                + "  - {type: Failed, status: \"True\", reason: BackoffLimitExceeded,"
                + " message: Job has reached the specified backoff limit}\n");
    assertThat(HookProgress.of(failed, null))
        .isEqualTo(
            new HookProgress(
                HookProgress.State.Failed, "Job has reached the specified backoff limit"));
    JsonNode pod =
        YAML.readTree(
            "apiVersion: v1\nkind: Pod\nstatus:\n  phase: Failed\n  containerStatuses:\n"
                + "  - name: run\n    state: {terminated: {exitCode: 3, reason: Error}}\n");
    assertThat(HookProgress.of(pod, null).message())
        .isEqualTo("container run exited with 3 (Error)");
    JsonNode pending = YAML.readTree("apiVersion: v1\nkind: Pod\nstatus: {phase: Pending}\n");
    assertThat(HookProgress.of(pending, null).finished()).isFalse();
    JsonNode workflow =
        YAML.readTree("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nstatus: {phase: Error}\n");
    assertThat(HookProgress.of(workflow, null).state()).isEqualTo(HookProgress.State.Failed);
    JsonNode cm = YAML.readTree("apiVersion: v1\nkind: ConfigMap\n");
    assertThat(HookProgress.of(cm, new Health(HealthStatus.Healthy, "")).state())
        .isEqualTo(HookProgress.State.Succeeded);
    assertThat(HookProgress.of(cm, new Health(HealthStatus.Progressing, "rolling")).state())
        .isEqualTo(HookProgress.State.Running);
    assertThat(HookProgress.of(cm, new Health(HealthStatus.Degraded, "broken")).message())
        .isEqualTo("broken");
    assertThat(HookProgress.of(null, null).message()).isEqualTo("deleted before it finished");
  }
}
