package org.careloop.bench;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.careloop.server.Careloop;

/**
 * The pages people wait on, at a practice's full size: PLANS active plans (10,000 by default) of
 * one practice on PostgreSQL, made by importing a weekly export and running the engine on the
 * simulated clock for 50 days (intake and check-in messages, care gaps, cases), then served by
 * {@code careloop serve} in its own JVM and asked over HTTP as a signed-in manager: the worklist
 * (the team's first page, a search, a sort) and the dashboard (four weeks beside the four before).
 * Prints each page's p50, p95 and slowest time over REPEAT requests after a warm-up. Run with
 * {@code bench/workspace [PLANS] [REPEAT]}.
 */
public final class WorkspaceBench {
  static final Instant T0 = Instant.parse("2026-12-01T15:00:00Z");
  static final Instant T1 = T0.plus(Duration.ofDays(50));
  static final String PASSWORD = "bench-manager-password";

  public static void main(String[] args) throws Exception {
    int plans = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int repeat = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    String pg = EngineBench.setUp();
    // CARELOOP_BENCH_SCHEMA names a schema a run kept: measured again without loading it anew.
    var kept = Optional.ofNullable(System.getenv("CARELOOP_BENCH_SCHEMA"));
    String schema = kept.orElse("bench_workspace_" + ProcessHandle.current().pid());
    if (kept.isEmpty())
      try (var c = DriverManager.getConnection(pg)) {
        c.createStatement().execute("create schema " + schema);
      }
    String url = pg + (pg.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    System.out.printf(
        "careloop workspace bench: %d active plans on PostgreSQL, %d requests a page, %d cores, Java %s%n",
        plans, repeat, Runtime.getRuntime().availableProcessors(), Runtime.version());
    Process serve = null;
    try {
      if (kept.isEmpty()) {
        load(url, plans);
        cli(
            url,
            "user",
            "add",
            "max",
            "--role",
            "manager",
            "--name",
            "Max Okafor",
            "--password-stdin");
      }
      breakdown(url);
      var log = Files.createTempFile("careloop-serve", ".log");
      serve = serve(url, log);
      String base = baseUrl(serve, log);
      var http = signIn(base, "max");
      // The server counts each practice's default dashboard as it starts; the first one a manager
      // opens after that reads only what changed.
      var warmed = Pattern.compile("dashboards of \\d+ practice\\(s\\) counted in (\\d+) ms");
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      String warmMs = "(not logged in 2 minutes)";
      while (System.nanoTime() < deadline) {
        var m = warmed.matcher(Files.readString(log));
        if (m.find()) {
          warmMs = m.group(1);
          break;
        }
        Thread.sleep(100);
      }
      System.out.printf("dashboards warmed as the server started in %s ms%n", warmMs);
      long first = System.nanoTime();
      get(http, base + "/dashboard");
      System.out.printf(
          "first dashboard after that (default period): %.1f ms%n",
          (System.nanoTime() - first) / 1e6);
      var pages =
          List.of(
              new Page("worklist, team's cases, first page", "/work?view=team"),
              new Page("worklist, search by name", "/work?view=team&q=Lee101"),
              new Page("worklist, sorted by patient", "/work?view=team&sort=patient"),
              new Page("dashboard, 28 days beside 28", "/dashboard?from=2026-12-24&to=2027-01-20"),
              new Page("dashboard, 91 days beside 91", "/dashboard?from=2026-10-22&to=2027-01-20"));
      System.out.printf("%n%-40s %8s %8s %8s%n", "page", "p50 ms", "p95 ms", "max ms");
      for (var page : pages) {
        for (int i = 0; i < Math.max(20, repeat / 10); i++) get(http, base + page.path());
        var ms = new double[repeat];
        for (int i = 0; i < repeat; i++) {
          long t = System.nanoTime();
          get(http, base + page.path());
          ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(
            "%-40s %8.1f %8.1f %8.1f%n",
            page.name(),
            ms[(int) Math.ceil(0.5 * repeat) - 1],
            ms[(int) Math.ceil(0.95 * repeat) - 1],
            ms[repeat - 1]);
      }
    } finally {
      if (serve != null) serve.destroyForcibly().waitFor();
      if (kept.isEmpty() && System.getenv("CARELOOP_BENCH_KEEP") == null)
        try (var c = DriverManager.getConnection(pg)) {
          c.createStatement().execute("drop schema " + schema + " cascade");
        }
      else System.out.println("kept schema " + schema);
    }
  }

  record Page(String name, String path) {}

  /** The practice's history: the export imported, 50 days of the engine on the simulated clock. */
  static void load(String url, int plans) {
    try (var c = Careloop.open(url, Optional.of("simulated"), Optional.of(T0), 4)) {
      long t = System.nanoTime();
      var result = c.importBatch(c.csvReader().read(ImportBench.export(plans), "export.csv", T0));
      if (result.plansCreated() != plans) throw new IllegalStateException(result.summary());
      c.advance(T1);
      // The planner's statistics, as autovacuum keeps them on a database in use (a fresh bulk
      // load has none, and PostgreSQL would join row by row).
      try (var conn = DriverManager.getConnection(url)) {
        conn.createStatement().execute("analyze");
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
      System.out.printf(
          "made in %.0f s: %d active plans, %d open cases, %d messages sent%n",
          (System.nanoTime() - t) / 1e9,
          c.read().activePlanCount(),
          c.read().tasks().size(),
          c.read().sentMessageCount());
    }
  }

  /** Where a dashboard's time goes, in this JVM: reading the facts, then counting the figures. */
  static void breakdown(String url) {
    try (var c = Careloop.open(url, Optional.empty(), Optional.empty(), 2)) {
      var period =
          new org.careloop.app.reports.Period(
              java.time.LocalDate.parse("2026-12-24"),
              java.time.LocalDate.parse("2027-01-20"),
              c.practice(Careloop.DEFAULT_PRACTICE).zone());
      int n = 30;
      var read = new double[n];
      var count = new double[n];
      double first = 0;
      for (int i = 0; i < n + 5; i++) {
        long t = System.nanoTime();
        var facts =
            c.metricFacts()
                .facts(Careloop.DEFAULT_PRACTICE, period.previous().start(), period.end());
        long u = System.nanoTime();
        org.careloop.app.reports.Dashboard.of(facts, period);
        long v = System.nanoTime();
        if (i == 0) first = (u - t) / 1e6;
        if (i >= 5) {
          read[i - 5] = (u - t) / 1e6;
          count[i - 5] = (v - u) / 1e6;
        }
      }
      Arrays.sort(read);
      Arrays.sort(count);
      System.out.printf(
          "dashboard in this JVM (28 days): facts read %.1f ms the first time, then p50 %.1f ms"
              + " (only changed plans read again); figures counted p50 %.1f ms%n",
          first, read[n / 2], count[n / 2]);
    }
  }

  static List<String> java() {
    String java = ProcessHandle.current().info().command().orElseThrow();
    var command = new ArrayList<String>(List.of(java));
    Optional.ofNullable(System.getProperty("careloop.key"))
        .ifPresent(k -> command.add("-Dcareloop.key=" + k));
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    // The one line that says how long the dashboards took to warm at start.
    command.add("-Dorg.slf4j.simpleLogger.log.org.careloop.server.DashboardController=info");
    command.addAll(
        List.of(
            "-cp", System.getProperty("java.class.path"), "org.careloop.server.CareloopCommand"));
    return command;
  }

  /** Runs a careloop command on the database, the password on standard input. */
  static void cli(String url, String... args) throws Exception {
    var command = java();
    command.addAll(List.of(args));
    command.addAll(List.of("--db", url));
    var p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(PASSWORD.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", args) + ": " + out);
  }

  static Process serve(String url, Path log, String... jvmOptions) throws Exception {
    var command = java();
    command.addAll(1, List.of(jvmOptions));
    command.addAll(List.of("serve", "--db", url, "--port", "0"));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  static String baseUrl(Process serve, Path log) throws Exception {
    var running = Pattern.compile("careloop is running at (http://127\\.0\\.0\\.1:\\d+)");
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      if (!serve.isAlive()) throw new IllegalStateException(Files.readString(log));
      var m = running.matcher(Files.readString(log));
      if (m.find()) return m.group(1);
      Thread.sleep(200);
    }
    throw new IllegalStateException("serve did not start in 2 minutes: " + Files.readString(log));
  }

  /** A client signed in by the form, holding the session cookie. */
  static HttpClient signIn(String base, String user) throws Exception {
    var http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    var page =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/login")).build(),
            HttpResponse.BodyHandlers.ofString());
    var m = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
    if (!m.find()) throw new IllegalStateException("no sign-in form");
    String form =
        "username="
            + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8)
            + "&_csrf="
            + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8);
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    if (!r.headers().firstValue("Location").orElse("").endsWith("/work"))
      throw new IllegalStateException("sign-in refused: " + r.headers().map());
    return http;
  }

  static void get(HttpClient http, String url) throws Exception {
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException(url + " answered " + r.statusCode());
  }
}
