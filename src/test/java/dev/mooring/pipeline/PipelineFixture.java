package dev.mooring.pipeline;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.model.Pipeline;
import dev.mooring.model.PipelineStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.function.Predicate;

/** A pipeline's namespace on the real API server: its Applications, its status, its API. */
final class PipelineFixture {
  final KubernetesClient client;
  final String ns;
  final String pipeline;
  Duration patience = Duration.ofSeconds(90);

  PipelineFixture(KubernetesClient client, String ns, String pipeline) {
    this.client = client;
    this.ns = ns;
    this.pipeline = pipeline;
    namespace(ns);
  }

  /** A one-replica Deployment {@code podinfo} of this image. */
  static String deployment(String image) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: podinfo}
        spec:
          replicas: 1
          selector: {matchLabels: {app: podinfo}}
          template:
            metadata: {labels: {app: podinfo}}
            spec:
              containers: [{name: podinfo, image: %s}]
        """
        .formatted(image);
  }

  void namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(n -> n.update());
  }

  /** An automated Application of a folder (a Kustomize overlay), polled every second. */
  Application app(String name, String repo, String path, String destination, String secret) {
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    ApplicationSpec spec = new ApplicationSpec();
    spec.source = new ApplicationSpec.Source();
    spec.source.repoURL = repo;
    spec.source.path = path;
    spec.source.targetRevision = "main"; // what the pipeline promotes decides, not this
    if (secret != null) {
      spec.source.secretRef = new ApplicationSpec.SecretRef();
      spec.source.secretRef.name = secret;
    }
    spec.destination = new ApplicationSpec.Destination();
    spec.destination.namespace = destination;
    spec.refreshInterval = "1s";
    spec.syncPolicy = new ApplicationSpec.SyncPolicy();
    spec.syncPolicy.automated = new ApplicationSpec.Automated();
    spec.syncPolicy.automated.prune = true;
    spec.syncPolicy.automated.selfHeal = true;
    app.setSpec(spec);
    return client.resource(app).create();
  }

  Pipeline get() {
    return client.resources(Pipeline.class).inNamespace(ns).withName(pipeline).get();
  }

  static PipelineStatus.StageStatus stage(Pipeline p, String name) {
    return p == null || p.getStatus() == null
        ? null
        : p.getStatus().stages.stream().filter(s -> name.equals(s.name)).findFirst().orElse(null);
  }

  PipelineStatus.StageStatus awaitStage(String name, Predicate<PipelineStatus.StageStatus> ok) {
    Pipeline p =
        await()
            .atMost(patience)
            .pollInterval(Duration.ofMillis(200))
            .until(this::get, x -> stage(x, name) != null && ok.test(stage(x, name)));
    return stage(p, name);
  }

  /** The image of a Deployment's first container, null when it does not exist. */
  String image(String namespace, String deployment) {
    Deployment d = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
    return d == null ? null : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  /** POSTs an approval or a rejection ({@code verb}) as the token's name. */
  Response decide(String token, String stage, String verb, String revision) {
    var request = given().contentType("application/json");
    if (token != null) {
      request = request.header("Authorization", "Bearer " + token);
    }
    return request
        .body("{\"revision\": \"" + revision + "\", \"comment\": \"from the test\"}")
        .post("/api/v1/pipelines/" + ns + "/" + pipeline + "/stages/" + stage + "/" + verb);
  }
}
