package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.careloop.adapters.jdbc.ReadModel;
import org.careloop.adapters.jdbc.SandboxSender;
import org.careloop.app.CareGapReports;
import org.careloop.app.Person;
import org.careloop.app.Store;
import org.careloop.app.admin.Administration;
import org.careloop.app.engine.Engine;
import org.careloop.app.messaging.ChannelSender;
import org.careloop.app.messaging.Message;
import org.careloop.app.reports.WeeklyCareGapReport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The weekly care-gap report: made once per practice and week on the practice's day from 07:00 in
 * its zone, kept encrypted with every gap's due date and outreach attempts, and announced once to
 * the managers who have an address, with no patient in the email.
 */
class CareGapReportTest {
  static final Instant T0 = DispatcherTest.T0;
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  /** Monday 2026-04-06 in New York at {@code hh:mm}. */
  static Instant monday(int hour, int minute) {
    return LocalDate.parse("2026-04-06").atTime(hour, minute).atZone(NEW_YORK).toInstant();
  }

  static Person person(String username, String role, Optional<String> email) {
    return new Person(
        "us-" + username, "default", username, username, "{noop}x", role, false, email);
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void theReport_isMadeOncePerWeek_keptEncrypted_andAnnouncedOnceToManagers(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine = new Engine(Shipped.protocols());
      DispatcherTest.importRow(store, engine, "MRN1,Ada Park,617-555-0101,,Dr. M,lab,,2026-03-20");
      String plan = Queries.plan("csv:MRN1:lab");
      DispatcherTest.sandboxRunner(store, engine, T0).advance(T0, monday(6, 0), t -> {});
      var admin = new Administration(store);
      admin.savePerson(person("max", "manager", Optional.of("max@riverside.example")), T0);
      admin.savePerson(person("mo", "manager", Optional.empty()), T0);
      admin.savePerson(person("cora", "coordinator", Optional.of("cora@riverside.example")), T0);
      var q = new Queries(db.dataSource());
      var reports = report(db, store, new SandboxSender(java.time.Clock.systemUTC()));

      // The first run makes the latest week's report: before 07:00 on Monday, last week's.
      assertThat(reports.run(monday(6, 59))).isEqualTo(new WeeklyCareGapReport.Run(1, 1));
      assertThat(reports.run(monday(6, 59).plusSeconds(30)))
          .isEqualTo(new WeeklyCareGapReport.Run(0, 0));
      assertThat(reports.run(monday(7, 0))).isEqualTo(new WeeklyCareGapReport.Run(1, 1));
      assertThat(reports.run(monday(18, 0))).isEqualTo(new WeeklyCareGapReport.Run(0, 0));
      var weeks =
          store.inTransaction(tx -> tx.careGapReports("default")).stream()
              .map(r -> r.weekOf() + " " + r.notice())
              .toList();
      assertThat(weeks).containsExactly("2026-04-06 SENT", "2026-03-30 SENT");

      // One notice a report, to the one manager with an address; no patient in it.
      assertThat(
              q.decrypted(
                  "select recipient from sandbox_message where idempotency_key like 'care-gap-report:%'",
                  "sandbox_message.recipient"))
          .containsExactly("max@riverside.example", "max@riverside.example");
      assertThat(
              q.decrypted(
                  "select body from sandbox_message where idempotency_key like 'care-gap-report:%'",
                  "sandbox_message.body"))
          .allMatch(b -> b.contains("https://careloop.example/work/reports/care-gaps/2026-"))
          .noneMatch(b -> b.contains("Ada") || b.contains("Park") || b.contains("617"));

      // Kept encrypted; read back with its due date in the patient's zone and the attempts made.
      assertThat(q.strings("select content from care_gap_report"))
          .allMatch(c -> c.startsWith("enc"))
          .noneMatch(c -> c.contains("Park"));
      var report =
          store
              .inTransaction(tx -> tx.careGapReport("default", LocalDate.parse("2026-04-06")))
              .orElseThrow();
      assertThat(report.gaps())
          .singleElement()
          .satisfies(g -> {
            assertThat(g.planId()).isEqualTo(plan);
            assertThat(g.patient()).isEqualTo("Ada Park");
            assertThat(g.dueDate()).isEqualTo(LocalDate.parse("2026-03-20"));
            assertThat(g.attempts()).isPositive();
            assertThat(g.outcomeUnknown()).isFalse();
          });
      long sent = q.strings("select item_key from outreach_log where plan_id = ?", plan).size();
      assertThat(report.gaps().get(0).attempts()).isEqualTo((int) sent);
      // Another practice's id finds nothing; a second maker of the same week keeps nothing.
      Optional<CareGapReports.CareGapReport> lakeside =
          store.inTransaction(tx -> tx.careGapReport("lakeside", LocalDate.parse("2026-04-06")));
      assertThat(lakeside).isEmpty();
      var empty =
          new CareGapReports.CareGapReport(
              "default", LocalDate.parse("2026-04-06"), monday(9, 0), java.util.List.of());
      boolean keptAgain = store.inTransaction(tx -> tx.saveCareGapReport(empty));
      assertThat(keptAgain).isFalse();
      assertThat(
              store
                  .inTransaction(tx -> tx.careGapReport("default", LocalDate.parse("2026-04-06")))
                  .orElseThrow()
                  .gaps())
          .hasSize(1);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aNotice_isNeverSentTwice_aCrashAfterClaimingLeavesItUnsent_aRefusalIsRecorded(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      new Administration(store)
          .savePerson(person("max", "manager", Optional.of("max@riverside.example")), T0);
      var calls = new AtomicInteger();
      ChannelSender refusing =
          new ChannelSender() {
            @Override
            public Optional<String> send(Store.Tx tx, Message message) {
              calls.incrementAndGet();
              throw new IllegalStateException("SMTP send failed: MessagingException");
            }
          };
      var reports = report(db, store, refusing);
      var week = reports.makeDue("default", monday(8, 0)).orElseThrow();
      assertThat(reports.announce()).isZero();
      assertThat(calls).hasValue(1);
      assertThat(reports.announce()).isZero();
      assertThat(calls).as("a refused notice is not retried on every poll").hasValue(1);
      assertThat(notice(store, week)).isEqualTo("FAILED");

      // A crash after the claim committed and before the mail server was called.
      var next = reports.makeDue("default", monday(8, 0).plus(Duration.ofDays(7))).orElseThrow();
      store.inTransaction(tx -> {
        tx.markReportNotice("default", next, CareGapReports.Notice.SENDING);
        return null;
      });
      assertThat(reports.announce()).isZero();
      assertThat(calls).hasValue(1);
      assertThat(notice(store, next)).isEqualTo("SENDING");
    }
  }

  static String notice(Store store, LocalDate week) {
    return store.inTransaction(tx -> tx.careGapReports("default")).stream()
        .filter(r -> r.weekOf().equals(week))
        .findFirst()
        .orElseThrow()
        .notice();
  }

  static WeeklyCareGapReport report(
      org.careloop.adapters.jdbc.Database db, Store store, ChannelSender email) {
    return new WeeklyCareGapReport(
        store,
        new ReadModel(db.dataSource(), TestDatabases.CIPHER),
        Shipped.protocols(),
        email,
        "https://careloop.example");
  }
}
