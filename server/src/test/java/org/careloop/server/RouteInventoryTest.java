package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every route careloop serves, tried anonymous, as a person of another practice, and as each role
 * of the practice: who gets in is exactly what {@link #RULES} says. A route added without a rule
 * fails this test, so no door opens by accident.
 */
class RouteInventoryTest {
  static final Instant TODAY = Instant.parse("2026-12-01T15:00:00Z");
  static final Set<String> ROLES =
      Set.of("coordinator", "front-desk", "nurse", "provider", "manager", "admin");
  static final Set<String> STAFF = ROLES;

  /** Who may use a route: nobody signed in needed (checked on its own terms), or these roles. */
  record Rule(boolean anyone, Set<String> roles) {
    static Rule open() {
      return new Rule(true, Set.of());
    }

    static Rule roles(Set<String> roles) {
      return new Rule(false, roles);
    }

    static Rule roles(String... roles) {
      return new Rule(false, Set.of(roles));
    }
  }

  static final Map<String, Rule> RULES = new LinkedHashMap<>();

  static {
    // Patients and Twilio: each checks its own proof (Twilio's signature, a signed token).
    RULES.put("GET /login", Rule.open());
    RULES.put("POST /twilio/sms", Rule.open());
    RULES.put("POST /twilio/status", Rule.open());
    RULES.put("GET /l/{code}", Rule.open());
    RULES.put("GET /o/{code}.gif", Rule.open());
    RULES.put("GET /u/{token}", Rule.open());
    RULES.put("POST /u/{token}", Rule.open());
    RULES.put("GET /.well-known/jwks.json", Rule.open());
    // An EHR's notifications: the proof its connection asks for (EhrNotificationTest).
    RULES.put("POST /ehr/{practice}/{name}/notifications", Rule.open());
    RULES.put("PUT /ehr/{practice}/{name}/notifications/{type}/{id}", Rule.open());
    // The workspace: the practice's people.
    RULES.put("GET /", Rule.roles(STAFF));
    RULES.put("GET /work", Rule.roles(STAFF));
    RULES.put("GET /work/cases/{id}", Rule.roles(STAFF));
    RULES.put("GET /work/workload", Rule.roles(STAFF));
    RULES.put("POST /work/assign", Rule.roles(STAFF));
    RULES.put("POST /work/cases/{id}/assign", Rule.roles(STAFF));
    RULES.put("POST /work/cases/{id}/document", Rule.roles(STAFF));
    RULES.put("POST /work/cases/{id}/booking", Rule.roles(STAFF));
    RULES.put("POST /work/cases/{id}/message", Rule.roles(STAFF));
    RULES.put("POST /work/cases/{id}/escalate", Rule.roles(STAFF));
    RULES.put("GET /work/review", Rule.roles("provider", "manager", "admin"));
    RULES.put("POST /work/review/gaps/{planId}", Rule.roles("provider"));
    RULES.put("POST /work/review/cases/{id}/decision", Rule.roles("provider"));
    RULES.put("GET /work/audit", Rule.roles("manager", "admin"));
    RULES.put("GET /work/audit/export.csv", Rule.roles("manager", "admin"));
    RULES.put("GET /work/reports", Rule.roles("manager", "admin"));
    RULES.put("GET /dashboard", Rule.roles("manager", "provider", "admin"));
    RULES.put("GET /dashboard.csv", Rule.roles("manager", "provider", "admin"));
    RULES.put("GET /dashboard/print", Rule.roles("manager", "provider", "admin"));
    RULES.put("GET /dashboard/activity.csv", Rule.roles("manager", "provider", "admin"));
    RULES.put("GET /dashboard/figures/{id}", Rule.roles("manager", "provider", "admin"));
    RULES.put("GET /dashboard/figures/{id}.csv", Rule.roles("manager", "provider", "admin"));
    RULES.put("GET /work/reports/care-gaps/{week}", Rule.roles("manager", "admin"));
    RULES.put("GET /work/reports/care-gaps/{week}.csv", Rule.roles("manager", "admin"));
    RULES.put("GET /work/reports/care-gaps/{week}.json", Rule.roles("manager", "admin"));
    // The JSON API and the EHR feeds: the practice's administrators.
    for (String api :
        List.of(
            "/api/plans",
            "/api/plans/{id}",
            "/api/tasks",
            "/api/outbox",
            "/api/sandbox",
            "/api/care-gaps")) RULES.put("GET " + api, Rule.roles("admin"));
    RULES.put("POST /fhir", Rule.roles("admin"));
    RULES.put("POST /import/csv", Rule.roles("admin"));
  }

  static Careloop careloop;
  static ConfigurableApplicationContext ctx;
  static String base;
  static long caseId;
  static String planId;
  static java.time.LocalDate week;

  @BeforeAll
  static void start() {
    careloop =
        Opened.careloop(
            "jdbc:h2:mem:routes" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
            Optional.of("simulated"),
            Optional.of(TODAY),
            4);
    DemoUsers.load(careloop);
    LakesideCases.load(careloop, TODAY);
    Accounts.save(
        careloop,
        Careloop.DEFAULT_PRACTICE,
        "desk",
        "Dee Sk",
        "front-desk",
        DemoUsers.PASSWORD,
        Optional.empty());
    // One case of the default practice: a high-risk follow-up gets a coordinator task at once.
    careloop
        .importer()
        .importBatch(
            careloop
                .csvReader(Careloop.DEFAULT_PRACTICE)
                .read(
                    "patient_id,name,phone,email,provider,follow_up_type,due_date,flags\n"
                        + "RV1,Rosa Quintana,617-555-0177,,Dr. Chen,lab,2026-12-10,high risk\n",
                    "riverside.csv",
                    TODAY),
            TODAY);
    var mine = careloop.read().tasks(Optional.of(Careloop.DEFAULT_PRACTICE));
    assertThat(mine).as("the default practice has a case to try the routes on").isNotEmpty();
    caseId = mine.get(0).id();
    planId = mine.get(0).planId();
    // A weekly care-gap report of the default practice, made when Rosa's lab is 11 days overdue.
    week =
        careloop
            .weeklyCareGapReport()
            .makeDue(Careloop.DEFAULT_PRACTICE, TODAY.plus(java.time.Duration.ofDays(20)))
            .orElseThrow();
    ctx = WebServer.start(careloop, 0);
    base = "http://127.0.0.1:" + ctx.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stop() {
    if (ctx != null) ctx.close();
    if (careloop != null) careloop.close();
  }

  /** Every route the server has, as "METHOD /pattern". */
  static Set<String> routes() {
    var out = new TreeSet<String>();
    var mapping = ctx.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
    for (var info : mapping.getHandlerMethods().keySet()) {
      var methods = info.getMethodsCondition().getMethods();
      for (String pattern : info.getPatternValues()) {
        if (pattern.equals("/error")) continue; // Spring's error page, rendered by careloop's own
        if (methods.isEmpty()) out.add("ANY " + pattern);
        for (var m : methods) out.add(m.name() + " " + pattern);
      }
    }
    return out;
  }

  @Test
  void everyRoute_hasARule_andEveryRuleARoute() {
    assertThat(routes())
        .as("a route without a rule in RouteInventoryTest.RULES (add who may use it)")
        .containsExactlyInAnyOrderElementsOf(RULES.keySet());
  }

  @Test
  void everyRoute_letsInExactlyWhomItsRuleSays_anonymousOtherPracticeAndEachRole()
      throws Exception {
    var problems = new ArrayList<String>();
    var anonymous = new Session(null);
    var lena = new Session("lena");
    var lou = new Session("lou");
    var byRole = new LinkedHashMap<String, Session>();
    for (var e : USER_OF_ROLE.entrySet()) byRole.put(e.getKey(), new Session(e.getValue()));
    for (var route : RULES.entrySet()) {
      var rule = route.getValue();
      String method = route.getKey().split(" ")[0];
      String path = concrete(route.getKey().split(" ")[1]);
      var anon = anonymous.call(method, path);
      if (!rule.anyone()) {
        // A POST without a session has no CSRF token: refused before anything else, to sign in.
        if (!(anon.statusCode() == 401 || anon.statusCode() == 403 || isLoginRedirect(anon)))
          problems.add(route.getKey() + " anonymous: " + anon.statusCode());
      } else if (anon.statusCode() == 401 || isLoginRedirect(anon)) {
        problems.add(route.getKey() + " is open by its rule but asks for sign-in");
      }
      if (rule.anyone()) continue;
      boolean feed = path.equals("/fhir") || path.equals("/import/csv");
      for (var role : byRole.entrySet()) {
        // The feeds take machine credentials (HTTP Basic) only; a session never reaches them.
        var r = feed ? basic(role.getKey(), path) : role.getValue().call(method, path);
        boolean allowed = rule.roles().contains(role.getKey());
        boolean refused = r.statusCode() == 403 || r.statusCode() == 401 || isLoginRedirect(r);
        if (allowed && refused)
          problems.add(route.getKey() + " as " + role.getKey() + ": refused " + r.statusCode());
        if (!allowed && !refused)
          problems.add(route.getKey() + " as " + role.getKey() + ": let in " + r.statusCode());
        if (r.statusCode() >= 500)
          problems.add(route.getKey() + " as " + role.getKey() + ": " + r.statusCode());
      }
      // A person of another practice never gets this practice's case or plan.
      if (path.contains(String.valueOf(caseId))
          || path.contains(planId)
          || path.contains(week.toString())) {
        // Lakeside's manager may open reports, but not this practice's.
        var r = (path.contains(week.toString()) ? lou : lena).call(method, path);
        // 400: the form was refused before any case was read (nothing of it was looked up).
        if (!(r.statusCode() == 404 || r.statusCode() == 403 || r.statusCode() == 400))
          problems.add(route.getKey() + " as another practice: " + r.statusCode());
        if (r.body().contains("Rosa") || r.body().contains("Quintana"))
          problems.add(route.getKey() + " as another practice shows the patient");
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void errors_areCareloopsOwnPage_withoutTraceOrValue() throws Exception {
    var cora = new Session("cora");
    var missing = cora.call("GET", "/work/cases/99999999");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("Back to the worklist").doesNotContain("Whitelabel");
    var malformed = cora.call("GET", "/work/cases/not-a-number%3Cscript%3E");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body())
        .contains("Back to the worklist")
        .doesNotContain("Whitelabel", "Exception", "at org.", "not-a-number", "<script>");
    var forbidden = cora.call("GET", "/work/audit");
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.body()).contains("Not allowed").doesNotContain("Whitelabel");
    var nowhere = cora.call("GET", "/no/such/page");
    assertThat(nowhere.statusCode()).isEqualTo(404);
    assertThat(nowhere.body()).contains("Not found").doesNotContain("Whitelabel");
  }

  @Test
  void theWeeklyReport_opensForItsManager_asAPageCsvAndDeqm_andIsAudited() throws Exception {
    var max = new Session("max");
    var page = max.call("GET", "/work/reports/care-gaps/" + week);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Rosa Quintana", "not done");
    assertThat(max.call("GET", "/work/reports").body()).contains(week.toString());
    var csv = max.call("GET", "/work/reports/care-gaps/" + week + ".csv");
    assertThat(csv.body().lines().toList())
        .hasSize(2)
        .first()
        .isEqualTo(
            "tier,days_overdue,plan_id,patient,provider,step,description,due_date,reason,outreach_attempts");
    assertThat(csv.body()).contains(",Rosa Quintana,Dr. Chen,", ",2026-12-10,not done,");
    var deqm = max.call("GET", "/work/reports/care-gaps/" + week + ".json");
    var parameters = tools.jackson.databind.json.JsonMapper.builder().build().readTree(deqm.body());
    assertThat(parameters.get("resourceType").asString()).isEqualTo("Parameters");
    assertThat(parameters.get("parameter")).hasSize(1);
    var document = parameters.get("parameter").get(0).get("resource");
    assertThat(document.get("type").asString()).isEqualTo("document");
    assertThat(document.get("entry").get(0).get("resource").get("resourceType").asString())
        .isEqualTo("Composition");
    assertThat(
            careloop
                .auditLog()
                .page(
                    new org.careloop.app.AuditTrail.Query(
                        Optional.of(Careloop.DEFAULT_PRACTICE),
                        Optional.of("max"),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        java.time.ZoneOffset.UTC),
                    1,
                    50)
                .events())
        .extracting(e -> e.action())
        .contains("care-gaps.report.view", "care-gaps.report.csv", "care-gaps.report.deqm");
    var missing = max.call("GET", "/work/reports/care-gaps/2020-01-06");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(max.call("GET", "/work/reports/care-gaps/not-a-week").statusCode()).isEqualTo(404);
  }

  @Test
  void theFrontDoor_sendsToSignIn_andShowsNoPatientData() throws Exception {
    var anon = new Session(null).call("GET", "/");
    assertThat(isLoginRedirect(anon)).as("status " + anon.statusCode()).isTrue();
    assertThat(anon.body()).doesNotContain("Rosa", "Quintana", "Omar");
  }

  @Test
  void theFeeds_refuseTheSessionCookie_evenFromASignedInAdmin() throws Exception {
    var ada = new Session("ada");
    // A page on another origin can make the browser post with the cookie; it must not import.
    var viaCookie =
        ada.post(
            "/import/csv",
            "text/csv",
            "patient_id,name,phone,email,provider,follow_up_type,due_date\n"
                + "X1,Mallory Doe,617-555-0100,,Dr. X,lab,2026-12-20\n");
    assertThat(viaCookie.statusCode()).isEqualTo(401);
    var plain =
        ada.post(
            "/import/csv",
            "text/plain",
            "patient_id,name,phone,email,provider,follow_up_type,due_date\n"
                + "X1,Mallory Doe,617-555-0100,,Dr. X,lab,2026-12-20\n");
    assertThat(plain.statusCode()).isIn(401, 415);
    assertThat(careloop.read().plans(Optional.of(Careloop.DEFAULT_PRACTICE)))
        .noneMatch(p -> p.patient().contains("Mallory"));
  }

  static final Map<String, String> USER_OF_ROLE =
      Map.of(
          "coordinator",
          "cora",
          "front-desk",
          "desk",
          "nurse",
          "nina",
          "provider",
          "dr.martinez",
          "manager",
          "max",
          "admin",
          "ada");

  /** An empty FHIR bundle or CSV posted with a role's HTTP Basic credentials. */
  static HttpResponse<String> basic(String role, String path) throws Exception {
    String auth = USER_OF_ROLE.get(role) + ":" + DemoUsers.PASSWORD;
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header(
                    "Authorization",
                    "Basic " + java.util.Base64.getEncoder().encodeToString(auth.getBytes()))
                .header("Content-Type", path.equals("/fhir") ? "application/fhir+json" : "text/csv")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        path.equals("/fhir")
                            ? "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}"
                            : "patient_id,name,phone,email,provider,follow_up_type,due_date\n"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  static boolean isLoginRedirect(HttpResponse<String> r) {
    return r.statusCode() == 302
        // A form sent with no session (no CSRF token of its own) goes to sign in, saying so.
        && r.headers()
            .firstValue("Location")
            .filter(l -> l.endsWith("/login") || l.endsWith("/login?expired"))
            .isPresent();
  }

  static String concrete(String pattern) {
    return pattern
        .replace("{id}", pattern.startsWith("/api/plans") ? planId : String.valueOf(caseId))
        .replace("{planId}", planId)
        .replace("{week}", week.toString())
        .replace("{code}", "unknown")
        .replace("{token}", "unknown")
        .replace("{practice}", Careloop.DEFAULT_PRACTICE)
        .replace("{name}", "main")
        .replace("{type}", "Appointment");
  }

  /** One person's browser: a cookie jar, signed in by the login form (or anonymous). */
  static final class Session {
    final HttpClient http;

    Session(@Nullable String username) throws Exception {
      http =
          HttpClient.newBuilder()
              .cookieHandler(new CookieManager())
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
      if (username != null) {
        String token = csrf(get("/login").body());
        var r =
            form(
                "/login",
                Map.of("username", username, "password", DemoUsers.PASSWORD, "_csrf", token));
        assertThat(r.headers().firstValue("Location")).as("sign-in of " + username).isPresent();
        assertThat(r.headers().firstValue("Location").get()).endsWith("/work");
      }
    }

    static String csrf(String html) {
      var m = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(html);
      return m.find() ? m.group(1) : "";
    }

    HttpResponse<String> get(String path) throws Exception {
      return http.send(
          // As a browser asks: pages, not JSON.
          HttpRequest.newBuilder(URI.create(base + path))
              .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> form(String path, Map<String, String> fields) throws Exception {
      var body = new StringBuilder();
      for (var e : fields.entrySet()) {
        if (body.length() > 0) body.append('&');
        body.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
            .append('=')
            .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      }
      return post(path, "application/x-www-form-urlencoded", body.toString());
    }

    HttpResponse<String> post(String path, String type, String body) throws Exception {
      return http.send(
          HttpRequest.newBuilder(URI.create(base + path))
              .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
              .header("Content-Type", type)
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** A GET, or a POST of a form carrying this session's CSRF token and nothing else. */
    HttpResponse<String> call(String method, String path) throws Exception {
      if (method.equals("GET")) return get(path);
      String token = csrf(get("/work").body());
      return form(path, token.isEmpty() ? Map.of() : Map.of("_csrf", token));
    }
  }
}
