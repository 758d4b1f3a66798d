package dev.mooring.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.model.ApplicationStatus;
import dev.mooring.webhook.PushMatcher;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A push to an overlay's base refreshes the overlay's app, though the base is outside its path. */
class WebhookKustomizeMatchTest {
  private static Application app(String sourceType, boolean kustomizeOptions) {
    Application app = new Application();
    app.setSpec(new ApplicationSpec());
    app.getSpec().source = new ApplicationSpec.Source();
    app.getSpec().source.path = "k8s/overlays/dev";
    if (kustomizeOptions) {
      app.getSpec().source.kustomize = new ApplicationSpec.Kustomize();
    }
    app.setStatus(new ApplicationStatus());
    app.getStatus().sourceType = sourceType;
    return app;
  }

  @Test
  void kustomizeAndHelmAppsMatchChangesOutsideTheirFolder() {
    List<String> baseOnly = List.of("k8s/base/deployment.yaml");
    assertThat(PushMatcher.pathTouched("k8s/overlays/dev", baseOnly)).isFalse();
    assertThat(WebhookDispatcher.readsOutsideItsFolder(app("Kustomize", false))).isTrue();
    assertThat(WebhookDispatcher.readsOutsideItsFolder(app("Helm", false))).isTrue();
    assertThat(WebhookDispatcher.readsOutsideItsFolder(app(null, true))).isTrue();
    assertThat(WebhookDispatcher.readsOutsideItsFolder(app("Directory", false))).isFalse();
    assertThat(WebhookDispatcher.readsOutsideItsFolder(app(null, false))).isFalse();
  }
}
