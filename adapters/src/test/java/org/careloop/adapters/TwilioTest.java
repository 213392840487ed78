package org.careloop.adapters;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.careloop.adapters.PlanAssert.assertThatPlan;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.careloop.adapters.jdbc.SandboxSender;
import org.careloop.adapters.twilio.TwilioSignatures;
import org.careloop.adapters.twilio.TwilioSmsSender;
import org.careloop.app.engine.Engine;
import org.careloop.app.messaging.ChannelSender;
import org.careloop.app.messaging.Deliveries;
import org.careloop.app.messaging.Dispatcher;
import org.careloop.app.messaging.Links;
import org.careloop.app.messaging.Replies;
import org.careloop.app.messaging.ReplyWords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SMS for real: the request Twilio's REST API gets (against a local WireMock standing in for
 * api.twilio.com), what its errors do, and webhook signatures checked against Twilio's own test
 * vectors.
 */
class TwilioTest {
  static final Instant T0 = BadInputTest.NOW;
  static final String ACCOUNT = "AC00000000000000000000000000000000";
  static final String TOKEN = "test-auth-token";

  WireMockServer twilio;

  @BeforeEach
  void start() {
    twilio =
        new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().globalTemplating(true));
    twilio.start();
  }

  @AfterEach
  void stop() {
    twilio.stop();
  }

  static final String MESSAGES = "/2010-04-01/Accounts/" + ACCOUNT + "/Messages.json";

  void answer(int status, String json) {
    twilio.stubFor(
        post(urlEqualTo(MESSAGES))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(json)));
  }

  Dispatcher dispatcher(Engine engine) {
    var sms =
        new TwilioSmsSender(
            ACCOUNT,
            TOKEN,
            twilio.baseUrl(),
            Optional.of("MG11111111111111111111111111111111"),
            "https://careloop.example.org/twilio/status");
    var sandbox = new SandboxSender(java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC));
    return new Dispatcher(
        Map.<String, ChannelSender>of(
            "SMS", sms, "EMAIL", sandbox, "EHR_NOTE", sandbox, "EHR_INBOX", sandbox),
        new Deliveries(engine),
        new Links("https://careloop.example.org"));
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void intake_goesToTwilio_asTheSdkShapesIt_andKeepsTheMessageSid(String kind) throws Exception {
    answer(
        201, "{\"sid\": \"SM123\", \"status\": \"queued\", \"account_sid\": \"" + ACCOUNT + "\"}");
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.importRow(store, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-04-01");
      var engine = new Engine(Shipped.protocols());
      assertThat(dispatcher(engine).dispatchDue(store, T0, 10)).isEqualTo(1);

      twilio.verify(
          postRequestedFor(urlEqualTo(MESSAGES))
              .withBasicAuth(
                  new com.github.tomakehurst.wiremock.client.BasicCredentials(ACCOUNT, TOKEN))
              .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
              .withFormParam("To", equalTo("+16175550101"))
              .withFormParam("MessagingServiceSid", equalTo("MG11111111111111111111111111111111"))
              .withFormParam(
                  "StatusCallback", equalTo("https://careloop.example.org/twilio/status"))
              .withFormParam(
                  "Body",
                  matching(
                      "Hi Sarah, Riverside Family Medicine: next is your lab test\\. Book: https://careloop\\.example\\.org/l/[A-Za-z0-9_-]{12} Reply STOP to opt out\\.")));
      var q = new Queries(db.dataSource());
      assertThat(q.strings("select status || ' ' || provider_id from outbox"))
          .containsExactly("SENT SM123");
      assertThat(q.strings("select body from outbox")).containsOnlyNulls();
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void invalidNumber_21211_isADeadLetter_andTheTouchpointGoesByEmail(String kind) throws Exception {
    answer(
        400,
        "{\"code\": 21211, \"message\": \"The 'To' number +16175550101 is not a valid phone number.\", \"more_info\": \"https://www.twilio.com/docs/errors/21211\", \"status\": 400}");
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.importRow(
          store, "MRN1,Sarah Lee,617-555-0101,sarah@example.org,Dr. M,lab,,2026-04-01");
      var engine = new Engine(Shipped.protocols());
      var d = dispatcher(engine);
      d.dispatchDue(store, T0, 10);
      var q = new Queries(db.dataSource());
      assertThat(q.strings("select status || ' ' || last_error from outbox where channel = 'SMS'"))
          .containsExactly("DEAD Twilio refused the number: 21211 (invalid 'To' number) [21211]");
      assertThat(q.strings("select mobile_status from patient")).containsExactly("INVALID");
      // The same intake, by email, sent now; the timeline says why.
      d.dispatchDue(store, T0, 10);
      assertThat(q.strings("select idempotency_key || ' ' || status from outbox order by id"))
          .containsExactly(
              "pl-" + planSuffix(q) + ":intake:SMS DEAD",
              "pl-" + planSuffix(q) + ":intake:EMAIL SENT");
      assertThat(q.strings("select detail from timeline_entry order by id"))
          .anyMatch(t -> t.startsWith("SMS message intake:SMS failed for good"))
          .contains("intake: no SMS on file, sent by EMAIL");
      assertThat(twilio.getAllServeEvents()).hasSize(1);
    }
  }

  static String planSuffix(Queries q) throws Exception {
    return q.strings("select id from plan").get(0).substring(3);
  }

  @Test
  void serverError_isRetried_notDead() throws Exception {
    answer(503, "{\"code\": 20500, \"message\": \"Internal Server Error\", \"status\": 503}");
    try (var db = TestDatabases.open("h2")) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.importRow(store, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-04-01");
      dispatcher(new Engine(Shipped.protocols())).dispatchDue(store, T0, 10);
      var q = new Queries(db.dataSource());
      assertThat(q.strings("select status || ' ' || attempts || ' ' || last_error from outbox"))
          .containsExactly("PENDING 1 IllegalStateException: Twilio error 20500 (HTTP 503)");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "STOP",
        "stop",
        " Stop. ",
        "STOPALL",
        "unsubscribe",
        "CANCEL",
        "end",
        "QUIT",
        "Revoke",
        "OPTOUT",
        "stop!"
      })
  void optOutWords_inAnyCaseOrPunctuation_meanStop(String text) {
    assertThat(ReplyWords.classify(text)).isEqualTo(ReplyWords.Meaning.STOP);
  }

  @Test
  void otherWords_meanWhatTheySay_andYesYAndOkAreBookingIntent() {
    assertThat(ReplyWords.classify("start")).isEqualTo(ReplyWords.Meaning.START);
    assertThat(ReplyWords.classify("UNSTOP")).isEqualTo(ReplyWords.Meaning.START);
    assertThat(ReplyWords.classify("help")).isEqualTo(ReplyWords.Meaning.HELP);
    assertThat(ReplyWords.classify("Book")).isEqualTo(ReplyWords.Meaning.BOOK);
    assertThat(ReplyWords.classify(" 1 ")).isEqualTo(ReplyWords.Meaning.BOOK);
    assertThat(ReplyWords.classify("YES")).isEqualTo(ReplyWords.Meaning.BOOK);
    assertThat(ReplyWords.classify("y")).isEqualTo(ReplyWords.Meaning.BOOK);
    assertThat(ReplyWords.classify("Ok!")).isEqualTo(ReplyWords.Meaning.BOOK);
    assertThat(ReplyWords.optsBackIn("yes")).isTrue();
    assertThat(ReplyWords.optsBackIn("ok")).isFalse();
    assertThat(ReplyWords.classify("yes please call me after 5"))
        .isEqualTo(ReplyWords.Meaning.FREE_TEXT);
    assertThat(ReplyWords.classify("please stop calling my mother"))
        .isEqualTo(ReplyWords.Meaning.FREE_TEXT);
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void stop_optsTheNumberOut_confirmsOnce_andNothingMoreIsTexted_untilStart(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.importRow(
          store, "MRN1,Sarah Lee,617-555-0101,sarah@example.org,Dr. M,lab,,2026-04-01");
      var engine = new Engine(Shipped.protocols());
      var replies = new Replies(store, engine, "default", org.careloop.app.SlotSource.NONE);
      var stop = replies.smsReceived("+16175550101", "Stop", "SM-in-1", T0);
      assertThat(stop.answer())
          .contains(
              "Riverside Family Medicine: you will get no more text messages from us. Reply START to resubscribe.");
      assertThat(replies.smsReceived("+16175550101", "STOP", "SM-in-2", T0).answer()).isEmpty();
      assertThat(replies.smsReceived("+16175550101", "STOP", "SM-in-2", T0).duplicate()).isTrue();

      var runner = new org.careloop.app.engine.Runner(store, engine, dispatcher(engine));
      answer(
          201,
          "{\"sid\": \"SM{{randomValue length=24 type='ALPHANUMERIC'}}\", \"status\": \"queued\"}");
      runner.advance(T0, T0.plus(Duration.ofDays(8)), t -> {});
      var q = new Queries(db.dataSource());
      // The intake text was decided before the STOP but not yet sent: the send-time re-check
      // withholds it. The confirmation went by SMS; the day-7 check-in by email instead of SMS.
      assertThat(
              q.strings(
                  "select kind || ' ' || channel || ' ' || status from outbox where status <> 'PENDING' order by id"))
          .containsExactly("MESSAGE SMS WITHHELD", "REPLY SMS SENT", "MESSAGE EMAIL SENT");
      assertThat(q.strings("select detail from timeline_entry"))
          .anyMatch(t -> t.endsWith("withheld at send: the patient opted out of SMS since"));
      twilio.verify(
          1,
          com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
              com.github.tomakehurst.wiremock.client.WireMock.urlMatching(".*/Messages.json")));
      assertThat(q.strings("select detail from timeline_entry"))
          .contains("checkin:follow-up:d7: patient opted out of SMS, sent by EMAIL");
      assertThat(q.count("select count(*) from contact_preference_change")).isEqualTo(1);

      // YES from the opted-out number opts it back in, as the carrier takes it; not a booking.
      var yes = replies.smsReceived("+16175550101", "YES", "SM-in-3", T0.plus(Duration.ofDays(8)));
      assertThat(yes.meaning()).isEqualTo(ReplyWords.Meaning.START);
      assertThat(yes.answer())
          .contains(
              "Riverside Family Medicine: you are resubscribed to text messages. Reply STOP to opt out.");
      assertThat(q.strings("select opted_out from contact_preference"))
          .containsExactly(q.strings("select false").get(0));
      // The ledger keeps no number: only its keyed hash.
      assertThat(q.strings("select address_hash from contact_preference").get(0))
          .doesNotContain("555");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void book_answersWithTheLink_andPausesThePlan_freeTextGivesACoordinatorTask(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.importRow(store, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-04-01");
      DispatcherTest.importRow(store, "MRN2,Ana Diaz,617-555-0102,,Dr. M,imaging,,2026-04-01");
      var engine = new Engine(Shipped.protocols());
      var replies = new Replies(store, engine, "default", org.careloop.app.SlotSource.NONE);
      var book = replies.smsReceived("+16175550101", "BOOK", "SM-in-1", T0);
      assertThat(book.answer())
          .contains("Riverside Family Medicine: book here: https://book.example.org/riverside");
      assertThat(book.planId()).isPresent();
      var help = replies.smsReceived("+16175550102", "help", "SM-in-2", T0);
      assertThat(help.answer())
          .contains(
              "Riverside Family Medicine care plan reminders. Questions? Call +16175550100. Reply STOP to opt out.");
      var text = replies.smsReceived("+16175550102", "Is this about my scan?", "SM-in-3", T0);
      assertThat(text.answer()).isEmpty();
      var q = new Queries(db.dataSource());
      assertThat(q.strings("select title from task"))
          .containsExactly("Patient replied: read and answer");
      assertThat(q.decrypted("select detail from task", "task.detail"))
          .singleElement()
          .asString()
          .contains("\"Is this about my scan?\"");
      assertThatPlan(db, book.planId().get()).isPausedFor("patient wants to book");
      assertThat(q.strings("select classified from inbound_message order by id"))
          .containsExactly("BOOK", "HELP", "FREE_TEXT");
      assertThat(q.strings("select body from inbound_message"))
          .allMatch(b -> b.startsWith("enc1:"));

      // After 30 days the bodies are gone; who, when and what it meant stay.
      var runner = DispatcherTest.sandboxRunner(store, engine, T0);
      runner.runDue(T0);
      assertThat(q.count("select count(*) from outbox where kind = 'REPLY' and body is not null"))
          .isEqualTo(2);
      runner.runDue(T0.plus(Duration.ofDays(31)));
      assertThat(q.count("select count(*) from inbound_message where body is not null")).isZero();
      assertThat(q.count("select count(*) from outbox where body is not null")).isZero();
      assertThat(q.count("select count(*) from sandbox_message where body is not null")).isZero();
      assertThat(q.count("select count(*) from inbound_message where body_purged_at is not null"))
          .isEqualTo(3);
      assertThat(q.strings("select classified from inbound_message order by id"))
          .containsExactly("BOOK", "HELP", "FREE_TEXT");
    }
  }

  // --- webhook signatures, against the vectors from Twilio's SDK tests -----------------------

  static JsonNode vectors() throws Exception {
    var file = SyntheaFollowUpTest.DATA.resolve("webhooks/twilio-request-validator-vectors.json");
    return JsonMapper.builder().build().readTree(Files.readString(file));
  }

  @Test
  void everyFormVector_validatesAsTwilioSays() throws Exception {
    var v = vectors();
    var signatures = new TwilioSignatures(v.get("authToken").asString());
    int checked = 0;
    for (var c : v.get("cases")) {
      var params = new ArrayList<Map.Entry<String, String>>();
      if (c.has("paramsList")) {
        for (var p : c.get("paramsList"))
          params.add(Map.entry(p.get(0).asString(), p.get(1).asString()));
      } else {
        for (var e : v.get("params").properties())
          params.add(Map.entry(e.getKey(), e.getValue().asString()));
      }
      assertThat(
              signatures.validForm(c.get("url").asString(), params, c.get("signature").asString()))
          .as(c.get("name").asString())
          .isEqualTo(c.get("valid").asBoolean());
      checked++;
    }
    assertThat(checked).isEqualTo(7);
  }

  @Test
  void everyFormVector_validatesAsTwilioSays_whenTheServletMergedTheQueryIntoTheForm()
      throws Exception {
    var v = vectors();
    var signatures = new TwilioSignatures(v.get("authToken").asString());
    int checked = 0;
    for (var c : v.get("cases")) {
      if (c.has("paramsList")) continue;
      String url = c.get("url").asString();
      // What a servlet's getParameterMap gives: the query's pairs first, then the form's.
      var merged = new ArrayList<Map.Entry<String, String>>();
      String query = java.net.URI.create(url).getQuery();
      for (String pair : query.split("&")) {
        var kv = pair.split("=", 2);
        merged.add(Map.entry(kv[0], kv[1]));
      }
      for (var e : v.get("params").properties())
        merged.add(Map.entry(e.getKey(), e.getValue().asString()));
      String signature = c.get("signature").asString();
      assertThat(signatures.validServletForm(url, merged, signature))
          .as(c.get("name").asString())
          .isEqualTo(c.get("valid").asBoolean());
      // Signing the query twice (in the URL and as form fields) is not what Twilio does.
      if (c.get("valid").asBoolean())
        assertThat(signatures.validForm(url, merged, signature))
            .as(c.get("name").asString())
            .isFalse();
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(5);
  }

  @Test
  void everyJsonBodyVector_validatesAsTwilioSays() throws Exception {
    var json = vectors().get("jsonBody");
    var signatures = new TwilioSignatures(vectors().get("authToken").asString());
    String body = json.get("body").asString();
    String firstUrl = null, firstSignature = null;
    for (var c : json.get("cases")) {
      if (!c.has("url")) {
        // The wrong-hash case: a URL whose bodySHA256 does not match the body.
        assertThat(firstUrl).as("a valid case comes before the wrong-hash case").isNotNull();
        assertThat(
                signatures.validJson(
                    Objects.requireNonNull(firstUrl)
                        .replace(json.get("bodySHA256").asString(), c.get("bodySHA256").asString()),
                    body,
                    Objects.requireNonNull(firstSignature)))
            .as(c.get("name").asString())
            .isFalse();
        continue;
      }
      if (firstUrl == null) {
        firstUrl = c.get("url").asString();
        firstSignature = c.get("signature").asString();
      }
      assertThat(signatures.validJson(c.get("url").asString(), body, c.get("signature").asString()))
          .as(c.get("name").asString())
          .isEqualTo(c.get("valid").asBoolean());
    }
  }
}
