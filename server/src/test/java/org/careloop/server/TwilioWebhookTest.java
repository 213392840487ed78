package org.careloop.server;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.careloop.adapters.jdbc.Database;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code careloop serve} with Twilio configured (its REST API a local WireMock): a patient's STOP
 * arrives by a signed webhook and is honoured; unsigned or wrongly signed webhooks get 403 and
 * change nothing; a status callback with a dead-number error marks the number.
 */
class TwilioWebhookTest {
  static final String TOKEN = "webhook-test-token";
  static final String PUBLIC = "https://careloop.example.org";

  /** The signature Twilio computes: HMAC-SHA1 over the URL and the sorted form fields. */
  static String sign(String url, Map<String, String> form) throws Exception {
    var data = new StringBuilder(url);
    new TreeMap<>(form).forEach((k, v) -> data.append(k).append(v));
    var mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    return Base64.getEncoder()
        .encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
  }

  static HttpResponse<String> webhook(
      HttpClient http,
      String base,
      String path,
      Map<String, String> form,
      @Nullable String signature)
      throws Exception {
    String body =
        form.entrySet().stream()
            .map(e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    var request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded");
    if (signature != null) request.header("X-Twilio-Signature", signature);
    return http.send(
        request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void signedStop_optsOut_andConfirms_unsignedIs403_statusCallbackMarksADeadNumber(
      @TempDir Path dir) throws Exception {
    var twilio =
        new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().globalTemplating(true));
    twilio.start();
    twilio.stubFor(
        post(urlMatching("/2010-04-01/Accounts/.*/Messages.json"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"sid\": \"SM{{randomValue length=24 type='ALPHANUMERIC'}}\", \"status\": \"queued\"}")));
    Path log = dir.resolve("serve.log");
    String url = Database.h2Url(dir.resolve("db"));
    // A simulated clock at 10:00 in New York: the intake is inside the allowed hours whenever
    // the test runs.
    Opened.careloop(
            url,
            Optional.of("simulated"),
            Optional.of(java.time.Instant.parse("2026-11-23T15:00:00Z")),
            2)
        .close();
    HttpApiTest.addOps(url);
    var serve =
        KillRestartTest.serve(
            url,
            log,
            "CARELOOP_SMS=twilio",
            "TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000",
            "TWILIO_AUTH_TOKEN=" + TOKEN,
            "CARELOOP_TWILIO_API_URL=" + twilio.baseUrl(),
            "CARELOOP_TWILIO_SENDER=+16175550199",
            "careloop.public-url=" + PUBLIC);
    try {
      String base = baseUrl(serve, log);
      var http = HttpClient.newHttpClient();
      var csv =
          "patient_id,name,phone,email,provider,follow_up_type,preferred_window,due_date\n"
              + "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2027-04-01\n";
      var imported =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/import/csv"))
                  .header("Content-Type", "text/csv")
                  .header("Authorization", HttpApiTest.OPS)
                  .POST(HttpRequest.BodyPublishers.ofString(csv))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
      // The intake goes out before the STOP below (one still waiting would be withheld at send).
      long intakeBy = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (twilio.findAll(postRequestedFor(urlMatching(".*/Messages.json"))).isEmpty()) {
        assertThat(System.nanoTime()).as("the intake was not sent").isLessThan(intakeBy);
        Thread.sleep(100);
      }

      var stop =
          Map.of(
              "MessageSid", "SMinbound1",
              "From", "+16175550101",
              "To", "+16175550199",
              "Body", "Stop");
      assertThat(webhook(http, base, "/twilio/sms", stop, null).statusCode()).isEqualTo(403);
      assertThat(webhook(http, base, "/twilio/sms", stop, "bm90IGEgc2lnbmF0dXJl").statusCode())
          .isEqualTo(403);
      try (var db = Database.open(url, 2, DatabaseSetup.cipherFor(url))) {
        assertThat(count(db, "select count(*) from inbound_message")).isZero();
        assertThat(count(db, "select count(*) from contact_preference")).isZero();
      }
      var signed = webhook(http, base, "/twilio/sms", stop, sign(PUBLIC + "/twilio/sms", stop));
      assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
      assertThat(signed.body()).contains("<Response></Response>");

      // The intake went out before the STOP; the confirmation after it, both through Twilio.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (twilio.findAll(postRequestedFor(urlMatching(".*/Messages.json"))).size() < 2) {
        assertThat(System.nanoTime()).as("the confirmation was not sent").isLessThan(deadline);
        Thread.sleep(100);
      }
      twilio.verify(
          1,
          postRequestedFor(urlMatching(".*/Messages.json"))
              .withRequestBody(containing("no+more+text+messages")));
      try (var db = Database.open(url, 2, DatabaseSetup.cipherFor(url))) {
        assertThat(count(db, "select count(*) from contact_preference where opted_out = true"))
            .isEqualTo(1);
        String sid = strings(db, "select provider_id from outbox where kind = 'MESSAGE'").get(0);
        var failed =
            Map.of(
                "MessageSid", sid,
                "MessageStatus", "undelivered",
                "ErrorCode", "30006");
        assertThat(webhook(http, base, "/twilio/status", failed, "x").statusCode()).isEqualTo(403);
        // A status callback URL with a query: Twilio signs the URL with its query, then the form.
        String callback = "/twilio/status?attempt=1&practice=riverside";
        var report = webhook(http, base, callback, failed, sign(PUBLIC + callback, failed));
        assertThat(report.statusCode()).as(report.body()).isEqualTo(204);
        assertThat(
                strings(
                    db,
                    "select delivery_status || ' ' || delivery_error from outbox where kind = 'MESSAGE'"))
            .containsExactly("undelivered 30006");
        assertThat(strings(db, "select mobile_status from patient")).containsExactly("INVALID");
      }
    } finally {
      serve.destroyForcibly().waitFor();
      twilio.stop();
    }
  }

  static String baseUrl(Process serve, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    var running = Pattern.compile("careloop is running at (http://127\\.0\\.0\\.1:\\d+)");
    while (true) {
      assertThat(serve.isAlive()).as(Files.exists(log) ? Files.readString(log) : "no log").isTrue();
      assertThat(System.nanoTime()).as("serve did not start in 60 s").isLessThan(deadline);
      var m = running.matcher(Files.exists(log) ? Files.readString(log) : "");
      if (m.find()) return m.group(1);
      Thread.sleep(100);
    }
  }

  static long count(Database db, String sql) throws Exception {
    return Long.parseLong(strings(db, sql).get(0));
  }

  static java.util.List<String> strings(Database db, String sql) throws Exception {
    try (var c = db.dataSource().getConnection();
        var rs = c.createStatement().executeQuery(sql)) {
      var out = new java.util.ArrayList<String>();
      while (rs.next()) out.add(rs.getString(1));
      c.commit();
      return out;
    }
  }
}
