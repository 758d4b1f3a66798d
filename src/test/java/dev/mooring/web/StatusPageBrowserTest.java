package dev.mooring.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.testing.GitRepo;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
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
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in a real headless Chromium: it shows an Application and, without a reload, turns
 * it Synced when a sync requested through the API finishes (the event stream at work).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, https = false)
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

  private static WebDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1200,600");
    // the Debian driver; Selenium must never try to download one
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
            .build();
    return new ChromeDriver(service, options);
  }
}
