package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.careloop.adapters.fhir.FhirReader;
import org.careloop.adapters.jdbc.Database;
import org.careloop.adapters.jdbc.JdbcStore;
import org.careloop.adapters.jdbc.SandboxSender;
import org.careloop.app.engine.Engine;
import org.careloop.app.engine.Runner;
import org.careloop.app.intake.Importer;
import org.careloop.app.messaging.Dispatcher;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A real Synthea bundle through the whole engine, 90 days on a simulated clock. */
class SyntheaFollowUpTest {
  static final Path DATA = Path.of(System.getProperty("careloop.shared.data", "../../shared/data"));
  // Monday 2026-03-02 10:00 in Boston.
  static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");

  static String milan() throws Exception {
    return Files.readString(
        DATA.resolve("fhir/synthea/Milan_Beatty_e78d0ed2-1b54-4c30-90ae-f7405af1e402.json"));
  }

  record Fixture(Database db, JdbcStore store, Importer importer, Runner runner, Instant[] clock) {}

  static Fixture fixture(String kind) {
    var db = TestDatabases.open(kind);
    var store = TestDatabases.storeWithPractice(db);
    var engine = new Engine(Shipped.protocols());
    Instant[] clock = {T0};
    var sandbox = new SandboxSender(java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC));
    var dispatcher =
        new Dispatcher(
            Map.of("SMS", sandbox, "EMAIL", sandbox, "EHR_NOTE", sandbox, "EHR_INBOX", sandbox),
            new org.careloop.app.messaging.Deliveries(engine),
            new org.careloop.app.messaging.Links("http://127.0.0.1:8080"));
    return new Fixture(
        db,
        store,
        new Importer(store, engine, Shipped.DEFAULT),
        new Runner(store, engine, dispatcher),
        clock);
  }

  static final FhirReader READER = new FhirReader("default", ZoneId.of("America/New_York"), "US");

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void syntheaBundle_importsActivePlans_andFollowsThemUpFor90Days(String kind) throws Exception {
    var f = fixture(kind);
    try (var db = f.db()) {
      var result = f.importer().importBatch(READER.read(milan(), "Milan_Beatty.json"), T0);
      // Milan Beatty has 7 care plans: 5 active are followed up, 2 completed are not.
      assertThat(result.plansCreated()).isEqualTo(5);
      assertThat(result.notes()).anyMatch(n -> n.contains("not active at the source"));
      // This practice turned the frequency caps up; Milan's five plans, started by one import,
      // still share one intake and one check-in cadence. The default caps across them are the
      // next test.
      f.store().setFrequencyCaps("default", 10, 50);

      // The sandbox stamps every message with T0 here: its bodies are erased once the clock
      // passes T0 + 30 days, so read them before.
      f.runner().advance(T0, T0.plus(Duration.ofDays(25)), t -> {});
      var q0 = new Queries(db.dataSource());
      var bodies =
          q0.decrypted(
              "select body from sandbox_message where channel = 'SMS'", "sandbox_message.body");
      assertThat(bodies)
          .hasSizeGreaterThanOrEqualTo(4)
          .allMatch(b -> b.startsWith("Hi Milan"))
          .noneMatch(b ->
              b.toLowerCase().contains("depress")
                  || b.toLowerCase().contains("psychiatr")
                  || b.toLowerCase().contains("diabet"));
      f.runner().advance(T0.plus(Duration.ofDays(25)), T0.plus(Duration.ofDays(90)), t -> {});

      var q = new Queries(db.dataSource());
      String plan =
          Importer.planId(
              "default",
              "fhir:CarePlan/a99acb48-aa81-459c-8550-7114f22fe4ac"); // mental health plan, 1
      // activity
      var rows = q.effects(plan, T0);
      // Its intake and first check-ins went out with the plan of the import due first, naming
      // this one's step too; by day 42 that one is past due, and this plan leads the cadence.
      assertThat(rows)
          .containsExactly(
              "board @0 Plan started; next step follow-up visit due 2026-04-13",
              "outbox checkin:activity-0:d42:SMS @42",
              "outbox gap:activity-0:t1:SMS @43",
              "task task:gap:activity-0:t2 @50",
              "outbox provider:gap:activity-0:t3 @57");
      assertThat(q.timeline(plan))
          .anyMatch(t -> t.contains("tier 4"))
          .anyMatch(t -> t.contains("weekly care-gap report"));
      assertThat(q.timeline(plan))
          .anyMatch(t -> t.startsWith("intake: one message for the steps started together"))
          .anyMatch(t ->
              t.startsWith("checkin:activity-0:d7: one message for the steps started together"));
      assertThat(q.timeline(plan)).anyMatch(t -> t.contains("no EMAIL on file, sent by SMS"));
      // Every message was delivered to the sandbox exactly once, to the normalised number.
      assertThat(q.count("select count(*) from outbox where status <> 'SENT'")).isZero();
      assertThat(q.count("select count(*) from sandbox_message"))
          .isEqualTo(q.count("select count(*) from outbox"));
      assertThat(
              q
                  .decrypted(
                      "select recipient from sandbox_message where channel = 'SMS'",
                      "sandbox_message.recipient")
                  .stream()
                  .distinct()
                  .toList())
          .containsExactly("+15556115414");
      // 30 days on, the bodies are gone and the metadata stays.
      assertThat(q.count("select count(*) from sandbox_message where body is not null")).isZero();
      assertThat(q.count("select count(*) from sandbox_message where body_purged_at is null"))
          .isZero();
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void defaultCaps_acrossMilansFivePlans_holdEveryDayAndWeek_andSayWhy(String kind)
      throws Exception {
    var f = fixture(kind);
    try (var db = f.db()) {
      f.importer().importBatch(READER.read(milan(), "Milan_Beatty.json"), T0);
      f.runner().advance(T0, T0.plus(Duration.ofDays(90)), t -> {});
      var q = new Queries(db.dataSource());
      var sent = q.instants("select sent_at from outreach_log order by sent_at");
      assertThat(sent).hasSizeGreaterThan(10);
      for (var t : sent) {
        assertThat(
                sent.stream().filter(o -> o.isAfter(t.minus(Duration.ofDays(1))) && !o.isAfter(t)))
            .as("outreaches in the 24 h up to %s", t)
            .hasSize(1);
        assertThat(
                sent.stream()
                    .filter(o -> o.isAfter(t.minus(Duration.ofDays(7))) && !o.isAfter(t))
                    .count())
            .as("outreaches in the 7 days up to %s", t)
            .isLessThanOrEqualTo(3);
      }
      // One intake for the five plans of one import, and the timeline says why the rest waited.
      assertThat(q.count("select count(*) from outbox where idempotency_key like '%:intake:%'"))
          .isEqualTo(1);
      assertThat(q.strings("select detail from timeline_entry where kind = 'deferred'"))
          .anyMatch(t -> t.contains("frequency cap (1 a day)"))
          .anyMatch(t -> t.contains("frequency cap (3 a week)"))
          .noneMatch(t -> t.contains("quiet hours"));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void reimportingTheSameBundle_changesNothing(String kind) throws Exception {
    var f = fixture(kind);
    try (var db = f.db()) {
      f.importer().importBatch(READER.read(milan(), "Milan_Beatty.json"), T0);
      var q = new Queries(db.dataSource());
      long outbox = q.count("select count(*) from outbox"),
          timeline = q.count("select count(*) from timeline_entry");
      var again =
          f.importer()
              .importBatch(READER.read(milan(), "Milan_Beatty.json"), T0.plus(Duration.ofHours(1)));
      assertThat(again.plansCreated()).isZero();
      assertThat(again.plansUnchanged()).isEqualTo(5);
      assertThat(q.count("select count(*) from plan")).isEqualTo(5);
      assertThat(q.count("select count(*) from outbox")).isEqualTo(outbox);
      assertThat(q.count("select count(*) from timeline_entry")).isEqualTo(timeline);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aRawDumpOfTheDatabase_showsNoPlaintextContactPointsNamesBodiesOrDiagnoses(String kind)
      throws Exception {
    var f = fixture(kind);
    try (var db = f.db()) {
      f.importer().importBatch(READER.read(milan(), "Milan_Beatty.json"), T0);
      f.runner().advance(T0, T0.plus(Duration.ofDays(90)), t -> {});
      var dump = new StringBuilder();
      try (var c = db.dataSource().getConnection()) {
        for (var table :
            List.of(
                "patient",
                "plan",
                "timeline_entry",
                "outbox",
                "sandbox_message",
                "task",
                "board_entry",
                "appointment_link",
                "order_link",
                "practice",
                "outreach_log",
                "contact_preference",
                "inbound_message",
                "tracked_link")) {
          try (var rs = c.createStatement().executeQuery("select * from " + table)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              for (int i = 1; i <= columns; i++) dump.append(rs.getString(i)).append('|');
              dump.append('\n');
            }
          }
        }
        c.commit();
      }
      assertThat(dump.length()).isGreaterThan(10_000);
      assertThat(dump.toString())
          .doesNotContain("5556115414", "555-611-5414", "Milan", "Beatty", "Hi Milan", "Reply STOP")
          .doesNotContainIgnoringCase("psychiatric")
          .doesNotContainIgnoringCase("depress")
          .doesNotContainIgnoringCase("diabet")
          .contains("enc1:");
    }
  }
}
