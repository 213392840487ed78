package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's Chromium for the browser tests, the accessibility check and the screenshots. */
final class Browsers {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SHOTS = Path.of("target/screenshots");

  private Browsers() {}

  /** A headless Chromium at 1280×800. Required, not optional: .ci/run installs it. */
  static WebDriver chromium() throws java.io.IOException {
    assertThat(CHROMIUM).as("Debian's chromium is required for the browser tests").exists();
    assertThat(CHROMEDRIVER)
        .as("Debian's chromium-driver is required for the browser tests")
        .exists();
    var options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-gpu",
        "--window-size=1280,800");
    var service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    var browser = new ChromeDriver(service, options);
    browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
    Files.createDirectories(SHOTS);
    return browser;
  }

  /** Saves what the browser shows as {@code target/screenshots/NAME.png}. */
  static void shot(WebDriver browser, String name) throws java.io.IOException {
    var png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SHOTS.resolve(name + ".png"), png);
  }

  /** The page as it stands has no WCAG 2.1 A or AA violation axe-core can find. */
  static void accessible(WebDriver browser, String page) {
    var results =
        new com.deque.html.axecore.selenium.AxeBuilder()
            .withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
            .analyze(browser);
    assertThat(
            results.getViolations().stream()
                .map(v ->
                    v.getId()
                        + " ("
                        + v.getNodes().size()
                        + "): "
                        + v.getNodes().stream()
                            .limit(3)
                            .map(n -> String.valueOf(n.getTarget()))
                            .toList())
                .toList())
        .as("axe-core on " + page)
        .isEmpty();
  }
}
