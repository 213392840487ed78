package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A session that ends while a coordinator documents a case, in Debian's Chromium: saving sends them
 * to sign in, and signing in brings them back to that case with what they typed in its form, to
 * save; a page asked for after the session ended opens again after signing in.
 */
class SessionExpiryBrowserTest {
  static TestServer server;

  @SuppressWarnings("NullAway.Init")
  WebDriver browser;

  @BeforeAll
  static void start() {
    server = TestServer.start("expiry", Instant.parse("2026-12-01T15:00:00Z"));
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  @BeforeEach
  void open() throws Exception {
    browser = Browsers.chromium();
  }

  @AfterEach
  void quit() {
    if (browser != null) browser.quit();
  }

  void arrivesAt(String pathPattern) {
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(ExpectedConditions.urlMatches(".*" + pathPattern + "$"));
  }

  void signIn(String user) {
    browser.findElement(By.id("username")).sendKeys(user);
    browser.findElement(By.id("password")).sendKeys(DemoUsers.PASSWORD);
    browser.findElement(By.cssSelector("button[type=submit]")).click();
  }

  String value(String id) {
    return String.valueOf(browser.findElement(By.id(id)).getDomProperty("value"));
  }

  @Test
  void documentationTypedWhenTheSessionEnded_isKept_andTheCaseOpensAgainAfterSignIn()
      throws Exception {
    browser.get(server.base() + "/login");
    signIn("lena");
    arrivesAt("/work");
    browser.get(server.base() + "/work?view=team&q=LK2");
    browser.findElement(By.cssSelector("#worklist tbody tr a")).click();
    arrivesAt("/work/cases/[0-9]+");
    String casePath = java.net.URI.create(browser.getCurrentUrl()).getPath();
    new Select(browser.findElement(By.id("outcome"))).selectByVisibleText("reached");
    browser.findElement(By.id("caseStatus")).sendKeys("scan booked by her daughter");
    new Select(browser.findElement(By.id("barrier"))).selectByVisibleText("transportation");
    browser.findElement(By.id("understood")).sendKeys("knows the scan needs a full bladder");

    // The session ends (the server forgot it, or it timed out) before she saves.
    browser.manage().deleteCookieNamed("JSESSIONID");
    browser.findElement(By.id("save")).click();
    arrivesAt("/login\\?expired");
    assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText())
        .startsWith("Your session ended, so what you sent was not saved.");
    signIn("lena");
    arrivesAt(casePath);
    assertThat(browser.findElement(By.id("draft-restored")).isDisplayed()).isTrue();
    assertThat(value("outcome")).isEqualTo("reached");
    assertThat(value("caseStatus")).isEqualTo("scan booked by her daughter");
    assertThat(value("barrier")).isEqualTo("transportation");
    assertThat(value("understood")).isEqualTo("knows the scan needs a full bladder");
    Browsers.accessible(browser, "a case with its documentation put back");

    // Saved now; the kept copy goes, so the next visit starts empty.
    browser.findElement(By.id("nextAction")).sendKeys("call Friday to confirm the ride");
    var save = browser.findElement(By.id("save"));
    save.click();
    // The case page posts to itself and comes back to the same address: wait for the new page.
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.stalenessOf(save));
    arrivesAt(casePath);
    assertThat(
            new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".flash")))
                .getText())
        .isNotBlank();
    assertThat(browser.findElement(By.id("notes-h")).findElement(By.xpath("..")).getText())
        .contains("call: reached");
    browser.navigate().refresh();
    assertThat(value("caseStatus")).isEmpty();
    assertThat(browser.findElement(By.id("draft-restored")).isDisplayed()).isFalse();

    // A page asked for after the session ended opens again after signing in.
    browser.manage().deleteCookieNamed("JSESSIONID");
    browser.get(server.base() + "/work/workload");
    arrivesAt("/login");
    signIn("lena");
    arrivesAt("/work/workload");
    // Signing in from the sign-in page itself opens the worklist.
    browser.manage().deleteCookieNamed("JSESSIONID");
    browser.get(server.base() + "/login");
    signIn("lena");
    arrivesAt("/work");
  }
}
