package dev.mooring.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.model.Canary;
import dev.mooring.model.CanaryAnalysis;
import dev.mooring.model.CanaryService;
import dev.mooring.model.CanarySpec;
import dev.mooring.model.CanaryStatus;
import dev.mooring.model.Pipeline;
import dev.mooring.testing.Browser;
import dev.mooring.testing.GitRepo;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real headless Chromium against the real API server: every view opens from the
 * list by clicking; Sync on an OutOfSync app leads to Synced; a drifted object's diff shows the
 * changed field; history with Rollback; a bad token shows the error; a canary chart has one point
 * per analysis record; an approval click moves the pipeline stage. Screenshots of each view go to
 * {@code target/screenshots/}.
 */
@QuarkusTest
@WithRealKubernetes
class WebUiBrowserTest {
  static final Duration PATIENCE = Duration.ofSeconds(30);

  @Inject KubernetesClient client;

  @TestHTTPResource("/")
  URL page;

  private void namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(n -> n.update());
  }

  private static void setToken(WebDriver browser, WebDriverWait wait, String token) {
    WebElement form = browser.findElement(By.id("token-form"));
    if (!form.isDisplayed()) {
      browser.findElement(By.id("token-button")).click();
    }
    WebElement input = wait.until(d -> d.findElement(By.id("token-input")));
    input.clear();
    input.sendKeys(token);
    form.findElement(By.cssSelector("button[type=submit]")).click();
  }

  /** Opens the list, reloading it until the controller has written what {@code css} finds. */
  private void openListUntil(WebDriver browser, WebDriverWait wait, String css) {
    browser.get(page.toString());
    wait.until(
        d -> {
          d.navigate().refresh();
          return !d.findElements(By.cssSelector(css)).isEmpty();
        });
  }

  /**
   * The element's text; the page re-renders live, so an element replaced meanwhile is found again.
   */
  private static String text(WebDriver browser, String css) {
    for (int attempt = 1; ; attempt++) {
      List<WebElement> found = browser.findElements(By.cssSelector(css));
      try {
        return found.isEmpty() ? "" : found.get(0).getText();
      } catch (org.openqa.selenium.StaleElementReferenceException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  private static void requestSync(WebDriver browser, WebDriverWait wait) {
    wait.until(d -> d.findElement(By.id("sync-button")).isEnabled());
    browser.findElement(By.id("sync-button")).click();
    wait.until(d -> d.findElement(By.id("sync-submit")).isDisplayed());
    browser.findElement(By.id("sync-submit")).click();
  }

  private static String cm(String name, String value, String wave) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
        + name
        + (wave == null ? "" : "\n  annotations: {mooring.dev/sync-wave: \"" + wave + "\"}")
        + "\ndata: {v: \""
        + value
        + "\"}\n";
  }

  @Test
  void anApplicationFromTheListToSyncDiffHistoryAndRollback() throws Exception {
    namespace("ui");
    Path tmp = Files.createTempDirectory("mooring-ui");
    GitRepo repo = GitRepo.init(tmp.resolve("repo"));
    String c1 =
        repo.write("settings.yaml", cm("settings", "1", null))
            .write("early.yaml", cm("early", "1", "-1"))
            .commit("the first settings");
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("ui").build());
    app.setSpec(new ApplicationSpec());
    app.getSpec().source = new ApplicationSpec.Source();
    app.getSpec().source.repoURL = repo.url();
    app.getSpec().destination = new ApplicationSpec.Destination();
    app.getSpec().destination.namespace = "ui";
    app.getSpec().refreshInterval = "2s";
    client.resource(app).create();

    ChromeDriver browser = Browser.chromium();
    try {
      WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
      openListUntil(browser, wait, "#app-ui-web .sync.OutOfSync");
      assertThat(text(browser, "#app-ui-web .revision"))
          .contains(c1.substring(0, 7))
          .contains("the first settings");
      Browser.screenshot(browser, "list");
      // keyboard only: Tab to the Application's link, Enter opens it
      boolean focused = false;
      for (int i = 0; i < 60 && !focused; i++) {
        browser.switchTo().activeElement().sendKeys(Keys.TAB);
        String href = browser.switchTo().activeElement().getAttribute("href");
        focused = href != null && href.endsWith("/applications/ui/web");
      }
      assertThat(focused).as("the Application's link is reached with Tab").isTrue();
      browser.switchTo().activeElement().sendKeys(Keys.ENTER);

      // the detail page: summary, resources by wave and kind
      wait.until(d -> !d.findElements(By.cssSelector("#badges .OutOfSync")).isEmpty());
      assertThat(browser.getCurrentUrl()).endsWith("/applications/ui/web");
      wait.until(d -> d.findElements(By.cssSelector("#resources tr.resource")).size() == 2);
      List<String> groups =
          browser.findElements(By.cssSelector("#resources tr.group")).stream()
              .map(WebElement::getText)
              .toList();
      assertThat(groups).containsExactly("Wave -1 · ConfigMap (1)", "Wave 0 · ConfigMap (1)");
      assertThat(text(browser, "#summary"))
          .contains("the first settings")
          .contains(c1.substring(0, 7));
      Browser.screenshot(browser, "application-outofsync");

      // a bad token: the answer is shown, nothing runs
      setToken(browser, wait, "not-a-token");
      requestSync(browser, wait);
      wait.until(d -> text(d, "#messages").contains("401 Unauthorized"));
      Browser.screenshot(browser, "application-bad-token");
      assertThat(
              given()
                  .get("/api/v1/applications/ui/web")
                  .jsonPath()
                  .getString("status.operationState"))
          .isNull();
      setToken(browser, wait, "viewer-token");
      requestSync(browser, wait);
      wait.until(d -> text(d, "#messages").contains("403 Forbidden"));

      // a dry run of one selected resource shows the plan and writes nothing
      setToken(browser, wait, "admin-token");
      browser.findElement(By.id("sync-button")).click();
      browser.findElement(By.cssSelector("#sync-form input[name=dryRun]")).click();
      browser.findElement(By.cssSelector("#sync-form input[name=selected]")).click();
      browser
          .findElement(By.cssSelector("#sync-resources input[value*='\"name\":\"settings\"']"))
          .click();
      browser.findElement(By.id("sync-submit")).click();
      wait.until(d -> text(d, "#dry-run").contains("nothing was written"));
      assertThat(browser.findElements(By.cssSelector("#dry-run tbody tr"))).hasSize(1);
      assertThat(text(browser, "#dry-run tbody tr")).contains("ui/settings").contains("created");
      assertThat(client.configMaps().inNamespace("ui").withName("settings").get()).isNull();
      browser.findElement(By.cssSelector("#sync-form input[name=dryRun]")).click();
      browser.findElement(By.cssSelector("#sync-form input[name=selected]")).click();
      browser.findElement(By.id("sync-cancel")).click();

      // a Sync click leads to Synced, with the operation and a history entry
      requestSync(browser, wait);
      wait.until(d -> !d.findElements(By.cssSelector("#badges .Synced")).isEmpty());
      wait.until(d -> text(d, "#operation-phase").contains("Succeeded"));
      wait.until(d -> d.findElements(By.cssSelector("#history tbody tr")).size() == 1);
      assertThat(text(browser, "#history tbody tr"))
          .contains("the first settings")
          .contains("admin");
      Browser.screenshot(browser, "application-synced");

      // drift: the diff of that object shows the changed field
      ConfigMap live = client.configMaps().inNamespace("ui").withName("settings").get();
      live.getData().put("v", "drifted-by-hand");
      client.resource(live).update();
      wait.until(d -> !d.findElements(By.cssSelector("#badges .OutOfSync")).isEmpty());
      browser.findElement(By.cssSelector("#resources tr[data-name=settings] .diff-button")).click();
      wait.until(d -> text(d, "#diff pre.diff").contains("drifted-by-hand"));
      assertThat(
              browser.findElements(By.cssSelector("#diff pre.diff .del")).stream()
                  .map(WebElement::getText)
                  .toList())
          .anySatisfy(line -> assertThat(line).contains("drifted-by-hand"));
      assertThat(
              browser.findElements(By.cssSelector("#diff pre.diff .add")).stream()
                  .map(WebElement::getText)
                  .toList())
          .anySatisfy(line -> assertThat(line).contains("v: \"1\""));
      Browser.screenshot(browser, "application-diff");

      // a second commit, synced; then a rollback click goes back to the first
      String c2 =
          repo.write("settings.yaml", cm("settings", "2", null)).commit("the second settings");
      browser.findElement(By.id("refresh-button")).click();
      wait.until(d -> text(d, "#messages").contains("Refreshing"));
      wait.until(d -> text(d, "#summary").contains(c2.substring(0, 7)));
      requestSync(browser, wait);
      wait.until(d -> d.findElements(By.cssSelector("#history tbody tr")).size() == 2);
      wait.until(d -> !d.findElements(By.cssSelector("#badges .Synced")).isEmpty());
      ((JavascriptExecutor) browser).executeScript("window.confirm = () => true;");
      browser.findElement(By.cssSelector("#history tr[data-id='1'] .rollback-button")).click();
      wait.until(d -> d.findElements(By.cssSelector("#history tbody tr")).size() == 3);
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  "1"
                      .equals(
                          client
                              .configMaps()
                              .inNamespace("ui")
                              .withName("settings")
                              .get()
                              .getData()
                              .get("v")));
      assertThat(text(browser, "#history tbody tr")).contains(c1.substring(0, 7));
      Browser.colorScheme(browser, "dark");
      Browser.screenshot(browser, "application-dark");
      Browser.phoneWidth(browser, true);
      Browser.screenshot(browser, "application-phone");
      Browser.phoneWidth(browser, false);
      Browser.colorScheme(browser, "light");
    } finally {
      Browser.console(browser).forEach(line -> System.out.println("browser console: " + line));
      browser.quit();
    }
  }

  @Test
  void aRunningSyncShowsItsProgressPerResourceAndTerminateStopsIt() throws Exception {
    namespace("ui-slow");
    Path tmp = Files.createTempDirectory("mooring-ui-slow");
    GitRepo repo = GitRepo.init(tmp.resolve("repo"));
    repo.write("cm.yaml", cm("first", "1", null))
        .write("last.yaml", cm("last", "1", "2"))
        .write(
            "web.yaml",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              annotations: {mooring.dev/sync-wave: "1"}
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: nginx:1.27}]}
            """)
        .commit("a ConfigMap, a Deployment that never gets ready (no kubelet), a ConfigMap");
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("slow").withNamespace("ui-slow").build());
    app.setSpec(new ApplicationSpec());
    app.getSpec().source = new ApplicationSpec.Source();
    app.getSpec().source.repoURL = repo.url();
    app.getSpec().destination = new ApplicationSpec.Destination();
    app.getSpec().destination.namespace = "ui-slow";
    app.getSpec().refreshInterval = "10m";
    client.resource(app).create();

    ChromeDriver browser = Browser.chromium();
    try {
      WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
      openListUntil(browser, wait, "#app-ui-slow-slow .sync.OutOfSync");
      browser.findElement(By.cssSelector("#app-ui-slow-slow a.app-link")).click();
      wait.until(d -> !d.findElements(By.cssSelector("#badges .OutOfSync")).isEmpty());
      setToken(browser, wait, "admin-token");
      requestSync(browser, wait);
      // waves 0 and 1 applied; the sync waits for the Deployment before wave 2
      wait.until(d -> text(d, "#operation-phase").contains("2 of 3 resources done"));
      assertThat(text(browser, "#operation-phase")).contains("Running");
      assertThat(text(browser, "#operation tbody"))
          .contains("ui-slow/first")
          .contains("ui-slow/web")
          .contains("created")
          .doesNotContain("ui-slow/last");
      wait.until(d -> d.findElement(By.id("terminate-button")).isEnabled());
      Browser.screenshot(browser, "application-running");
      ((JavascriptExecutor) browser).executeScript("window.confirm = () => true;");
      browser.findElement(By.id("terminate-button")).click();
      wait.until(d -> text(d, "#operation-phase").contains("Terminated"));
      wait.until(d -> text(d, "#history").contains("Terminated"));
      assertThat(
              browser.findElement(By.cssSelector("#history tbody tr .rollback-button")).isEnabled())
          .as("a sync that did not finish is not a rollback target")
          .isFalse();
    } finally {
      Browser.console(browser).forEach(line -> System.out.println("browser console: " + line));
      browser.quit();
    }
  }

  private static CanaryStatus.AnalysisRecord record(
      Instant at, String metric, double value, boolean passed, int weight) {
    CanaryStatus.AnalysisRecord r =
        new CanaryStatus.AnalysisRecord(
            at.toString(),
            metric,
            value,
            99.0,
            null,
            passed,
            passed ? "ok" : value + " is below 99");
    r.weight = weight;
    return r;
  }

  @Test
  void aCanaryChartHasOnePointPerAnalysisRecordAndFollowsNewOnes() throws Exception {
    namespace("ui-canary");
    Canary canary = new Canary();
    canary.setMetadata(
        new ObjectMetaBuilder().withName("podinfo").withNamespace("ui-canary").build());
    canary.setSpec(new CanarySpec());
    canary.getSpec().targetRef = new CanarySpec.ObjectRef("apps/v1", "Deployment", "podinfo");
    canary.getSpec().service = new CanaryService();
    canary.getSpec().service.port = 80;
    canary.getSpec().analysis = new CanaryAnalysis();
    canary.getSpec().analysis.threshold = 2;
    canary.getSpec().suspend = true; // the controller leaves the status written here alone
    Canary created = client.resource(canary).create();
    Instant t0 = Instant.now().minusSeconds(300);
    CanaryStatus status = new CanaryStatus();
    status.phase = "Progressing";
    status.canaryWeight = 30;
    status.failedChecks = 1;
    status.analysisHistory = new ArrayList<>();
    status.analysisHistory.add(record(t0, "request-success-rate", 99.9, true, 10));
    status.analysisHistory.add(record(t0.plusSeconds(60), "request-success-rate", 98.2, false, 20));
    status.analysisHistory.add(record(t0.plusSeconds(120), "request-success-rate", 99.5, true, 30));
    CanaryStatus.AnalysisRecord hook =
        new CanaryStatus.AnalysisRecord(
            t0.plusSeconds(120).toString(), "load-test", null, null, null, true, "200 OK");
    hook.webhook = "rollout";
    status.analysisHistory.add(hook);
    created.setStatus(status);
    client.resource(created).updateStatus();

    ChromeDriver browser = Browser.chromium();
    try {
      WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
      openListUntil(browser, wait, "#canary-ui-canary-podinfo a.canary-link");
      browser.findElement(By.cssSelector("#canary-ui-canary-podinfo a.canary-link")).click();
      wait.until(d -> !d.findElements(By.cssSelector("#chart-metric-0")).isEmpty());
      WebElement chart = browser.findElement(By.id("chart-metric-0"));
      assertThat(chart.getAttribute("data-points")).isEqualTo("3");
      assertThat(chart.findElements(By.cssSelector("tr.point"))).hasSize(3);
      assertThat(chart.findElements(By.cssSelector("canvas"))).isNotEmpty();
      assertThat(browser.findElement(By.id("chart-weight")).getAttribute("data-points"))
          .isEqualTo("3");
      assertThat(text(browser, "#weight")).isEqualTo("30%");
      assertThat(text(browser, "#failed")).isEqualTo("1/2");
      assertThat(text(browser, "#webhooks"))
          .contains("load-test")
          .contains("rollout")
          .contains("200 OK");
      assertThat(text(browser, "#checks")).contains("98.2 is below 99");
      Browser.screenshot(browser, "canary");

      // a new record arrives: the chart follows without a reload
      Canary latest =
          client.resources(Canary.class).inNamespace("ui-canary").withName("podinfo").get();
      latest
          .getStatus()
          .analysisHistory
          .add(record(t0.plusSeconds(180), "request-success-rate", 99.7, true, 40));
      latest.getStatus().canaryWeight = 40;
      client.resource(latest).updateStatus();
      wait.until(
          d -> "4".equals(d.findElement(By.id("chart-metric-0")).getAttribute("data-points")));
      assertThat(text(browser, "#weight")).isEqualTo("40%");
      Browser.colorScheme(browser, "dark");
      Browser.screenshot(browser, "canary-dark");
    } finally {
      Browser.console(browser).forEach(line -> System.out.println("browser console: " + line));
      browser.quit();
    }
  }

  private void app(String name, String repo, String path, String destination) {
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ui-pipe").build());
    ApplicationSpec spec = new ApplicationSpec();
    spec.source = new ApplicationSpec.Source();
    spec.source.repoURL = repo;
    spec.source.path = path;
    spec.source.targetRevision = "main";
    spec.destination = new ApplicationSpec.Destination();
    spec.destination.namespace = destination;
    spec.refreshInterval = "1s";
    spec.syncPolicy = new ApplicationSpec.SyncPolicy();
    spec.syncPolicy.automated = new ApplicationSpec.Automated();
    app.setSpec(spec);
    client.resource(app).create();
  }

  @Test
  void anApprovalClickMovesThePipelineStage() throws Exception {
    namespace("ui-pipe");
    namespace("ui-pipe-dev");
    namespace("ui-pipe-staging");
    Path tmp = Files.createTempDirectory("mooring-ui-pipe");
    GitRepo repo = GitRepo.init(tmp.resolve("shop"));
    repo.write("base/config.yaml", cm("shop", "1", null))
        .write("base/kustomization.yaml", "resources: [config.yaml]\n");
    for (String overlay : new String[] {"dev", "staging"}) {
      repo.write(overlay + "/kustomization.yaml", "resources: [../base]\n");
    }
    String c1 = repo.commit("version 1");
    app("shop-dev", repo.url(), "dev", "ui-pipe-dev");
    app("shop-staging", repo.url(), "staging", "ui-pipe-staging");
    client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: mooring.dev/v1alpha1
                kind: Pipeline
                metadata: {name: shop, namespace: ui-pipe}
                spec:
                  source: {repoURL: %s, targetRevision: main}
                  stages:
                  - {name: dev, application: shop-dev}
                  - {name: staging, application: shop-staging, approvals: {required: 1, approvers: [alice]}}
                """
                    .formatted(repo.url()),
                Pipeline.class))
        .create();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              Pipeline p =
                  client.resources(Pipeline.class).inNamespace("ui-pipe").withName("shop").get();
              return p.getStatus() != null
                  && p.getStatus().stages.stream()
                      .anyMatch(s -> "staging".equals(s.name) && "WaitingApproval".equals(s.phase));
            });

    ChromeDriver browser = Browser.chromium();
    try {
      WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
      browser.get(page.toString());
      browser.findElement(By.cssSelector("#pipeline-ui-pipe-shop a.pipeline-link")).click();
      wait.until(
          d ->
              !d.findElements(By.cssSelector("#stage-staging[data-phase=WaitingApproval]"))
                  .isEmpty());
      List<WebElement> stages = browser.findElements(By.cssSelector("#stages section.stage"));
      assertThat(stages)
          .extracting(e -> e.getAttribute("data-stage"))
          .containsExactly("dev", "staging");
      assertThat(text(browser, "#stage-staging"))
          .contains("Waiting for")
          .contains(c1.substring(0, 7))
          .contains("Approvals: 0/1");
      Browser.screenshot(browser, "pipeline-waiting");

      // bob is not an approver of staging: the 403 is shown and nothing moves
      setToken(browser, wait, "bob-token");
      browser.findElement(By.cssSelector("#stage-staging .approve-button")).click();
      wait.until(d -> text(d, "#messages").contains("403"));
      setToken(browser, wait, "alice-token");
      browser.findElement(By.cssSelector("#stage-staging .approve-button")).click();
      wait.until(
          d ->
              d.findElements(By.cssSelector("#stage-staging[data-phase=WaitingApproval]"))
                  .isEmpty());
      wait.until(
          d -> !d.findElements(By.cssSelector("#stage-staging[data-phase=Succeeded]")).isEmpty());
      assertThat(text(browser, "#stage-staging .revision")).contains(c1.substring(0, 7));
      assertThat(text(browser, "#history")).contains("alice");
      Browser.screenshot(browser, "pipeline-approved");
      wait.until(d -> text(d, "#events").contains("Approved"));
    } finally {
      Browser.console(browser).forEach(line -> System.out.println("browser console: " + line));
      browser.quit();
    }
  }
}
