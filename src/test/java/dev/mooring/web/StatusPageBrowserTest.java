package dev.mooring.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryService;
import dev.mooring.model.CanarySpec;
import dev.mooring.model.CanaryStatus;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real headless Chromium: it shows an Application and, without a reload, turns
 * it Synced when a sync requested through the API finishes (the event stream at work); likewise a
 * Canary's phase, weight and failed checks follow its status.
 */
@QuarkusTest
@WithRealKubernetes
class StatusPageBrowserTest {
  @Inject KubernetesClient client;

  @TestHTTPResource("/")
  URL page;

  @Test
  void thePageFollowsASyncLiveWithoutReloading() throws Exception {
    Path tmp = Files.createTempDirectory("mooring-page");
    GitRepo repo = GitRepo.init(tmp.resolve("repo"));
    repo.write(
            "cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {v: \"1\"}\n")
        .commit("one");
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("browser").endMetadata().build())
        .createOr(n -> n.update());
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("shop").withNamespace("browser").build());
    app.setSpec(new ApplicationSpec());
    app.getSpec().source = new ApplicationSpec.Source();
    app.getSpec().source.repoURL = repo.url();
    app.getSpec().refreshInterval = "10m";
    client.resource(app).create();

    WebDriver browser = chromium();
    try {
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
      browser.get(page.toString());
      wait.until(
          d -> {
            d.navigate().refresh();
            return !d.findElements(By.cssSelector("#app-browser-shop .sync.OutOfSync")).isEmpty();
          });
      wait.until(d -> "live".equals(d.findElement(By.id("live")).getText()));

      given()
          .header("Authorization", "Bearer admin-token")
          .contentType("application/json")
          .body("{}")
          .post("/api/v1/applications/browser/shop/sync")
          .then()
          .statusCode(202);

      wait.until(d -> !d.findElements(By.cssSelector("#app-browser-shop .sync.Synced")).isEmpty());
      assertThat(browser.findElement(By.cssSelector("#app-browser-shop .operation")).getText())
          .contains("Succeeded");
      byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
      Files.createDirectories(Path.of("target"));
      Files.write(Path.of("target/status-page.png"), png);
    } finally {
      browser.quit();
    }
  }

  @Test
  void thePageFollowsACanaryLiveWithoutReloading() throws Exception {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("browser").endMetadata().build())
        .createOr(n -> n.update());
    Canary canary = new Canary();
    canary.setMetadata(
        new ObjectMetaBuilder().withName("podinfo").withNamespace("browser").build());
    canary.setSpec(new CanarySpec());
    canary.getSpec().targetRef = new CanarySpec.ObjectRef("apps/v1", "Deployment", "podinfo");
    canary.getSpec().service = new CanaryService();
    canary.getSpec().service.port = 80;
    canary.getSpec().suspend = true; // the controller leaves the status written here alone
    Canary created = client.resource(canary).create();
    created.setStatus(status("Progressing", 10, 0));
    client.resource(created).updateStatus();

    WebDriver browser = chromium();
    try {
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
      browser.get(page.toString());
      wait.until(
          d -> {
            d.navigate().refresh();
            return !d.findElements(By.cssSelector("#canary-browser-podinfo .phase .Progressing"))
                .isEmpty();
          });
      wait.until(d -> "live".equals(d.findElement(By.id("live")).getText()));
      assertThat(browser.findElement(By.cssSelector("#canary-browser-podinfo .weight")).getText())
          .isEqualTo("10%");
      assertThat(browser.findElement(By.cssSelector("#canary-browser-podinfo .failed")).getText())
          .isEqualTo("0/1");

      Canary latest =
          client.resources(Canary.class).inNamespace("browser").withName("podinfo").get();
      latest.setStatus(status("Failed", 0, 1));
      client.resource(latest).updateStatus();

      wait.until(
          d -> !d.findElements(By.cssSelector("#canary-browser-podinfo .phase .Failed")).isEmpty());
      wait.until(
          d ->
              "0%"
                  .equals(
                      d.findElement(By.cssSelector("#canary-browser-podinfo .weight")).getText()));
      assertThat(browser.findElement(By.cssSelector("#canary-browser-podinfo .failed")).getText())
          .isEqualTo("1/1");
      assertThat(browser.findElement(By.cssSelector("#canary-browser-podinfo .target")).getText())
          .isEqualTo("podinfo");
      byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
      Files.createDirectories(Path.of("target"));
      Files.write(Path.of("target/status-page-canary.png"), png);
    } finally {
      browser.quit();
    }
  }

  private static CanaryStatus status(String phase, int weight, int failedChecks) {
    CanaryStatus status = new CanaryStatus();
    status.phase = phase;
    status.canaryWeight = weight;
    status.failedChecks = failedChecks;
    return status;
  }

  private static WebDriver chromium() {
    return dev.mooring.testing.Browser.chromium();
  }
}
