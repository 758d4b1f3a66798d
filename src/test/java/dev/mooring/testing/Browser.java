package dev.mooring.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** A real headless Chromium (the Debian package and its driver) for the page tests. */
public final class Browser {
  private Browser() {}

  /** A new headless Chromium, 1280 x 900. */
  public static ChromeDriver chromium() {
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
        "--window-size=1280,900");
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    // the Debian driver; Selenium must never try to download one
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .build();
    return new ChromeDriver(service, options);
  }

  /** What the page wrote to the console (errors included), for a failing test's log. */
  public static List<String> console(WebDriver browser) {
    return browser.manage().logs().get("browser").getAll().stream()
        .map(e -> e.getLevel() + " " + e.getMessage())
        .toList();
  }

  /** Writes a screenshot to {@code target/screenshots/<name>.png} for a reviewer to look at. */
  @SuppressWarnings("unchecked")
  public static void screenshot(WebDriver browser, String name) throws Exception {
    byte[] png;
    if (browser instanceof ChromeDriver chrome) {
      // the whole page, not only what fits the window
      Map<String, Object> metrics = chrome.executeCdpCommand("Page.getLayoutMetrics", Map.of());
      Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
      Map<String, Object> shot =
          chrome.executeCdpCommand(
              "Page.captureScreenshot",
              Map.of(
                  "captureBeyondViewport",
                  true,
                  "clip",
                  Map.of(
                      "x",
                      0,
                      "y",
                      0,
                      "width",
                      size.get("width"),
                      "height",
                      size.get("height"),
                      "scale",
                      1)));
      png = java.util.Base64.getDecoder().decode((String) shot.get("data"));
    } else {
      png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    }
    Path dir = Path.of("target", "screenshots");
    Files.createDirectories(dir);
    Files.write(dir.resolve(name + ".png"), png);
  }

  /** Emulates {@code prefers-color-scheme: dark} (or light) from now on. */
  public static void colorScheme(ChromeDriver browser, String scheme) {
    browser.executeCdpCommand(
        "Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
  }

  /** Emulates a phone-width viewport (390 x 844), or back to the desktop size with 0. */
  public static void phoneWidth(ChromeDriver browser, boolean phone) {
    if (phone) {
      browser.executeCdpCommand(
          "Emulation.setDeviceMetricsOverride",
          Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true));
    } else {
      browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
  }
}
