package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import org.careloop.adapters.jdbc.AuditLog;
import org.careloop.adapters.jdbc.Database;
import org.careloop.app.AuditTrail;
import org.careloop.app.Practice;
import org.careloop.app.admin.Administration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The audit trail: per practice, filtered and paged; a hash chain whose breaks are named. */
class AuditLogTest {
  static final Instant T0 = Instant.parse("2026-11-02T15:00:00Z");
  static final ZoneId NY = ZoneId.of("America/New_York");

  static AuditTrail.Query query(String practice) {
    return new AuditTrail.Query(
        Optional.of(practice),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        NY);
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void eventsAreListedPerPractice_byPersonPatientAndDate_aPageAtATime(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      store.upsertPractice(
          new Practice("lakeside", "Lakeside Dental", NY, Optional.empty(), Optional.empty()));
      DispatcherTest.importRow(store, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-12-01");
      var q = new Queries(db.dataSource());
      String plan = q.strings("select id from plan").get(0);
      String patient = q.strings("select patient_id from plan").get(0);
      var admin = new Administration(store);
      for (int day = 0; day < 60; day++)
        admin.audit(
            "cora",
            Optional.of("default"),
            "case.view",
            "task " + day,
            T0.plus(Duration.ofDays(day)));
      admin.audit("ada", Optional.of("default"), "plan.view", "plan " + plan, T0);
      // A command line names no practice; the plan it viewed does.
      admin.audit("cli:ops", Optional.empty(), "plan.view", "plan " + plan, T0);
      admin.audit("lena", Optional.of("lakeside"), "case.view", "task 1", T0);
      // Lakeside asking about Riverside's plan gets no patient (and keeps its own practice).
      admin.audit("lena", Optional.of("lakeside"), "plan.view", "plan " + plan, T0);

      var log = new AuditLog(db.dataSource());
      var first = log.page(query("default"), 1, 25);
      assertThat(first.total()).isEqualTo(62);
      assertThat(first.pages()).isEqualTo(3);
      assertThat(first.events()).hasSize(25);
      assertThat(first.events().get(0).seq()).isGreaterThan(first.events().get(24).seq());
      assertThat(log.page(query("default"), 3, 25).events()).hasSize(12);
      assertThat(log.page(query("lakeside"), 1, 25).events())
          .extracting(e -> e.actor())
          .containsOnly("lena");

      var byPatient =
          log.page(
              new AuditTrail.Query(
                  Optional.of("default"),
                  Optional.empty(),
                  Optional.of(patient),
                  Optional.empty(),
                  Optional.empty(),
                  NY),
              1,
              25);
      assertThat(byPatient.events())
          .extracting(e -> e.actor())
          .containsExactlyInAnyOrder("ada", "cli:ops");
      assertThat(log.page(query("lakeside"), 1, 25).events())
          .allSatisfy(e -> assertThat(e.patientId()).isEmpty());

      var byPersonAndDates =
          log.page(
              new AuditTrail.Query(
                  Optional.of("default"),
                  Optional.of("cora"),
                  Optional.empty(),
                  Optional.of(LocalDate.parse("2026-11-10")),
                  Optional.of(LocalDate.parse("2026-11-12")),
                  NY),
              1,
              25);
      assertThat(byPersonAndDates.events())
          .extracting(e -> e.subject())
          .containsExactly("task 10", "task 9", "task 8");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void verify_namesTheFirstChangedRemovedOrCutEvent(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var admin = new Administration(store);
      for (int i = 1; i <= 5; i++)
        admin.audit(
            "cora",
            Optional.of("default"),
            "case.view",
            "task " + i,
            T0.plusNanos(123_456_789L * i));
      var log = new AuditLog(db.dataSource());
      assertThat(log.verify()).isEqualTo(new AuditTrail.Verification(5, Optional.empty()));
      var q = new Queries(db.dataSource());

      q.update("update audit_event set detail = 'nothing to see' where seq = 2");
      assertThat(log.verify().firstBroken())
          .contains("event 2 was changed (its hash does not match its content)");
      q.update("update audit_event set detail = null where seq = 2");
      assertThat(log.verify().firstBroken()).isEmpty();

      q.update("delete from audit_event where seq = 3");
      assertThat(log.verify().firstBroken()).contains("event(s) 3 are missing (removed)");
    }
    try (var db = TestDatabases.open(kind)) {
      var admin = new Administration(TestDatabases.storeWithPractice(db));
      for (int i = 1; i <= 3; i++)
        admin.audit("cora", Optional.of("default"), "case.view", "task " + i, T0);
      new Queries(db.dataSource()).update("delete from audit_event where seq = 3");
      assertThat(new AuditLog(db.dataSource()).verify().firstBroken())
          .contains(
              "the chain's head names event 3 but the last event is 2 (events removed from the end)");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void eventsWrittenBeforeTheChain_areChainedInTheirOrder(String kind) throws Exception {
    String url = TestDatabases.newUrl(kind, "audit");
    try (var ds = new com.zaxxer.hikari.HikariDataSource()) {
      ds.setJdbcUrl(url);
      if (kind.equals("h2")) ds.setUsername("sa");
      Database.migrateTo(ds, TestDatabases.CIPHER, "10");
      try (var c = ds.getConnection();
          var st = c.createStatement()) {
        for (int i = 1; i <= 3; i++)
          st.execute(
              "insert into audit_event (at, actor, practice_id, action, subject) values"
                  + " (timestamp with time zone '2026-11-0"
                  + i
                  + " 10:00:00.123456+00', 'max', 'default', 'audit.view', 'page "
                  + i
                  + "')");
      }
    }
    try (var db = Database.open(url, 2, TestDatabases.CIPHER)) {
      var log = new AuditLog(db.dataSource());
      assertThat(log.verify()).isEqualTo(new AuditTrail.Verification(3, Optional.empty()));
      new Administration(TestDatabases.storeWithPractice(db))
          .audit("max", Optional.of("default"), "audit.view", "page 4", T0);
      assertThat(log.verify()).isEqualTo(new AuditTrail.Verification(4, Optional.empty()));
      assertThat(log.page(query("default"), 1, 10).events())
          .extracting(e -> e.subject())
          .containsExactly("page 4", "page 3", "page 2", "page 1");
    }
  }
}
