package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.adapters.jdbc.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The workspace in a real browser: Debian's Chromium driven by Selenium against a running {@code
 * careloop serve}. A coordinator works the top case of the ranked list to closed with full
 * documentation; a coordinator of another practice cannot open it; an administrator reads both in
 * the audit. Screenshots go to {@code target/screenshots}.
 */
class WorkspaceBrowserTest {
  static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");

  WebDriver browser;

  @SuppressWarnings("NullAway.Init")
  Process serve;

  @BeforeEach
  void browser() throws Exception {
    browser = Browsers.chromium();
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) browser.quit();
    if (serve != null) serve.destroyForcibly().waitFor();
  }

  void shot(String name) throws Exception {
    Browsers.shot(browser, name);
  }

  void signIn(String base, String user) {
    browser.get(base + "/login");
    browser.findElement(By.id("username")).sendKeys(user);
    browser.findElement(By.id("password")).sendKeys(DemoUsers.PASSWORD);
    browser.findElement(By.cssSelector("button[type=submit]")).click();
    arrivesAt("/work");
  }

  /** Waits for a navigation a click started: the page after a form post. */
  void arrivesAt(String path) {
    new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(10))
        .withMessage(() ->
            "stayed at "
                + browser.getCurrentUrl()
                + " "
                + browser.findElements(By.cssSelector(".flash")).stream()
                    .map(WebElement::getText)
                    .toList())
        .until(org.openqa.selenium.support.ui.ExpectedConditions.urlMatches(".*" + path + "$"));
  }

  void accessible(String page) {
    Browsers.accessible(browser, page);
  }

  /** Waits up to 10 s for {@code condition}. */
  void until(org.openqa.selenium.support.ui.ExpectedCondition<?> condition) {
    new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(10))
        .until(condition);
  }

  /** From the worklist, the team's cases: the view's own link, marked current once there. */
  void teamsCases() {
    browser.findElement(By.linkText("Team's cases")).click();
    until(
        org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe(
            By.linkText("Team's cases"), "aria-current", "page"));
  }

  void signOut() {
    browser.findElement(By.xpath("//button[text()='Sign out']")).click();
    arrivesAt("/login\\?out");
  }

  /** Every visible form field has a label, so screen readers and keyboards can reach it. */
  void everyFieldLabelled() {
    @SuppressWarnings("unchecked")
    var unlabelled =
        (List<String>)
            ((JavascriptExecutor) browser)
                .executeScript(
                    "return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
                        + ".filter(e => !e.id || !document.querySelector('label[for=\"' + e.id + '\"]'))"
                        + ".map(e => e.name);");
    assertThat(unlabelled).isEmpty();
  }

  @Test
  void aCoordinatorWorksTheTopCaseToClosed_anotherPracticeCannotOpenIt_andTheAuditShowsBoth(
      @TempDir Path dir) throws Exception {
    String db = Database.h2Url(dir.resolve("db"));
    var csv = dir.resolve("week.csv");
    Files.writeString(
        csv,
        "patient_id,name,phone,email,provider,follow_up_type,due_date,flags,dob\n"
            + "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,2026-04-01,high risk,\n"
            + "MRN2,Ana Diaz,617-555-0102,,Dr. M,imaging,2026-04-01,,7/4/1961\n");
    assertThat(
            CommandLineTest.run(
                    "import",
                    "csv",
                    csv.toString(),
                    "--db",
                    db,
                    "--clock",
                    "simulated",
                    "--start",
                    T0.toString())
                .code())
        .isZero();
    try (var c = Opened.careloop(db, Optional.empty(), Optional.empty(), 2)) {
      // Ana reports worse symptoms: an urgent case that must top the list.
      c.replies().smsReceived("+16175550102", "My pain is getting worse", "SM-1", T0);
      DemoUsers.load(c);
      LakesideCases.load(c, T0);
    }
    Path log = dir.resolve("serve.log");
    serve = KillRestartTest.serve(db, log);
    String base = TwilioWebhookTest.baseUrl(serve, log);

    browser.get(base + "/login");
    accessible("the sign-in page");
    signIn(base, "cora");
    // A coordinator opens on her own cases: none yet (the import's cases went to the lanes'
    // roles), and the team's are one click away.
    assertThat(browser.findElements(By.cssSelector("#worklist tbody tr"))).isEmpty();
    assertThat(browser.findElement(By.cssSelector("main")).getText())
        .contains("No open case is yours or unclaimed in your role.");
    teamsCases();
    var rows = browser.findElements(By.cssSelector("#worklist tbody tr"));
    assertThat(rows).hasSizeGreaterThanOrEqualTo(2);
    var tiers = rows.stream().map(r -> r.findElement(By.cssSelector("td.tier")).getText()).toList();
    assertThat(tiers.get(0)).isEqualTo("urgent");
    assertThat(tiers)
        .isSortedAccordingTo(
            java.util.Comparator.comparingInt(
                t -> List.of("urgent", "high", "routine").indexOf(t)));
    assertThat(browser.getPageSource()).doesNotContain("Omar Haddad"); // Lakeside's patient
    everyFieldLabelled();
    accessible("the worklist");
    // The first Tab reaches the skip link, which leads past the navigation to the content.
    browser.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.TAB);
    assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Skip to the content");
    assertThat(browser.switchTo().activeElement().getAttribute("href")).endsWith("#main");
    assertThat(browser.findElements(By.cssSelector("main#main"))).hasSize(1);
    shot("worklist-1280x800");
    browser.manage().window().setSize(new Dimension(820, 1180));
    accessible("the worklist at 820 px");
    shot("worklist-tablet-820");
    browser.manage().window().setSize(new Dimension(1280, 800));

    WebElement top = rows.get(0);
    String taskId = top.getAttribute("data-task");
    // By keyboard: the case link takes Enter.
    top.findElement(By.cssSelector("a")).sendKeys(org.openqa.selenium.Keys.ENTER);
    arrivesAt("/work/cases/" + taskId);
    assertThat(browser.findElement(By.tagName("h1")).getText())
        .isEqualTo("Patient reports worse symptoms: call now");
    // Times in the practice's own time, with its zone: never raw UTC.
    assertThat(browser.findElement(By.tagName("main")).getText())
        .containsPattern("respond by [A-Z][a-z]{2} 2026-03-0[0-9] [0-9]{2}:[0-9]{2} EST")
        .doesNotContainPattern("[0-9]{2}:[0-9]{2}(:[0-9]{2})?Z");
    everyFieldLabelled();
    // The patient at a glance: a number to call, the MRN, the channels that work.
    assertThat(browser.findElement(By.id("tel")).getAttribute("href"))
        .isEqualTo("tel:+16175550102");
    assertThat(browser.findElement(By.id("patient-h")).getText()).isEqualTo("Ana Diaz");
    assertThat(browser.findElement(By.cssSelector("section.patient")).getText())
        .contains("MRN2")
        .contains("Date of birth\nJul 4, 1961");
    // Found in the worklist by that date of birth, written either way.
    for (String dob : new String[] {"1961-07-04", "7/4/1961"}) {
      browser.get(base + "/work?view=team&q=" + dob);
      assertThat(browser.findElements(By.cssSelector("#worklist tbody tr")))
          .singleElement()
          .extracting(WebElement::getText)
          .asString()
          .contains("Ana Diaz");
    }
    browser.get(base + "/work/cases/" + taskId);
    browser.manage().window().setSize(new Dimension(820, 1180));
    accessible("a case at 820 px");
    shot("case-tablet-820");
    browser.manage().window().setSize(new Dimension(1280, 800));
    assertThat(browser.findElement(By.id("reachable")).getText()).isEqualTo("sms, voice");
    // The timeline in a coordinator's words, not the engine's.
    assertThat(
            browser
                .findElement(By.id("timeline-h"))
                .findElement(By.xpath(".."))
                .findElements(By.cssSelector("li strong"))
                .stream()
                .map(WebElement::getText)
                .distinct()
                .toList())
        .isNotEmpty()
        .isSubsetOf(
            "Happened",
            "Decided",
            "Done",
            "Held back",
            "Not sent",
            "Escalated",
            "Checked after a restart");
    assertThat(browser.findElement(By.id("timeline-h")).findElement(By.xpath("..")).getText())
        .doesNotContain("checkin:");
    // Her text, in the case's thread of text messages.
    assertThat(browser.findElement(By.id("texts")).getText())
        .contains("Patient · the patient's text · worse My pain is getting worse");
    assertThat(
            new Select(browser.findElement(By.id("channel")))
                .getOptions().stream().map(WebElement::getText).toList())
        .containsExactly("SMS");
    // Documenting comes first in the tab order, before the owner and the plan.
    assertThat(
            (Boolean)
                ((JavascriptExecutor) browser)
                    .executeScript(
                        "return !!(document.getElementById('outcome').compareDocumentPosition("
                            + "document.getElementById('owner-select')) & 4)"))
        .isTrue();
    // Saving the owner takes nobody's case by accident: a person is chosen first.
    assertThat(
            new Select(browser.findElement(By.id("owner-select")))
                .getFirstSelectedOption()
                .getText())
        .isEqualTo("Choose a person");
    new Select(browser.findElement(By.id("owner-select")))
        .selectByVisibleText("Cora Reyes (coordinator)");
    browser.findElement(By.id("assign")).click();
    until(org.openqa.selenium.support.ui.ExpectedConditions.textToBe(By.id("owner"), "Cora Reyes"));

    // A voicemail does not complete a case.
    new Select(browser.findElement(By.id("outcome"))).selectByVisibleText("left voicemail");
    browser.findElement(By.id("caseStatus")).sendKeys("Left a message");
    browser.findElement(By.id("nextAction")).sendKeys("Call again at 4 pm");
    new Select(browser.findElement(By.id("closeReason"))).selectByVisibleText("completed");
    browser.findElement(By.id("save")).click();
    until(
        org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(
            By.cssSelector(".flash.error")));
    assertThat(browser.findElement(By.cssSelector(".flash.error")).getText())
        .contains("does not complete a case");

    // Reached: documented as the field asks, and closed.
    new Select(browser.findElement(By.id("outcome"))).selectByVisibleText("reached");
    browser.findElement(By.id("caseStatus")).sendKeys("Seen by the nurse line; booked");
    new Select(browser.findElement(By.id("barrier"))).selectByVisibleText("transportation");
    browser
        .findElement(By.id("understood"))
        .sendKeys("Pain is from the new exercise; knows the warning signs");
    browser.findElement(By.id("nextAction")).sendKeys("Visit Thursday 9:00; ride arranged");
    ((JavascriptExecutor) browser)
        .executeScript("document.getElementById('targetDate').value = '2026-03-05'");
    new Select(browser.findElement(By.id("closeReason"))).selectByVisibleText("completed");
    accessible("a case page");
    shot("case-documented");
    browser.findElement(By.id("save")).click();
    arrivesAt("/work");
    assertThat(browser.findElement(By.cssSelector(".flash")).getText())
        .isEqualTo("Case " + taskId + " closed (completed).");
    assertThat(
            browser.findElements(By.cssSelector("#worklist tbody tr[data-task='" + taskId + "']")))
        .isEmpty();

    // The case she took and closed is nowhere; the next case goes to the provider's review queue.
    teamsCases();
    assertThat(
            browser.findElements(By.cssSelector("#worklist tbody tr[data-task='" + taskId + "']")))
        .isEmpty();
    var next = browser.findElement(By.cssSelector("#worklist tbody tr"));
    String nextId = next.getAttribute("data-task");
    next.findElement(By.cssSelector("a")).click();
    new Select(browser.findElement(By.id("to"))).selectByVisibleText("provider");
    browser.findElement(By.id("why")).sendKeys("High-risk plan: wants the provider's view");
    browser.findElement(By.id("escalate")).click();
    arrivesAt("/work/cases/" + nextId);
    assertThat(browser.findElement(By.cssSelector(".flash")).getText())
        .isEqualTo("Escalated to the provider.");
    // The case says so itself, with why, for whoever opens it next.
    assertThat(browser.findElement(By.id("escalation")).getText())
        .matches(
            "Escalated to the provider on [A-Z][a-z]{2} 2026-03-0[0-9] [0-9]{2}:[0-9]{2} EST: escalated by Cora Reyes: High-risk"
                + " plan: wants the provider's view");
    signOut();
    signIn(base, "dr.martinez");
    browser.get(base + "/work/review");
    assertThat(
            browser.findElements(
                By.cssSelector("#review-cases tbody tr[data-task='" + nextId + "']")))
        .hasSize(1);
    accessible("the provider review queue");
    everyFieldLabelled();
    shot("provider-review");
    // The provider records a decision in its own field: staff must act, so the case goes back
    // to the coordinators and leaves the queue.
    new Select(browser.findElement(By.id("decision-" + nextId)))
        .selectByVisibleText("see the patient sooner");
    browser.findElement(By.id("note-" + nextId)).sendKeys("Within two weeks");
    browser
        .findElement(By.cssSelector("#review-cases tbody tr[data-task='" + nextId + "'] button"))
        .click();
    arrivesAt("/work/review");
    assertThat(browser.findElement(By.cssSelector(".flash")).getText())
        .isEqualTo("Decision recorded on case " + nextId + ": see the patient sooner.");
    assertThat(
            browser.findElements(
                By.cssSelector("#review-cases tbody tr[data-task='" + nextId + "']")))
        .isEmpty();
    signOut();

    // Another practice's coordinator cannot open it.
    signIn(base, "lena");
    teamsCases();
    assertThat(browser.findElements(By.cssSelector("#worklist tbody tr"))).hasSize(3);
    browser.get(base + "/work/cases/" + taskId);
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not found");
    accessible("the not-found page");
    assertThat(browser.getPageSource()).doesNotContain("Ana Diaz");
    shot("other-practice-refused");
    browser.get(base + "/work");
    signOut();

    // The administrator reads both in the audit.
    signIn(base, "ada");
    browser.get(base + "/work/audit");
    String audit = browser.findElement(By.id("audit")).getText();
    assertThat(audit)
        .contains("cora case.view task " + taskId)
        .contains("cora case.close task " + taskId + " reason completed")
        .contains("cora worklist.view");
    accessible("the audit trail");
    shot("audit");
    // The JSON API shows an administrator only their own practice's patients.
    var api =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/plans"))
                    .header(
                        "Authorization",
                        "Basic "
                            + java.util.Base64.getEncoder()
                                .encodeToString(("ada:" + DemoUsers.PASSWORD).getBytes()))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.body()).contains("Sarah Lee").doesNotContain("Omar Haddad");
    signOut();
    signIn(base, "lena");
    browser.get(base + "/work/audit");
    assertThat(browser.getPageSource()).doesNotContain("case.close"); // a coordinator: no audit

    // Found by MRN or by phone, sorted by patient: only that practice's cases, ever.
    browser.get(base + "/work");
    teamsCases();
    browser.findElement(By.id("q")).sendKeys("LK2");
    browser.findElement(By.xpath("//button[text()='Filter']")).click();
    until(
        org.openqa.selenium.support.ui.ExpectedConditions.numberOfElementsToBe(
            By.cssSelector("#worklist tbody tr"), 1));
    assertThat(browser.findElement(By.cssSelector("#worklist tbody tr")).getText())
        .contains("Ines Duarte");
    browser.get(base + "/work?view=team&q=MRN1"); // Riverside's MRN: nothing at Lakeside
    assertThat(browser.findElements(By.cssSelector("#worklist tbody tr"))).isEmpty();
    browser.get(base + "/work?view=team&q=312-555-0143");
    assertThat(browser.findElements(By.cssSelector("#worklist tbody tr")))
        .singleElement()
        .extracting(WebElement::getText)
        .asString()
        .contains("Theo Grant");
    browser.get(base + "/work?view=team");
    browser.findElement(By.linkText("Patient")).click();
    until(
        org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe(
            By.xpath("//th[a[text()='Patient']]"), "aria-sort", "ascending"));
    assertThat(
            browser.findElements(By.cssSelector("#worklist tbody tr td.patient")).stream()
                .map(WebElement::getText)
                .toList())
        .containsExactly("Ines Duarte", "Omar Haddad", "Theo Grant");
    everyFieldLabelled();
    shot("worklist-sorted-by-patient");

    // Two cases given to Lena at once; she comes back to the view she was on.
    var listed = browser.findElements(By.cssSelector("#worklist tbody tr"));
    for (int row : new int[] {0, 2})
      browser.findElement(By.id("pick-" + listed.get(row).getAttribute("data-task"))).click();
    new Select(browser.findElement(By.id("bulk-owner")))
        .selectByVisibleText("Lena Novak (coordinator)");
    browser.findElement(By.id("reassign")).click();
    until(
        org.openqa.selenium.support.ui.ExpectedConditions.textToBe(
            By.cssSelector(".flash"), "2 cases given to Lena Novak."));
    assertThat(browser.getCurrentUrl()).endsWith("/work?view=team&sort=patient");
    assertThat(
            browser.findElements(By.cssSelector("#worklist tbody tr td:last-child")).stream()
                .map(WebElement::getText)
                .toList())
        .containsExactly("Lena Novak", "—", "Lena Novak");

    // The workload: Lakeside's cases per person, in the monitoring lane; counts only.
    browser.findElement(By.linkText("Workload")).click();
    until(
        org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated(
            By.id("workload")));
    assertThat(
            browser.findElements(By.cssSelector("#workload tbody tr")).stream()
                .map(WebElement::getText)
                .toList())
        .containsExactly("Lena Novak monitoring 2 0 0", "No owner yet monitoring 1 0 0");
    assertThat(browser.findElement(By.id("ageing")).getText()).contains("under 1 day 3");
    assertThat(browser.getPageSource()).doesNotContain("Ines Duarte").doesNotContain("Ana Diaz");
    accessible("the workload");
    shot("workload");
    // The check finds what it should: an image without a text alternative, added here, fails it.
    ((JavascriptExecutor) browser)
        .executeScript(
            "const i = document.createElement('img'); i.src = '/workspace.css';"
                + " document.querySelector('main').appendChild(i);");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> accessible("a broken page"))
        .hasMessageContaining("image-alt");
  }
}
