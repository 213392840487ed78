package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careloop.server.EhrPollingTest.put;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.careloop.app.EhrConnection;
import org.careloop.core.MilestoneStatus;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An EHR's notifications at {@code POST /ehr/{practice}/{name}/notifications}, against a real FHIR
 * server (HAPI FHIR's JPA server): an id-only event fetches the care plan it names with its patient
 * and order; a full-resource appointment books the step; a redelivery is stored once; a heartbeat
 * whose count shows missed events polls; a wrong or missing secret is 401 and stores nothing; a
 * body that is not a notification is 400 naming where; athenahealth's signed notification passes
 * its X-Hub-Signature and a changed byte does not; an EHR that does not answer is tried again.
 */
class EhrNotificationTest {
  static final String SECRET = "notify-" + Long.toString(System.nanoTime(), 36);
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Path ATHENA = CommandLineTest.DATA.resolve("webhooks/athenahealth");
  static String fhir = "";
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    fhir = FhirTestServerProcess.base();
    EhrPollingTest.fhir = fhir;
    System.setProperty("CARELOOP_TEST_NOTIFY_SECRET", SECRET);
    System.setProperty("CARELOOP_TEST_ATHENA_SECRET", vectors().path("secret").asString());
    server = TestServer.start("ehrnotify", Instant.now().truncatedTo(ChronoUnit.SECONDS));
    connect("main", fhir, EhrConnection.Check.HEADER, "CARELOOP_TEST_NOTIFY_SECRET");
    connect("athena", fhir, EhrConnection.Check.HUB_SIGNATURE, "CARELOOP_TEST_ATHENA_SECRET");
    // An EHR nobody answers at (the discard port, closed on a loopback address).
    connect(
        "down",
        "http://127.0.0.1:9/fhir",
        EhrConnection.Check.HEADER,
        "CARELOOP_TEST_NOTIFY_SECRET");
  }

  static tools.jackson.databind.JsonNode vectors() throws java.io.IOException {
    return tools.jackson.databind.json.JsonMapper.builder()
        .build()
        .readTree(Files.readString(ATHENA.resolve("x-hub-signature-vectors.json")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void connect(String name, String base, EhrConnection.Check check, String secretEnv) {
    var now = server.careloop().clock().instant();
    server
        .careloop()
        .ehrSetup()
        .connect(
            "ada",
            new EhrConnection(
                Careloop.DEFAULT_PRACTICE,
                name,
                base,
                EhrConnection.Auth.NONE,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of(
                    new EhrConnection.Notifications(check, "Authorization", "env:" + secretEnv)),
                now,
                Optional.empty()),
            now);
  }

  static HttpResponse<String> notify(
      String name, byte[] body, String header, @Nullable String value) throws Exception {
    var request =
        HttpRequest.newBuilder(
                URI.create(
                    server.base()
                        + "/ehr/"
                        + Careloop.DEFAULT_PRACTICE
                        + "/"
                        + name
                        + "/notifications"))
            .header("Content-Type", "application/fhir+json");
    if (value != null) request.header(header, value);
    return HTTP.send(
        request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> notify(String name, String body, @Nullable String bearer)
      throws Exception {
    return notify(
        name,
        body.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        "Authorization",
        bearer == null ? null : "Bearer " + bearer);
  }

  /** An R4 Backport notification: its status Parameters, then each focus (with its resource). */
  static String notification(String type, long since, String... events) {
    return notification("careloop-1", type, since, events);
  }

  /** The same, from the subscription {@code subscription}. */
  static String notification(String subscription, String type, long since, String... events) {
    var params = new StringBuilder();
    var entries = new StringBuilder();
    long number = since - events.length;
    for (var e : events) {
      number++;
      String focus = e.startsWith("{") ? e.substring(e.indexOf("|") + 1) : e;
      String resource = e.startsWith("{") ? e.substring(0, e.indexOf("|")) : "";
      params.append(
          """
          ,{"name": "notification-event", "part": [
             {"name": "event-number", "valueString": "%d"},
             {"name": "focus", "valueReference": {"reference": "%s/%s"}}]}
          """
              .formatted(number, fhir, focus));
      entries.append(
          """
          ,{"fullUrl": "%s/%s", %s "request": {"method": "PUT", "url": "%s"},
            "response": {"status": "200"}}
          """
              .formatted(
                  fhir, focus, resource.isEmpty() ? "" : "\"resource\": " + resource + ",", focus));
    }
    return """
    {"resourceType": "Bundle", "type": "history", "timestamp": "2026-12-03T10:00:00Z",
     "entry": [{"fullUrl": "urn:uuid:3b6e4d5a-6c1e-4b8e-9f37-0b7f1c2d9e10",
       "resource": {"resourceType": "Parameters", "parameter": [
         {"name": "subscription", "valueReference": {"reference": "%s/Subscription/%s"}},
         {"name": "topic", "valueCanonical": "http://careloop.example/topics/care-plans"},
         {"name": "status", "valueCode": "active"},
         {"name": "type", "valueCode": "%s"},
         {"name": "events-since-subscription-start", "valueString": "%d"}%s]}}%s]}
    """
        .formatted(fhir, subscription, type, since, params, entries);
  }

  static int pending(String name) {
    return server
        .careloop()
        .ehrSetup()
        .show(Careloop.DEFAULT_PRACTICE, name)
        .orElseThrow()
        .pending();
  }

  static java.util.List<org.careloop.app.intake.EhrNotifications.Round> work() {
    return workAt(server.careloop().clock().instant());
  }

  static java.util.List<org.careloop.app.intake.EhrNotifications.Round> workAt(Instant now) {
    return server.careloop().ehrNotifications().workDue(now);
  }

  @Test
  void eventsOutOfOrder_fillTheirGap_withoutAPoll() throws Exception {
    connect("unordered", fhir, EhrConnection.Check.HEADER, "CARELOOP_TEST_NOTIFY_SECRET");
    String id = Long.toString(System.nanoTime(), 36);
    var first =
        notify("unordered", notification("event-notification", 1, "CarePlan/cp-u1" + id), SECRET);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    // Event 4 comes before 2 and 3: a gap, as careloop sees it then.
    var fourth =
        notify("unordered", notification("event-notification", 4, "CarePlan/cp-u4" + id), SECRET);
    assertThat(fourth.body())
        .isEqualTo("event-notification: 2 to work, 0 already had, 2 missed (a poll reads them)\n");
    var late =
        notify(
            "unordered",
            notification("event-notification", 3, "CarePlan/cp-u2" + id, "CarePlan/cp-u3" + id),
            SECRET);
    assertThat(late.statusCode()).as(late.body()).isEqualTo(200);
    workAt(server.careloop().clock().instant().plusSeconds(31));
    var shown =
        server.careloop().ehrSetup().show(Careloop.DEFAULT_PRACTICE, "unordered").orElseThrow();
    // Every event came: nothing was polled.
    assertThat(shown.cursors()).isEmpty();
    assertThat(shown.pending()).isZero();
    assertThat(
            Pg.strings(
                server.careloop().database().dataSource(),
                "select outcome from ehr_event where connection = 'unordered'"
                    + " and event_key like 'missed:%'"))
        .containsExactly("the missed events came since (out of order)");
  }

  @Test
  void anIdOnlyEvent_fetchesThePlan_aFullResourceBooksIt_aRedeliveryIsStoredOnce_aGapPolls()
      throws Exception {
    String id = Long.toString(System.nanoTime(), 36);
    String family = "Notified" + id.replaceAll("[0-9]", "").toLowerCase(java.util.Locale.ROOT);
    LocalDate due = LocalDate.now(ZoneOffset.UTC).plusDays(42);
    chart(id, family, due);
    var careloop = server.careloop();
    int before = pending("main");

    // The handshake starts the count; the id-only event is stored, answered, and worked after.
    var handshake = notify("main", notification("handshake", 0), SECRET);
    assertThat(handshake.statusCode()).as(handshake.body()).isEqualTo(200);
    String event = notification("event-notification", 1, "CarePlan/cp-" + id);
    var first = notify("main", event, SECRET);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("event-notification: 1 to work, 0 already had\n");
    assertThat(pending("main")).isEqualTo(before + 1);
    // The EHR sends it again (it did not see the answer): stored once.
    var again = notify("main", event, SECRET);
    assertThat(again.body()).isEqualTo("event-notification: 0 to work, 1 already had\n");
    assertThat(plansOf(family)).isEmpty();
    assertThat(work()).anySatisfy(r -> assertThat(r.connection()).isEqualTo("main"));
    assertThat(pending("main")).isZero();
    var plan = plansOf(family);
    assertThat(plan).hasSize(1);
    assertThat(careloop.read().plan(plan.get(0).id()).orElseThrow().state().milestones())
        .extracting(m -> m.status())
        .containsExactly(MilestoneStatus.PENDING);

    // The EHR books the visit and sends the appointment itself (full-resource): the step is booked
    // without careloop asking the EHR for anything.
    Instant start = due.minusDays(2).atTime(15, 0).toInstant(ZoneOffset.UTC);
    String appointment = appointment(id, "booked", "2026-12-03T10:00:00Z", start);
    var booked =
        notify(
            "main",
            notification("event-notification", 2, appointment + "|Appointment/appt-" + id),
            SECRET);
    assertThat(booked.statusCode()).as(booked.body()).isEqualTo(200);
    work();
    assertThat(careloop.read().plan(plan.get(0).id()).orElseThrow().state().milestones())
        .extracting(m -> m.status())
        .containsExactly(MilestoneStatus.SCHEDULED);

    // A heartbeat says 5 events were sent; careloop saw 2: the missed ones are read by a poll.
    var heartbeat = notify("main", notification("heartbeat", 5), SECRET);
    assertThat(heartbeat.body())
        .isEqualTo("heartbeat: 1 to work, 0 already had, 3 missed (a poll reads them)\n");
    assertThat(careloop.ehrSetup().show(Careloop.DEFAULT_PRACTICE, "main").orElseThrow().cursors())
        .isEmpty();
    // Not at once: deliveries come out of order, so the gap waits for its events a while.
    work();
    assertThat(careloop.ehrSetup().show(Careloop.DEFAULT_PRACTICE, "main").orElseThrow().cursors())
        .isEmpty();
    workAt(careloop.clock().instant().plusSeconds(31));
    var shown = careloop.ehrSetup().show(Careloop.DEFAULT_PRACTICE, "main").orElseThrow();
    assertThat(shown.cursors()).containsKeys("Patient", "ServiceRequest", "CarePlan");
    assertThat(shown.subscription().orElseThrow().eventsSeen()).contains(5L);
    // The poll read the same plan again: still one.
    assertThat(plansOf(family)).hasSize(1);
  }

  /** A patient at the EHR with an HbA1c ordered for {@code due}, the step of a care plan. */
  static void chart(String id, String family, LocalDate due) throws Exception {
    put(
        "Patient",
        "pat-" + id,
        """
        {"resourceType": "Patient", "id": "pat-%s",
         "name": [{"family": "%s", "given": ["Nia"]}],
         "telecom": [{"system": "phone", "value": "(617) 555-0188", "use": "mobile"}],
         "birthDate": "1970-02-03"}
        """
            .formatted(id, family));
    put(
        "ServiceRequest",
        "lab-" + id,
        """
        {"resourceType": "ServiceRequest", "id": "lab-%s", "status": "active", "intent": "order",
         "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4",
           "display": "Hemoglobin A1c"}], "text": "HbA1c"},
         "subject": {"reference": "Patient/pat-%s"}, "occurrenceDateTime": "%s"}
        """
            .formatted(id, id, due));
    put(
        "CarePlan",
        "cp-" + id,
        """
        {"resourceType": "CarePlan", "id": "cp-%s", "status": "active", "intent": "plan",
         "subject": {"reference": "Patient/pat-%s"},
         "activity": [{"reference": {"reference": "ServiceRequest/lab-%s"}}]}
        """
            .formatted(id, id, id));
  }

  /**
   * The FHIR server itself notifies careloop, by R4 rest-hook Subscriptions as HAPI FHIR delivers
   * them: a ping (no payload) when the care plan is made, which careloop answers with a poll, and
   * the booked appointment PUT to {@code [endpoint]/Appointment/[id]}, which books the step.
   */
  @Test
  void theFhirServersOwnRestHookNotifications_bringThePlanThenBookIt() throws Exception {
    connect("hapi", fhir, EhrConnection.Check.HEADER, "CARELOOP_TEST_NOTIFY_SECRET");
    String id = Long.toString(System.nanoTime(), 36);
    String family = "Hooked" + id.replaceAll("[0-9]", "").toLowerCase(java.util.Locale.ROOT);
    LocalDate due = LocalDate.now(ZoneOffset.UTC).plusDays(42);
    String endpoint = server.base() + "/ehr/" + Careloop.DEFAULT_PRACTICE + "/hapi/notifications";
    String plans = subscribe("plans-" + id, "CarePlan?subject=Patient/pat-" + id, endpoint, null);
    String visits =
        subscribe(
            "visits-" + id,
            "Appointment?patient=Patient/pat-" + id,
            endpoint,
            "application/fhir+json");
    try {
      int before = pending("hapi");
      chart(id, family, due);
      // HAPI delivers on its own thread: wait for careloop to have stored the ping.
      awaitPending("hapi", before);
      work();
      assertThat(plansOf(family)).hasSize(1);
      var planId = plansOf(family).get(0).id();

      Instant start = due.minusDays(2).atTime(15, 0).toInstant(ZoneOffset.UTC);
      int booked = pending("hapi");
      put(
          "Appointment",
          "appt-" + id,
          """
          {"resourceType": "Appointment", "id": "appt-%s", "status": "booked",
           "basedOn": [{"reference": "ServiceRequest/lab-%s"}], "start": "%s", "end": "%s",
           "participant": [{"actor": {"reference": "Patient/pat-%s"}, "status": "accepted"}]}
          """
              .formatted(id, id, start, start.plus(30, ChronoUnit.MINUTES), id));
      awaitPending("hapi", booked);
      // What HAPI sent was the resource itself, stored to be imported as sent.
      assertThat(
              Pg.strings(
                  server.careloop().database().dataSource(),
                  "select event_key from ehr_event where connection = 'hapi'"
                      + " and event_key like 'rest-hook:Appointment/appt-"
                      + id
                      + "/_history/%'"))
          .isNotEmpty();
      work();
      assertThat(server.careloop().read().plan(planId).orElseThrow().state().milestones())
          .extracting(m -> m.status())
          .containsExactly(MilestoneStatus.SCHEDULED);
    } finally {
      for (String sub : java.util.List.of(plans, visits))
        HTTP.send(
            HttpRequest.newBuilder(URI.create(fhir + "/Subscription/" + sub)).DELETE().build(),
            HttpResponse.BodyHandlers.discarding());
    }
  }

  /**
   * An R4 rest-hook Subscription at the FHIR server, sending careloop's secret; returned once the
   * server has activated it.
   */
  static String subscribe(String id, String criteria, String endpoint, @Nullable String payload)
      throws Exception {
    put(
        "Subscription",
        id,
        """
        {"resourceType": "Subscription", "id": "%s", "status": "requested",
         "reason": "careloop follows this practice's plans", "criteria": "%s",
         "channel": {"type": "rest-hook", "endpoint": "%s", %s
           "header": ["Authorization: Bearer %s"]}}
        """
            .formatted(
                id,
                criteria,
                endpoint,
                payload == null ? "" : "\"payload\": \"" + payload + "\",",
                SECRET));
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      var r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(fhir + "/Subscription/" + id)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.body().replace(" ", "").contains("\"status\":\"active\"")) return id;
      Thread.sleep(250);
    }
    throw new AssertionError("the FHIR server did not activate Subscription/" + id);
  }

  /** Waits until the connection holds more events than {@code before}. */
  static void awaitPending(String name, int before) throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (pending(name) > before) return;
      Thread.sleep(200);
    }
    throw new AssertionError("no notification reached careloop within 60 s");
  }

  /** The lab's appointment as a full-resource event carries it: its status, as of {@code at}. */
  static String appointment(String id, String status, String at, Instant start) {
    return """
    {"resourceType": "Appointment", "id": "appt-%s", "status": "%s",
     "meta": {"lastUpdated": "%s"},
     "basedOn": [{"reference": "ServiceRequest/lab-%s"}], "start": "%s", "end": "%s",
     "participant": [{"actor": {"reference": "Patient/pat-%s"}, "status": "accepted"}]}
    """
        .formatted(id, status, at, id, start, start.plus(30, ChronoUnit.MINUTES), id)
        .replace("\n", " ");
  }

  /**
   * Full-resource events delivered out of order (athenahealth says they can be): the appointment
   * booked, then a cancellation that is older than the booking arriving late is not imported over
   * it; a newer cancellation is.
   */
  @Test
  void aFullResourceOlderThanOneTaken_isNotImportedOverIt() throws Exception {
    String id = Long.toString(System.nanoTime(), 36);
    String family = "Ordered" + id.replaceAll("[0-9]", "").toLowerCase(java.util.Locale.ROOT);
    LocalDate due = LocalDate.now(ZoneOffset.UTC).plusDays(42);
    chart(id, family, due);
    var careloop = server.careloop();
    assertThat(notify("main", notification("careloop-7", "handshake", 0), SECRET).statusCode())
        .isEqualTo(200);
    notify(
        "main", notification("careloop-7", "event-notification", 1, "CarePlan/cp-" + id), SECRET);
    work();
    var plan = plansOf(family).get(0).id();
    Instant start = due.minusDays(2).atTime(15, 0).toInstant(ZoneOffset.UTC);
    java.util.function.BiFunction<Integer, String, Object> deliver =
        (number, statusAt) -> {
          try {
            String[] sa = statusAt.split(" ", 2);
            var answer =
                notify(
                    "main",
                    notification(
                        "careloop-7",
                        "event-notification",
                        number,
                        appointment(id, sa[0], sa[1], start) + "|Appointment/appt-" + id),
                    SECRET);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            work();
            return careloop.read().plan(plan).orElseThrow().state().milestones().get(0).status();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    assertThat(deliver.apply(2, "booked 2026-12-03T10:00:00Z"))
        .isEqualTo(MilestoneStatus.SCHEDULED);
    assertThat(deliver.apply(3, "cancelled 2026-12-03T09:00:00Z"))
        .as("a cancellation older than the booking, delivered late")
        .isEqualTo(MilestoneStatus.SCHEDULED);
    assertThat(
            Pg.strings(
                careloop.database().dataSource(),
                "select outcome from ehr_event where event_key = 'Subscription/careloop-7#3'"))
        .singleElement()
        .asString()
        .startsWith("an older version than one already taken");
    assertThat(deliver.apply(4, "cancelled 2026-12-03T11:00:00.250+01:00"))
        .as("a cancellation newer than the booking (10:00:00.25 UTC)")
        .isNotEqualTo(MilestoneStatus.SCHEDULED);
  }

  /**
   * A version a poll took is not undone by a notification older than it delivered late: booked by
   * notification, cancelled at the EHR and read by a poll, then a booking older than the
   * cancellation arrives.
   */
  @Test
  void aVersionAPollTook_isNotUndoneByAnOlderNotificationDeliveredLate() throws Exception {
    String id = Long.toString(System.nanoTime(), 36);
    String family = "Polled" + id.replaceAll("[0-9]", "").toLowerCase(java.util.Locale.ROOT);
    LocalDate due = LocalDate.now(ZoneOffset.UTC).plusDays(42);
    chart(id, family, due);
    var careloop = server.careloop();
    assertThat(notify("main", notification("careloop-8", "handshake", 0), SECRET).statusCode())
        .isEqualTo(200);
    notify(
        "main", notification("careloop-8", "event-notification", 1, "CarePlan/cp-" + id), SECRET);
    work();
    var plan = plansOf(family).get(0).id();
    Instant start = due.minusDays(2).atTime(15, 0).toInstant(ZoneOffset.UTC);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    notify(
        "main",
        notification(
            "careloop-8",
            "event-notification",
            2,
            appointment(id, "booked", now.minus(2, ChronoUnit.HOURS).toString(), start)
                + "|Appointment/appt-"
                + id),
        SECRET);
    work();
    assertThat(careloop.read().plan(plan).orElseThrow().state().milestones().get(0).status())
        .isEqualTo(MilestoneStatus.SCHEDULED);

    // Cancelled at the EHR (its lastUpdated: now), and read by a poll.
    put(
        "Appointment",
        "appt-" + id,
        appointment(id, "cancelled", now.toString(), start)
            .replaceAll("\"meta\": \\{[^}]*\\},", ""));
    careloop.ehrPolling().poll(Careloop.DEFAULT_PRACTICE, "main", careloop.clock().instant());
    assertThat(careloop.read().plan(plan).orElseThrow().state().milestones().get(0).status())
        .isNotEqualTo(MilestoneStatus.SCHEDULED);

    // A booking from an hour ago, delivered only now: older than what the poll took.
    notify(
        "main",
        notification(
            "careloop-8",
            "event-notification",
            3,
            appointment(id, "booked", now.minus(1, ChronoUnit.HOURS).toString(), start)
                + "|Appointment/appt-"
                + id),
        SECRET);
    work();
    assertThat(careloop.read().plan(plan).orElseThrow().state().milestones().get(0).status())
        .isNotEqualTo(MilestoneStatus.SCHEDULED);
  }

  static java.util.List<org.careloop.app.Reads.PlanRow> plansOf(String family) {
    return server.careloop().read().plans(Optional.of(Careloop.DEFAULT_PRACTICE)).stream()
        .filter(p -> p.patient().endsWith(family))
        .toList();
  }

  @Test
  void withoutTheSecret_401_andNothingStored_aBodyThatIsNotANotification_400NamingWhere()
      throws Exception {
    String body = notification("careloop-2", "event-notification", 1, "CarePlan/cp-none");
    int before = pending("main");
    assertThat(notify("main", body, null).statusCode()).isEqualTo(401);
    var wrong = notify("main", body, "not-the-secret");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("Authorization is missing or does not match");
    // The secret alone (no Bearer) is taken too: a subscription may set the header so.
    var plain =
        notify(
            "main",
            notification("careloop-2", "event-notification", 1, "CarePlan/cp-plain")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "Authorization",
            SECRET);
    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
    assertThat(pending("main")).isEqualTo(before + 1);

    var notJson = notify("main", "{\"resourceType\": \"Bundle\",", SECRET);
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).startsWith("notification to EHR connection main: not JSON");
    var notABundle = notify("main", "{\"resourceType\": \"Patient\"}", SECRET);
    assertThat(notABundle.statusCode()).isEqualTo(400);
    assertThat(notABundle.body()).contains("a notification is a Bundle, not a Patient");
    var noStatus =
        notify(
            "main", "{\"resourceType\": \"Bundle\", \"type\": \"history\", \"entry\": []}", SECRET);
    assertThat(noStatus.statusCode()).isEqualTo(400);
    assertThat(noStatus.body()).contains("Bundle.entry: a notification has its status first");
    assertThat(pending("main")).isEqualTo(before + 1);

    // No such connection, and a connection of another name: the same 404.
    var unknown = notify("nowhere", body, SECRET);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).isEqualTo("no EHR connection takes notifications here\n");
  }

  @Test
  void athenahealthsSignedNotification_isTaken_aChangedByteIs401() throws Exception {
    var vectors = vectors();
    var first = vectors.path("cases").get(0);
    byte[] body = Files.readAllBytes(ATHENA.resolve(first.path("body_file").asString()));
    String signature = first.path("X-Hub-Signature").asString();
    int before = pending("athena");

    var taken = notify("athena", body, "X-Hub-Signature", signature);
    assertThat(taken.statusCode()).as(taken.body()).isEqualTo(200);
    assertThat(taken.body()).isEqualTo("event-notification: 1 to work, 0 already had\n");
    byte[] changed = body.clone();
    changed[changed.length - 3] = (byte) ' ';
    assertThat(notify("athena", changed, "X-Hub-Signature", signature).statusCode()).isEqualTo(401);
    assertThat(notify("athena", body, "X-Hub-Signature", null).statusCode()).isEqualTo(401);
    assertThat(pending("athena")).isEqualTo(before + 1);

    // Its focus is an athenaNet identifier: fetched as an Appointment by identifier. This FHIR
    // server has none, so nothing is imported, and the event is done.
    work();
    assertThat(pending("athena")).isZero();
  }

  @Test
  void theCommandLine_setsHowNotificationsProveThemselves_andShowsWhereTheyGo(@TempDir Path dir) {
    String db = org.careloop.adapters.jdbc.Database.h2Url(dir);
    var connect =
        CommandLineTest.run(
            "ehr",
            "connect",
            "athena",
            "--fhir-base",
            "https://api.platform.athenahealth.com/fhir/r4",
            "--notify-check",
            "hub-signature",
            "--notify-secret-env",
            "ATHENA_HUB_SECRET",
            "--db",
            db);
    assertThat(connect.code()).as(connect.err()).isZero();
    assertThat(connect.out())
        .contains(
            "notifications to "
                + Careloop.publicUrl()
                + "/ehr/default/athena/notifications (hub-signature)");
    var shown = CommandLineTest.run("ehr", "show", "athena", "--db", db);
    assertThat(shown.out())
        .contains(
            "notifications "
                + Careloop.publicUrl()
                + "/ehr/default/athena/notifications (hub-signature, secret from env:ATHENA_HUB_SECRET)")
        .contains("events to work 0");
    var polledOnly =
        CommandLineTest.run(
            "ehr", "connect", "plain", "--fhir-base", "https://ehr.example/fhir", "--db", db);
    assertThat(CommandLineTest.run("ehr", "show", "plain", "--db", db).out())
        .as(polledOnly.err())
        .contains("notifications none taken (polled only)");
    var wrong =
        CommandLineTest.run(
            "ehr",
            "connect",
            "x",
            "--fhir-base",
            "https://ehr.example/fhir",
            "--notify-check",
            "signature",
            "--notify-secret-env",
            "X",
            "--db",
            db);
    assertThat(wrong.code()).isNotZero();
    assertThat(wrong.err())
        .contains("--notify-check 'signature' is not one of header, hub-signature");
    var both =
        CommandLineTest.run(
            "ehr",
            "connect",
            "x",
            "--fhir-base",
            "https://ehr.example/fhir",
            "--notify-secret-env",
            "X",
            "--notify-secret-file",
            "/tmp/x",
            "--db",
            db);
    assertThat(both.err()).contains("give --notify-secret-env or --notify-secret-file, not both");
  }

  @Test
  void anEhrThatDoesNotAnswer_isTriedAgainLater_notDropped() throws Exception {
    var stored = notify("down", notification("event-notification", 1, "CarePlan/cp-down"), SECRET);
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    var now = server.careloop().clock().instant();
    var round =
        server
            .careloop()
            .ehrNotifications()
            .work(server.careloop().ehrPolling().active(Careloop.DEFAULT_PRACTICE, "down"), now);
    assertThat(round.retrying()).isEqualTo(1);
    assertThat(round.worked()).isZero();
    assertThat(pending("down")).isEqualTo(1);
    // Not tried again before its time.
    var soon =
        server
            .careloop()
            .ehrNotifications()
            .work(
                server.careloop().ehrPolling().active(Careloop.DEFAULT_PRACTICE, "down"),
                now.plusSeconds(30));
    assertThat(soon.retrying() + soon.worked()).isZero();
  }
}
