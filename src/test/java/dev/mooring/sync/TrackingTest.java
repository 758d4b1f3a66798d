package dev.mooring.sync;

import static dev.mooring.sync.PlanFixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TrackingTest {
  /** Kubernetes' rule for label values. */
  private static final Pattern LABEL_VALUE =
      Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

  private static final String LONG_NS = "team-" + "n".repeat(50);
  private static final String LONG_NAME = "checkout-" + "a".repeat(40);

  @Test
  void a_short_app_label_is_namespace_dot_name() {
    assertThat(Tracking.appLabel("apps", "guestbook")).isEqualTo("apps.guestbook");
  }

  @Test
  void a_long_app_label_is_label_safe_at_most_63_characters_and_stable() {
    String label = Tracking.appLabel(LONG_NS, LONG_NAME);

    assertThat(label).hasSizeLessThanOrEqualTo(63).matches(LABEL_VALUE);
    assertThat(Tracking.appLabel(LONG_NS, LONG_NAME)).isEqualTo(label);
  }

  @Test
  void long_app_labels_that_share_a_prefix_still_differ() {
    assertThat(Tracking.appLabel(LONG_NS, LONG_NAME + "-blue"))
        .isNotEqualTo(Tracking.appLabel(LONG_NS, LONG_NAME + "-green"));
  }

  @Test
  void a_label_cut_just_after_a_dot_or_dash_stays_label_safe() {
    // a 51-character namespace puts the "." separator last in the kept 52 characters
    String ns = "x".repeat(51);
    String name = "y-" + "z".repeat(30);

    assertThat(Tracking.appLabel(ns, name)).hasSize(63).matches(LABEL_VALUE);
  }

  @Test
  void the_tracking_id_names_app_namespace_app_name_group_kind_namespace_and_name() {
    assertThat(
            Tracking.trackingId(
                "argocd", "guestbook", new ResourceKey("apps", "Deployment", "shop", "web")))
        .isEqualTo("argocd/guestbook:apps/Deployment:shop/web");
    assertThat(
            Tracking.trackingId(
                "argocd", "guestbook", new ResourceKey("", "ConfigMap", "shop", "cfg")))
        .isEqualTo("argocd/guestbook:/ConfigMap:shop/cfg");
    assertThat(
            Tracking.trackingId(
                "argocd",
                "guestbook",
                new ResourceKey("rbac.authorization.k8s.io", "ClusterRole", null, "reader")))
        .isEqualTo("argocd/guestbook:rbac.authorization.k8s.io/ClusterRole:/reader");
  }

  @Test
  void marking_adds_the_managed_by_label_the_app_label_and_the_tracking_id() {
    ObjectNode web = deployment("web");

    Tracking.mark(web, "argocd", "guestbook");

    assertThat(web.at("/metadata/labels/app.kubernetes.io~1managed-by").asText())
        .isEqualTo("mooring");
    assertThat(web.at("/metadata/labels/mooring.dev~1app").asText()).isEqualTo("argocd.guestbook");
    assertThat(Tracking.annotation(web, Tracking.TRACKING_ID))
        .isEqualTo("argocd/guestbook:apps/Deployment:shop/web");
    assertThat(web.at("/metadata/labels/tier").asText()).isEqualTo("frontend");
  }

  @Test
  void an_object_marked_by_this_app_is_owned_by_it() {
    ObjectNode web = deployment("web");
    Tracking.mark(web, "argocd", "guestbook");

    assertThat(Tracking.ownedBy(web, "argocd", "guestbook")).isTrue();
  }

  @Test
  void an_object_marked_by_another_app_is_not_owned() {
    ObjectNode web = deployment("web");
    Tracking.mark(web, "argocd", "guestbook");

    assertThat(Tracking.ownedBy(web, "argocd", "guestbook-2")).isFalse();
    assertThat(Tracking.ownedBy(web, "other", "guestbook")).isFalse();
  }

  @Test
  void a_tracking_id_copied_from_another_object_does_not_make_an_object_owned() {
    ObjectNode web = deployment("web");
    Tracking.mark(web, "argocd", "guestbook");
    ObjectNode copy = deployment("api");
    copy.with("metadata")
        .with("annotations")
        .put(Tracking.TRACKING_ID, Tracking.annotation(web, Tracking.TRACKING_ID));

    assertThat(Tracking.ownedBy(copy, "argocd", "guestbook")).isFalse();
  }

  @Test
  void an_object_with_only_the_labels_is_not_owned() {
    ObjectNode web = deployment("web");
    Tracking.mark(web, "argocd", "guestbook");
    ((ObjectNode) web.get("metadata")).remove("annotations");

    assertThat(Tracking.ownedBy(web, "argocd", "guestbook")).isFalse();
  }

  @Test
  void the_sync_wave_is_an_integer_and_anything_else_counts_as_zero() {
    assertThat(Tracking.wave(withWave("-1"))).isEqualTo(-1);
    assertThat(Tracking.wave(withWave(" 3 "))).isEqualTo(3);
    assertThat(Tracking.wave(withWave("12"))).isEqualTo(12);
    assertThat(Tracking.wave(withWave("soon"))).isZero();
    assertThat(Tracking.wave(withWave("1.5"))).isZero();
    assertThat(Tracking.wave(withWave(""))).isZero();
    assertThat(Tracking.wave(withWave("99999999999"))).isZero();
    assertThat(Tracking.wave(deployment("web"))).isZero();
  }

  private static ObjectNode withWave(String wave) {
    ObjectNode d = deployment("web");
    d.with("metadata").with("annotations").put(Tracking.SYNC_WAVE, wave);
    return d;
  }

  private static ObjectNode deployment(String name) {
    return yaml(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "
            + name
            + "\n  namespace: shop\n  labels:\n    tier: frontend\n");
  }
}
