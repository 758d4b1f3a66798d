package dev.mooring.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ManagedFieldsTest {
  private final ObjectNode live = Fixture.load("managed-fields").live();

  @Test
  void the_fields_an_apply_owns_read_as_the_shape_of_the_object_with_list_keys() {
    ObjectNode owned = ManagedFields.ownedShape(live, ManagedFields.entry("mooring", "Apply"));

    assertThat(owned.at("/metadata/labels").has("app")).isTrue();
    assertThat(owned.at("/metadata/labels").has("tier")).isFalse();
    assertThat(owned.at("/spec").has("replicas")).as("another manager's").isFalse();
    JsonNode container = owned.at("/spec/template/spec/containers/0");
    assertThat(container.path("name").asText()).isEqualTo("web");
    assertThat(container.has("image")).isTrue();
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
    assertThat(container.at("/ports/0/protocol").asText()).isEqualTo("TCP");
  }

  @Test
  void no_entry_of_the_manager_gives_no_shape() {
    assertThat(ManagedFields.ownedShape(live, ManagedFields.entry("flux", "Apply"))).isNull();
  }

  @Test
  void csaupgrade_folds_the_client_side_entry_into_the_apply_and_leaves_the_others() {
    ArrayNode upgraded = ManagedFields.upgraded(live, Set.of("mooring"), "mooring");

    assertThat(upgraded).hasSize(3);
    List<String> managers = upgraded.findValuesAsText("manager");
    assertThat(managers).containsExactly("mooring", "autoscaler", "kube-controller-manager");
    JsonNode apply = upgraded.get(0);
    assertThat(apply.path("operation").asText()).isEqualTo("Apply");
    assertThat(apply.at("/fieldsV1/f:metadata/f:labels").has("f:tier")).isTrue();
    assertThat(
            apply
                .at("/fieldsV1/f:metadata/f:annotations")
                .has("f:kubectl.kubernetes.io/last-applied-configuration"))
        .isTrue();
    assertThat(apply.at("/fieldsV1/f:spec/f:template").isMissingNode()).isFalse();
    assertThat(ManagedFields.has(live, ManagedFields.entry("mooring", "Update"))).isTrue();
  }

  @Test
  void without_client_side_entries_there_is_nothing_to_upgrade() {
    assertThat(ManagedFields.upgraded(live, Set.of("kubectl-client-side-apply"), "mooring"))
        .isNull();
  }

  @Test
  void a_list_entry_key_is_never_removed_as_a_field_git_dropped() {
    // Git omits the protocol, which the server defaulted into the entry's key
    ObjectNode desired =
        Fixture.yaml(
            """
            {apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: shop, labels: {app: web}},
             spec: {selector: {matchLabels: {app: web}}, template: {spec: {containers:
               [{name: web, image: nginx:1.27, ports: [{containerPort: 8080}]}]}}}}""");
    ObjectNode owned = ManagedFields.ownedShape(live, ManagedFields.entry("mooring", "Apply"));

    ResourceDiff diff = DiffEngine.diff(desired, live, owned, List.of(), true);

    assertThat(diff.changedPaths())
        .as("the stale last-applied annotation would go; the port's protocol stays")
        .doesNotContain("/spec/template/spec/containers/0/ports/0/protocol");
  }
}
