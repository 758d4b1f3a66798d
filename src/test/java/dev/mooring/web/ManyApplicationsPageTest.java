package dev.mooring.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mooring.model.Application;
import dev.mooring.model.ApplicationSpec;
import dev.mooring.testing.Browser;
import dev.mooring.testing.WithRealKubernetes;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The list with 1,000 Applications on the real API server, in a real Chromium: it renders them all,
 * the filters work, and the first paint is measured (printed as a table, not asserted).
 */
@QuarkusTest
@WithRealKubernetes
class ManyApplicationsPageTest {
  static final int APPS = 1000;

  @Inject KubernetesClient client;

  @TestHTTPResource("/")
  URL page;

  @Test
  void aThousandApplicationsAreListedFilteredAndPaintedQuickly() throws Exception {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("many").endMetadata().build())
        .createOr(n -> n.update());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> created = new ArrayList<>();
    for (int i = 0; i < APPS; i++) {
      String name = String.format("app-%04d", i);
      created.add(
          pool.submit(
              () -> {
                Application app = new Application();
                app.setMetadata(
                    new ObjectMetaBuilder().withName(name).withNamespace("many").build());
                app.setSpec(new ApplicationSpec());
                app.getSpec().source = new ApplicationSpec.Source();
                // no repository: each one is an InvalidSpec error at once, with no Git to wait for
                app.getSpec().source.repoURL = "";
                app.getSpec().refreshInterval = "10m";
                client.resource(app).create();
              }));
    }
    for (Future<?> f : created) {
      f.get();
    }
    pool.shutdown();
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                given().get("/api/v1/applications").jsonPath().getList("problem.reason").stream()
                        .filter("InvalidSpec"::equals)
                        .count()
                    == APPS);

    ChromeDriver browser = Browser.chromium();
    try {
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
      List<long[]> runs = new ArrayList<>();
      for (int run = 0; run < 3; run++) {
        browser.get(page.toString() + "?run=" + run);
        wait.until(d -> d.findElements(By.cssSelector("#apps tbody tr[data-key]")).size() == APPS);
        @SuppressWarnings("unchecked")
        Map<String, Object> t =
            (Map<String, Object>)
                ((JavascriptExecutor) browser)
                    .executeScript(
                        "const n = performance.getEntriesByType('navigation')[0];"
                            + " const p = performance.getEntriesByName('first-contentful-paint')[0];"
                            + " return {response: Math.round(n.responseEnd),"
                            + " paint: p ? Math.round(p.startTime) : -1,"
                            + " loaded: Math.round(n.domContentLoadedEventEnd),"
                            + " bytes: n.encodedBodySize};");
        runs.add(
            new long[] {
              ((Number) t.get("response")).longValue(),
              ((Number) t.get("paint")).longValue(),
              ((Number) t.get("loaded")).longValue(),
              ((Number) t.get("bytes")).longValue()
            });
      }
      System.out.println();
      System.out.printf("The list page with %d Applications, in headless Chromium%n", APPS);
      System.out.println(
          "| run | response done (ms) | first contentful paint (ms) | DOMContentLoaded (ms) | HTML (bytes) |");
      System.out.println("|---|---|---|---|---|");
      for (int i = 0; i < runs.size(); i++) {
        long[] r = runs.get(i);
        System.out.printf("| %d | %d | %d | %d | %d |%n", i + 1, r[0], r[1], r[2], r[3]);
      }
      assertThat(runs)
          .allSatisfy(r -> assertThat(r[1]).as("a first paint was recorded").isPositive());

      // the filters, on all of them
      browser.findElement(By.id("filter-text")).sendKeys("app-0999");
      wait.until(d -> d.findElement(By.id("filter-count")).getText().equals("1 of 1000 shown"));
      assertThat(browser.findElement(By.id("app-many-app-0999")).isDisplayed()).isTrue();
      assertThat(browser.findElement(By.id("app-many-app-0998")).isDisplayed()).isFalse();
      browser.findElement(By.id("filter-text")).clear();
      browser.findElement(By.id("filter-text")).sendKeys("many/");
      browser.findElement(By.id("filter-error")).click();
      wait.until(d -> d.findElement(By.id("filter-count")).getText().equals("1000 of 1000 shown"));
      assertThat(browser.findElement(By.cssSelector("#app-many-app-0500 .problem.error")).getText())
          .contains("InvalidSpec");
      Browser.screenshot(browser, "list-1000-filtered");
    } finally {
      browser.quit();
    }
  }
}
