package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.careloop.adapters.csv.WeeklyExportReader;
import org.careloop.app.Practice;
import org.careloop.app.intake.Importer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One practice's feed never reaches another practice's patients: the same EHR ids in two practices
 * are two patients and two plans, each found only through its own practice.
 */
class TenancyTest {
  static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");
  static final ZoneId NY = ZoneId.of("America/New_York");
  static final String HEADER =
      "patient_id,name,phone,email,provider,follow_up_type,preferred_window,due_date\n";

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void anotherPracticesFeed_withTheSameEhrIds_neverTouchesThisPracticesPatientsOrPlans(String kind)
      throws Exception {
    var f = SyntheaFollowUpTest.fixture(kind);
    try (var db = f.db()) {
      f.store()
          .upsertPractice(
              new Practice("lakeside", "Lakeside Dental", NY, Optional.empty(), Optional.empty()));
      var lakeside = new WeeklyExportReader("lakeside", NY, "US");
      var riverside = new WeeklyExportReader("default", NY, "US");
      var own =
          f.importer()
              .importBatch(
                  lakeside.read(
                      HEADER
                          + "MRN1,Ana Diaz,617-555-0101,ana@example.com,Dr. Ruiz,lab,,2026-04-01\n",
                      "lakeside.csv",
                      NOW),
                  NOW);
      assertThat(own.plansCreated()).isEqualTo(1);

      // The other practice sends the same patient id and plan with its own name and numbers.
      var attack =
          f.importer()
              .importBatch(
                  riverside.read(
                      HEADER
                          + "MRN1,Eve Mallory,617-555-0199,eve@example.com,Dr. Evil,lab,,2026-05-01\n",
                      "riverside.csv",
                      NOW),
                  NOW);
      // Its answer is about itself: a new plan of its own, nothing "updated" that tells it the
      // other practice has this patient.
      assertThat(attack.plansCreated()).isEqualTo(1);
      assertThat(attack.plansUpdated()).isZero();
      assertThat(attack.plansUnchanged()).isZero();

      var q = new Queries(db.dataSource());
      assertThat(q.count("select count(*) from patient")).isEqualTo(2);
      assertThat(q.count("select count(*) from plan")).isEqualTo(2);
      String lakesidePatient = Importer.patientId("lakeside", "csv:patient:MRN1");
      var stored = f.store().inTransaction(tx -> tx.patient(lakesidePatient)).orElseThrow();
      assertThat(stored.practiceId()).isEqualTo("lakeside");
      assertThat(stored.firstName()).isEqualTo("Ana");
      assertThat(stored.mobile()).contains("+16175550101");
      assertThat(stored.email()).contains("ana@example.com");
      String lakesidePlan = Importer.planId("lakeside", "csv:MRN1:lab");
      assertThat(
              q.strings(
                  "select pt.practice_id from plan p join patient pt on pt.id = p.patient_id where p.id = ?",
                  lakesidePlan))
          .containsExactly("lakeside");
      // Each practice finds only its own.
      assertThat(
              f.store()
                  .<Optional<String>>inTransaction(
                      tx -> tx.planIdBySource("lakeside", "csv:MRN1:lab")))
          .contains(lakesidePlan);
      assertThat(
              f.store()
                  .<Optional<String>>inTransaction(
                      tx -> tx.planIdBySource("default", "csv:MRN1:lab")))
          .contains(Importer.planId("default", "csv:MRN1:lab"))
          .isNotEqualTo(Optional.of(lakesidePlan));
      assertThat(
              f.store()
                  .<Optional<String>>inTransaction(
                      tx -> tx.patientIdBySource("elsewhere", "csv:patient:MRN1")))
          .isEmpty();

      // The other practice's appointment news for "its" plan reaches its own plan only.
      var miss =
          new org.careloop.app.intake.ImportBatch.AppointmentUpdate(
              "fhir:Appointment/a1",
              "csv:patient:MRN1",
              Optional.of("csv:MRN1:lab"),
              Optional.empty(),
              "cancelled",
              Optional.of(NOW.plusSeconds(86_400)),
              "riverside-appointments.json");
      var news =
          f.importer()
              .importBatch(
                  new org.careloop.app.intake.ImportBatch(
                      "riverside-appointments.json",
                      "default",
                      java.util.List.of(),
                      java.util.List.of(),
                      java.util.List.of(miss),
                      java.util.List.of()),
                  NOW);
      assertThat(news.appointmentEvents()).isEqualTo(1);
      assertThat(q.strings("select plan_id from appointment_link"))
          .containsExactly(Importer.planId("default", "csv:MRN1:lab"));
      assertThat(q.timeline(lakesidePlan)).noneMatch(t -> t.contains("cancel"));
      assertThat(q.strings("select status from plan where id = ?", lakesidePlan))
          .containsExactly("ACTIVE");
      assertThat(q.count("select count(*) from appointment_link where practice_id = 'lakeside'"))
          .isZero();
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aDatabaseFromBeforeTenancyKeys_isMigrated_keepingItsPatientsPlansAndAppointments(String kind)
      throws Exception {
    // A database at schema 8 (source keys unique across practices, in plain text), as an earlier
    // careloop left it.
    String url = TestDatabases.newUrl(kind, "old");
    try (var ds = new com.zaxxer.hikari.HikariDataSource()) {
      ds.setJdbcUrl(url);
      if (kind.equals("h2")) ds.setUsername("sa");
      Flyway.configure()
          .dataSource(ds)
          .locations("classpath:db/migration")
          .target("8")
          .load()
          .migrate();
      try (var c = ds.getConnection();
          var st = c.createStatement()) {
        var cipher = TestDatabases.CIPHER;
        st.execute(
            "insert into practice (id, name, time_zone) values ('default', 'Riverside', 'America/New_York')");
        st.execute(
            "insert into patient (id, practice_id, source_key, first_name, last_name, time_zone, created_at, updated_at)"
                + " values ('pt-old', 'default', 'csv:patient:MRN1', '"
                + cipher.encrypt("patient.first_name", "Ana")
                + "', '"
                + cipher.encrypt("patient.last_name", "Diaz")
                + "', 'America/New_York', current_timestamp, current_timestamp)");
        st.execute(
            "insert into plan (id, practice_id, patient_id, source_key, provider, protocol_id, protocol_version, status, state, version, created_at, updated_at)"
                + " values ('pl-old', 'default', 'pt-old', 'csv:MRN1:lab', 'Dr. Ruiz', 'treatment-plan-follow-up', 1, 'ACTIVE', 'x', 0, current_timestamp, current_timestamp)");
        st.execute(
            "insert into appointment_ref (source_key, plan_id, milestone_key, last_status) values ('fhir:Appointment/a1', 'pl-old', 'lab', 'booked')");
        if (!c.getAutoCommit()) c.commit();
      }
    }
    try (var db = org.careloop.adapters.jdbc.Database.open(url, 2, TestDatabases.CIPHER)) {
      var store = new org.careloop.adapters.jdbc.JdbcStore(db.dataSource(), TestDatabases.CIPHER);
      assertThat(
              store.<Optional<String>>inTransaction(
                  tx -> tx.patientIdBySource("default", "csv:patient:MRN1")))
          .contains("pt-old");
      assertThat(
              store.<Optional<String>>inTransaction(
                  tx -> tx.planIdBySource("default", "csv:MRN1:lab")))
          .contains("pl-old");
      assertThat(
              store.<Optional<org.careloop.app.AppointmentRef>>inTransaction(
                  tx -> tx.appointment("default", "fhir:Appointment/a1")))
          .hasValueSatisfying(a -> assertThat(a.planId()).isEqualTo("pl-old"));
      assertThat(store.inTransaction(tx -> tx.patient("pt-old")).orElseThrow().sourceKey())
          .isEqualTo("csv:patient:MRN1");
      var q = new Queries(db.dataSource());
      // No EHR identifier or provider name is left in plain text.
      assertThat(q.strings("select source_key from patient union all select source_key from plan"))
          .allMatch(v -> v.startsWith("enc1:"));
      assertThat(q.decrypted("select provider from plan", "plan.provider"))
          .containsExactly("Dr. Ruiz");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aReplyToOnePracticesNumber_isHandledByThatPractice_evenWhenBothHaveTheNumber(String kind)
      throws Exception {
    var f = SyntheaFollowUpTest.fixture(kind);
    try (var db = f.db()) {
      String lakesideNumber = "+13125550100";
      f.store()
          .upsertPractice(
              new Practice(
                  "lakeside",
                  "Lakeside Dental",
                  NY,
                  Optional.of("+13125550199"),
                  Optional.empty(),
                  Optional.of(lakesideNumber),
                  Optional.empty(),
                  false,
                  Optional.empty()));
      // One family phone: a patient at each practice.
      for (var practice : java.util.List.of("default", "lakeside"))
        f.importer()
            .importBatch(
                new WeeklyExportReader(practice, NY, "US")
                    .read(
                        HEADER
                            + "M"
                            + practice
                            + ",Ana Diaz,617-555-0101,,Dr. Ruiz,lab,,2026-04-01\n",
                        practice + ".csv",
                        NOW),
                NOW);
      var replies =
          new org.careloop.app.messaging.Replies(
              f.store(),
              new org.careloop.app.engine.Engine(Shipped.protocols()),
              "default",
              org.careloop.app.SlotSource.NONE);
      var help =
          replies.smsReceived(
              "+16175550101", Optional.of(lakesideNumber), Optional.empty(), "HELP", "SM1", NOW);
      assertThat(help.answer())
          .hasValueSatisfying(a -> assertThat(a).startsWith("Lakeside Dental"));
      var worse =
          replies.smsReceived(
              "+16175550101",
              Optional.of(lakesideNumber),
              Optional.empty(),
              "my gums are bleeding",
              "SM2",
              NOW);
      String lakesidePlan = Importer.planId("lakeside", "csv:Mlakeside:lab");
      assertThat(worse.planId()).contains(lakesidePlan);
      var q = new Queries(db.dataSource());
      assertThat(
              q.strings(
                  "select distinct plan_id from task where lane = 'CLINICAL_URGENT' or priority = 'URGENT'"))
          .containsExactly(lakesidePlan);
      // The same number writing to careloop's default sender is the other practice's patient.
      var other =
          replies.smsReceived(
              "+16175550101", Optional.of("+16175550000"), Optional.empty(), "HELP", "SM3", NOW);
      assertThat(other.answer())
          .hasValueSatisfying(a -> assertThat(a).startsWith("Riverside Family Medicine"));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void theOutboxAndSandboxListings_showOnePracticesMessages_selectedInSql(String kind) {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      store.upsertPractice(
          new Practice("lakeside", "Lakeside Dental", NY, Optional.empty(), Optional.empty()));
      var engine = new org.careloop.app.engine.Engine(Shipped.protocols());
      DispatcherTest.importRow(store, engine, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-04-01");
      DispatcherTest.sandboxRunner(store, engine, DispatcherTest.T0).runDue(DispatcherTest.T0);
      var read = new org.careloop.adapters.jdbc.ReadModel(db.dataSource(), TestDatabases.CIPHER);
      assertThat(read.outbox(Optional.of("default"))).isNotEmpty();
      assertThat(read.outbox(Optional.of("default"))).hasSameSizeAs(read.outbox());
      assertThat(read.outbox(Optional.of("lakeside"))).isEmpty();
      assertThat(read.sandbox(200, Optional.of("default"))).isNotEmpty();
      assertThat(read.sandbox(200, Optional.of("lakeside"))).isEmpty();
    }
  }
}
