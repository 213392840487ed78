package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sign-in: backoff after failures per account and per address, every outcome audited. */
class SignInTest {
  static final Instant TODAY = Instant.parse("2026-12-01T15:00:00Z");
  static TestServer server;
  static Careloop careloop;
  static String base;

  @BeforeAll
  static void start() {
    server = TestServer.start("signin", TODAY);
    careloop = server.careloop();
    base = server.base();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  /** A browser of its own: a cookie jar, redirects not followed. */
  static HttpClient browser() {
    return HttpClient.newBuilder()
        .cookieHandler(new CookieManager())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** Signs in by the form; the Location the form answers with. */
  static String formSignIn(String username, String password) throws Exception {
    return formSignIn(browser(), base, username, password);
  }

  /** Signs {@code http} in at {@code base} by the form; the Location the form answers with. */
  static String formSignIn(HttpClient http, String base, String username, String password)
      throws Exception {
    var page =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/login")).build(),
            HttpResponse.BodyHandlers.ofString());
    var m = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
    assertThat(m.find()).isTrue();
    String body =
        "username="
            + URLEncoder.encode(username, StandardCharsets.UTF_8)
            + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8)
            + "&_csrf="
            + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8);
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(302);
    return r.headers().firstValue("Location").orElseThrow();
  }

  static HttpResponse<String> basic(String username, String password) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(base + "/api/plans"))
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString((username + ":" + password).getBytes()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  static List<org.careloop.app.AuditEvent> audit(String actor) {
    return careloop.administration().auditTrail(10_000).stream()
        .filter(e -> e.actor().equals(actor) && e.action().startsWith("signin."))
        .toList();
  }

  @Test
  void afterFiveWrongPasswords_evenTheRightOneWaits_andEveryAttemptIsAudited() throws Exception {
    for (int i = 0; i < SignInGuard.FREE_PER_ACCOUNT; i++)
      assertThat(formSignIn("cora", "not-her-password")).endsWith("/login?error");
    assertThat(formSignIn("cora", DemoUsers.PASSWORD)).endsWith("/login?locked");
    // The page says why, without saying whether the password was right.
    var page =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/login?locked")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(page.body()).contains("Too many failed sign-ins");

    var events = audit("cora");
    assertThat(events)
        .extracting(e -> e.action())
        .containsOnly("signin.failed", "signin.throttled");
    assertThat(events).filteredOn(e -> e.action().equals("signin.failed")).hasSize(5);
    assertThat(events).filteredOn(e -> e.action().equals("signin.throttled")).hasSize(1);
    assertThat(events)
        .allSatisfy(e -> {
          assertThat(e.practiceId()).contains("default");
          assertThat(e.subject()).startsWith("from 127.0.0.1");
          assertThat(e.subject()).doesNotContain(DemoUsers.PASSWORD).doesNotContain("not-her");
        });

    // Another account from the same address still signs in, and that is audited too.
    assertThat(formSignIn("nina", DemoUsers.PASSWORD)).endsWith("/work");
    assertThat(audit("nina")).extracting(e -> e.action()).containsExactly("signin.ok");
  }

  @Test
  void httpBasic_isThrottledToo_with429AndRetryAfter() throws Exception {
    for (int i = 0; i < SignInGuard.FREE_PER_ACCOUNT; i++)
      assertThat(basic("ada", "wrong-" + i).statusCode()).isEqualTo(401);
    var refused = basic("ada", DemoUsers.PASSWORD);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After"))
        .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
    assertThat(audit("ada")).extracting(e -> e.action()).contains("signin.throttled");
  }

  @Test
  void anUnknownName_isAuditedWithoutEchoingIt() throws Exception {
    assertThat(formSignIn("careloop-demo-typed-here", "x")).endsWith("/login?error");
    assertThat(audit("(unknown user)"))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.subject()).doesNotContain("careloop-demo-typed-here"));
  }

  @Test
  void backoff_doublesPerFailureOverTheFreeOnes_upTo15Minutes_andIsForgottenAfterAnHour() {
    var guard = new SignInGuard();
    var t = Instant.parse("2026-12-01T12:00:00Z");
    for (int i = 0; i < SignInGuard.FREE_PER_ACCOUNT; i++) {
      assertThat(guard.wait("Max", "10.0.0.1", t)).isEmpty();
      guard.failed("max", "10.0.0.1", t);
    }
    assertThat(guard.wait("MAX", "10.0.0.2", t)).contains(Duration.ofSeconds(1));
    guard.failed("max", "10.0.0.2", t);
    assertThat(guard.wait("max", "10.0.0.3", t)).contains(Duration.ofSeconds(2));
    for (int i = 0; i < 30; i++) guard.failed("max", "10.0.0." + (10 + i), t);
    assertThat(guard.wait("max", "10.0.0.99", t)).contains(SignInGuard.LONGEST);
    assertThat(guard.wait("max", "10.0.0.99", t.plus(Duration.ofMinutes(16)))).isEmpty();
    assertThat(guard.wait("max", "10.0.0.99", t.plus(Duration.ofMinutes(61)))).isEmpty();
    // One address trying many accounts waits once it passes its own allowance.
    for (int i = 0; i < SignInGuard.FREE_PER_ADDRESS; i++) guard.failed("user" + i, "192.0.2.7", t);
    assertThat(guard.wait("someone-new", "192.0.2.7", t)).isPresent();
    assertThat(guard.wait("someone-new", "192.0.2.8", t)).isEmpty();
    guard.succeeded("someone-new", "192.0.2.7");
    assertThat(guard.wait("someone-new", "192.0.2.7", t)).isEmpty();
  }
}
