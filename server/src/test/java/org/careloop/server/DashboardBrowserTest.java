package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The dashboard in Debian's Chromium on the demo's two practices (150 patients, on the demo's day):
 * a manager and a provider see their own practice's figures with charts drawn, each figure's
 * definition one hover away and its patients one click away (audited, and only the practice's); a
 * coordinator is refused; the period is checked; the CSV holds every figure. At 1280 and 820 px
 * wide, axe-core finds nothing, and the screenshots go to {@code target/screenshots}.
 */
class DashboardBrowserTest {
  static final Instant AS_OF = Instant.parse("2026-12-01T15:00:00Z");
  static Careloop careloop;
  static ConfigurableApplicationContext web;
  static String base;

  @SuppressWarnings("NullAway.Init")
  WebDriver browser;

  @BeforeAll
  static void demo() {
    var generator = new DemoGenerator(42, 150, AS_OF);
    careloop =
        Opened.careloop(
            "jdbc:h2:mem:dashboard" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
            Optional.of("simulated"),
            Optional.of(generator.history().get(0).at()),
            4);
    DemoUsers.load(careloop);
    generator.load(careloop);
    // This week's care-gap reports, as the running server makes them on Monday morning.
    careloop.weeklyCareGapReport().run(AS_OF);
    web = WebServer.start(careloop, 0);
    base = "http://127.0.0.1:" + web.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void close() {
    if (web != null) web.close();
    if (careloop != null) careloop.close();
  }

  @BeforeEach
  void browser() throws Exception {
    browser = Browsers.chromium();
  }

  @AfterEach
  void stop() {
    if (browser != null) browser.quit();
  }

  void signIn(String user) {
    browser.get(base + "/login");
    browser.findElement(By.id("username")).sendKeys(user);
    browser.findElement(By.id("password")).sendKeys(DemoUsers.PASSWORD);
    browser.findElement(By.cssSelector("button[type=submit]")).click();
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(ExpectedConditions.urlMatches(".*/work$"));
  }

  String now(String figure) {
    return browser.findElement(By.cssSelector("#figure-" + figure + " td.now")).getText();
  }

  static final Pattern SHARE = Pattern.compile("(\\d+)% \\((\\d+) of (\\d+)\\)");

  @Test
  void aManagerReadsTheFigures_andThePatientsBehindOne_onlyHerPractices() throws Exception {
    signIn("max");
    browser.findElement(By.linkText("Dashboard")).click();
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart-activity svg")));
    assertThat(browser.findElement(By.tagName("h1")).getText())
        .isEqualTo("Dashboard · Riverside Family Medicine");
    // The default period: the 28 days that end on the practice's today.
    assertThat(browser.findElement(By.name("from")).getAttribute("value")).isEqualTo("2026-11-04");
    assertThat(browser.findElement(By.name("to")).getAttribute("value")).isEqualTo("2026-12-01");
    // All three charts are drawn (as SVG), each with its numbers in a table too.
    for (String chart : new String[] {"activity", "lanes"})
      assertThat(browser.findElements(By.cssSelector("#chart-" + chart + " svg"))).hasSize(1);

    // The cases-opened column is every case of Riverside's plans opened in the period, counted
    // here straight from the database.
    var ds = careloop.database().dataSource();
    long opened =
        Pg.count(
            ds,
            "select count(*) from task t join plan p on p.id = t.plan_id where p.practice_id ="
                + " 'default' and t.created_at >= timestamp with time zone '2026-11-04"
                + " 05:00:00+00' and t.created_at < timestamp with time zone '2026-12-02"
                + " 05:00:00+00'");
    int shown =
        browser.findElements(By.cssSelector("#activity tbody tr td:nth-of-type(4)")).stream()
            .mapToInt(
                td -> Integer.parseInt(String.valueOf(td.getDomProperty("textContent")).trim()))
            .sum();
    assertThat(opened).isPositive();
    assertThat(shown).isEqualTo(opened);

    // Riverside runs treatment plans and post-visit follow-up: those figures have numbers.
    var gap = SHARE.matcher(now("care-gap-rate"));
    assertThat(gap.matches()).as(now("care-gap-rate")).isTrue();
    int of = Integer.parseInt(gap.group(3));
    assertThat(of).isPositive();
    assertThat(now("summary-within-2-hours")).matches(SHARE);
    // Riverside has no dental program: no funnel drawn.
    assertThat(now("acceptance-rate")).isEqualTo("none in the period");
    assertThat(browser.findElements(By.id("chart-funnel"))).isEmpty();

    // The top of the page as the README shows it.
    browser.manage().window().setSize(new Dimension(1280, 1060));
    Browsers.shot(browser, "dashboard-top");
    browser.manage().window().setSize(new Dimension(1280, 800));
    // The definition is one hover (or one Tab) away.
    var tip = browser.findElement(By.id("def-care-gap-rate"));
    assertThat(tip.isDisplayed()).isFalse();
    new org.openqa.selenium.interactions.Actions(browser)
        .moveToElement(browser.findElement(By.cssSelector("#figure-care-gap-rate button.def")))
        .perform();
    assertThat(tip.isDisplayed()).isTrue();
    assertThat(tip.getText()).startsWith("Of the patients with a treatment-plan step due");

    Browsers.accessible(browser, "the dashboard");
    Browsers.shot(browser, "dashboard");
    browser.manage().window().setSize(new Dimension(820, 1180));
    Browsers.accessible(browser, "the dashboard at 820 px");
    Browsers.shot(browser, "dashboard-820");
    browser.manage().window().setSize(new Dimension(1280, 800));

    // The patients behind the care-gap rate: one line per patient counted, only Riverside's.
    String views =
        "select count(*) from audit_event where actor = 'max' and action = 'dashboard.figure.view'";
    long viewedBefore = Pg.count(ds, views);
    browser.findElement(By.cssSelector("a[aria-label='Patients behind Care-gap rate']")).click();
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(ExpectedConditions.urlContains("/dashboard/figures/care-gap-rate"));
    var rows = browser.findElements(By.cssSelector("#behind tbody tr"));
    assertThat(rows).hasSize(of);
    assertThat(rows.stream().filter(r -> r.getText().contains(" yes ")).count())
        .isEqualTo(Integer.parseInt(gap.group(2)));
    // Each line names the patient as people know them: no stored (encrypted) value shows.
    assertThat(browser.findElement(By.id("behind")).getText()).doesNotContain("enc1:");
    var page = browser.getPageSource();
    for (var lakeside : careloop.read().plans(Optional.of(DemoUsers.LAKESIDE)))
      assertThat(page).doesNotContain(lakeside.patient());
    assertThat(Pg.count(ds, views)).isEqualTo(viewedBefore + 1);
    Browsers.accessible(browser, "the patients behind a figure");
    Browsers.shot(browser, "dashboard-figure");

    // The printable week: no patient named, every program's figures.
    browser.get(base + "/dashboard/print?week=2026-11-23");
    assertThat(browser.findElement(By.tagName("h1")).getText())
        .isEqualTo("Riverside Family Medicine: the week of 2026-11-23");
    assertThat(browser.findElements(By.cssSelector("table.figures"))).hasSize(5);
    Browsers.accessible(browser, "the printable week");

    // The weekly care-gap reports, and one of them, at both widths.
    browser.get(base + "/work/reports");
    Browsers.accessible(browser, "the weekly reports");
    var report = browser.findElements(By.cssSelector("main a[href^='/work/reports/care-gaps/']"));
    assertThat(report).as("this week's report").isNotEmpty();
    browser.get(String.valueOf(report.get(0).getDomProperty("href")));
    Browsers.accessible(browser, "a weekly report");
    browser.manage().window().setSize(new Dimension(820, 1180));
    Browsers.accessible(browser, "a weekly report at 820 px");
    browser.manage().window().setSize(new Dimension(1280, 800));
  }

  @Test
  void eachPracticeSeesItsOwn_aCoordinatorIsRefused_andABadPeriodIsNamed() throws Exception {
    signIn("lou");
    browser.get(base + "/dashboard?from=2026-11-01&to=2026-11-30");
    var accepted = SHARE.matcher(now("acceptance-rate"));
    assertThat(accepted.matches()).as(now("acceptance-rate")).isTrue();
    assertThat(Integer.parseInt(accepted.group(3))).isPositive();
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart-funnel svg")));
    assertThat(browser.findElement(By.cssSelector("#funnel tbody tr")).getAttribute("textContent"))
        .contains("presented" + accepted.group(3));
    // Lakeside runs no treatment-plan program.
    assertThat(now("care-gap-rate")).isEqualTo("none in the period");
    Browsers.shot(browser, "dashboard-dental");

    browser.get(base + "/dashboard?from=2026-11-30&to=2026-11-01");
    assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText())
        .isEqualTo(
            "Not understood: 'to' (2026-11-01) is before 'from' (2026-11-30). Nothing was counted.");

    browser.get(base + "/logout");
    signIn("dr.martinez");
    browser.get(base + "/dashboard");
    assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("Dashboard");

    var http = SignInTest.browser();
    assertThat(SignInTest.formSignIn(http, base, "cora", DemoUsers.PASSWORD)).endsWith("/work");
    var refused =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/dashboard"))
                .header("Accept", "text/html")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(403);
  }

  @Test
  void theCsv_holdsEveryFigure_andABadDateIsA400() throws Exception {
    var http = SignInTest.browser();
    assertThat(SignInTest.formSignIn(http, base, "max", DemoUsers.PASSWORD)).endsWith("/work");
    var csv =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(base + "/dashboard.csv?from=2026-11-01&to=2026-11-30"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
    assertThat(csv.headers().firstValue("Content-Disposition"))
        .contains("attachment; filename=\"dashboard-2026-11-01-2026-11-30.csv\"");
    var lines = csv.body().lines().toList();
    assertThat(lines.get(0))
        .startsWith("program,figure,group,from,to,value,counted,of,previous_value");
    assertThat(lines.stream().filter(l -> l.contains(",all,2026-11-01,2026-11-30,"))).hasSize(26);
    // The charts' numbers: one line a day of the period, then the dental funnel.
    var activity =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(base + "/dashboard/activity.csv?from=2026-11-01&to=2026-11-30"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(activity.statusCode()).isEqualTo(200);
    assertThat(activity.headers().firstValue("Content-Disposition"))
        .contains("attachment; filename=\"activity-2026-11-01-2026-11-30.csv\"");
    var rows = activity.body().lines().toList();
    assertThat(rows.get(0)).isEqualTo("day,messages_sent,steps_done,steps_missed,cases_opened");
    assertThat(rows.get(1)).startsWith("2026-11-01,");
    assertThat(rows.get(30)).startsWith("2026-11-30,");
    assertThat(rows).contains("dental_plans_presented_in_the_period,plans", "presented,0");
    var bad =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/dashboard.csv?from=November")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
  }

  /**
   * Each role's pages, as that role sees them (the navigation differs), at desk and tablet width:
   * the pages the role may use open and axe finds nothing on them; the others say "Not allowed".
   */
  @Test
  void everyRole_readsItsPages_atBothWidths_andAxeFindsNothing() throws Exception {
    String caseId =
        String.valueOf(careloop.read().tasks(Optional.of(Careloop.DEFAULT_PRACTICE)).get(0).id());
    var pages =
        java.util.Map.of(
            "/work?view=team",
            "Worklist",
            "/work/workload",
            "Workload",
            "/work/cases/" + caseId,
            "",
            "/work/review",
            "Provider review",
            "/dashboard",
            "Dashboard",
            "/dashboard/figures/care-gap-rate",
            "Care-gap rate",
            "/dashboard/print?week=2026-11-23",
            "Riverside Family Medicine: the week of 2026-11-23",
            "/work/reports",
            "Weekly care-gap reports",
            "/work/audit",
            "Audit");
    var allowed =
        java.util.Map.of(
            "cora", java.util.Set.of("/work?view=team", "/work/workload", "/work/cases/" + caseId),
            "nina", java.util.Set.of("/work?view=team", "/work/workload", "/work/cases/" + caseId),
            "fran", java.util.Set.of("/work?view=team", "/work/workload", "/work/cases/" + caseId),
            "dr.martinez",
                java.util.Set.of(
                    "/work?view=team",
                    "/work/workload",
                    "/work/cases/" + caseId,
                    "/work/review",
                    "/dashboard",
                    "/dashboard/figures/care-gap-rate",
                    "/dashboard/print?week=2026-11-23"),
            "max", pages.keySet(),
            "ada", pages.keySet());
    for (var size : List.of(new Dimension(1280, 800), new Dimension(820, 1180))) {
      String width = " at " + size.getWidth() + " px";
      browser.manage().window().setSize(size);
      browser.manage().deleteAllCookies();
      browser.get(base + "/login");
      Browsers.accessible(browser, "the sign-in page" + width);
      for (var user : allowed.entrySet()) {
        browser.manage().deleteAllCookies();
        signIn(user.getKey());
        browser.get(base + "/work/nothing-here");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not found");
        Browsers.accessible(browser, "the not-found page as " + user.getKey() + width);
        for (var page : pages.entrySet()) {
          browser.get(base + page.getKey());
          String h1 = browser.findElement(By.tagName("h1")).getText();
          if (user.getValue().contains(page.getKey())) {
            assertThat(h1).as(user.getKey() + " " + page.getKey()).startsWith(page.getValue());
            Browsers.accessible(browser, page.getKey() + " as " + user.getKey() + width);
          } else {
            assertThat(h1).as(user.getKey() + " " + page.getKey()).isEqualTo("Not allowed");
          }
        }
        browser.get(base + "/work?view=team");
        Browsers.shot(browser, "worklist-" + user.getKey() + "-" + size.getWidth());
      }
    }
    browser.manage().window().setSize(new Dimension(1280, 800));
  }
}
