package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.careloop.adapters.csv.WeeklyExportReader;
import org.careloop.adapters.jdbc.JdbcMetricFacts;
import org.careloop.adapters.jdbc.JdbcStore;
import org.careloop.adapters.jdbc.ProtocolVersions;
import org.careloop.adapters.protocol.ProtocolLibrary;
import org.careloop.app.MetricFacts.Facts;
import org.careloop.app.MetricFacts.MessageFact;
import org.careloop.app.MetricFacts.PlanFact;
import org.careloop.app.Practice;
import org.careloop.app.SlotSource;
import org.careloop.app.engine.Engine;
import org.careloop.app.intake.Importer;
import org.careloop.app.messaging.Replies;
import org.careloop.app.reports.Dashboard;
import org.careloop.app.reports.Period;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dashboard's facts as stored by the real engine, on H2 and PostgreSQL: two weeks of presented
 * dental plans played on the simulated clock, read back per practice. Another practice's plan with
 * the same ids, messages and cases never shows in this practice's facts, and the figures count what
 * happened.
 */
class DashboardFactsTest {
  static final Instant T0 = DentalProgramTest.T0;
  static final ZoneId NY = ZoneId.of("America/New_York");
  static final String ROWS =
      "P1,Ava,Stone,617-555-0111,ava@example.org,TP-1,2026-03-02,Implant #19; crown,\"$4,250.00\",presented\n"
          + "P2,Ben,Ortiz,617-555-0112,ben@example.org,TP-2,2026-03-02,Crown #3,1200,pending\n"
          + "P3,Cai,Wong,617-555-0113,cai@example.org,TP-3,2026-03-02,Bridge,2000,presented\n"
          + "P5,Eli,Ross,617-555-0115,eli@example.org,TP-5,2026-03-02,Veneers,1800,presented\n"
          + "P6,Fay,Lund,617-555-0116,fay@example.org,TP-6,2026-03-02,Crowns,2500,presented\n";

  static void importCsv(JdbcStore store, Engine engine, String practice, String rows, Instant now) {
    new Importer(store, engine, "treatment-plan-follow-up")
        .importBatch(
            new WeeklyExportReader(practice, NY, "US")
                .read(DentalProgramTest.HEADER + rows, practice + ".csv", now),
            now);
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void eachPracticesFacts_areItsOwn_andTheFiguresCountWhatHappened(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      store.upsertPractice(
          new Practice("lakeside", "Lakeside Dental", NY, Optional.empty(), Optional.empty()));
      var engine =
          new Engine(ProtocolLibrary.load(new ProtocolVersions(store), Optional.empty(), T0));
      importCsv(store, engine, "default", ROWS, T0);
      // Lakeside's export has the same patient and plan ids, and a higher value.
      importCsv(
          store,
          engine,
          "lakeside",
          "P1,Lia,Moss,617-555-0199,,TP-1,2026-03-02,Bridge,9000,presented\n",
          T0);
      var runner = DispatcherTest.sandboxRunner(store, engine, T0);
      Instant bookAt = T0.plus(Duration.ofDays(1)).plusSeconds(4 * 3600);
      runner.advance(T0, bookAt.minusSeconds(3600), t -> {});
      new Replies(store, engine, "default", SlotSource.NONE)
          .smsReceived("+16175550112", "BOOK", "SM-ben", bookAt);
      runner.advance(bookAt, T0.plus(Duration.ofDays(5)), t -> {});
      importCsv(
          store,
          engine,
          "default",
          "P5,Eli,Ross,617-555-0115,eli@example.org,TP-5,2026-03-02,Veneers,1800,scheduled\n",
          T0.plus(Duration.ofDays(5)));
      runner.advance(T0.plus(Duration.ofDays(5)), T0.plus(Duration.ofDays(13)), t -> {});

      var source = new JdbcMetricFacts(db.dataSource(), TestDatabases.CIPHER);
      Instant since = T0.minus(Duration.ofDays(14));
      Instant until = T0.plus(Duration.ofDays(14));
      Facts facts = source.facts("default", since, until);
      assertThat(facts.zone()).isEqualTo(NY);
      assertThat(facts.appointmentValueCents()).isEmpty();
      assertThat(facts.plans()).hasSize(5).allMatch(p -> p.state().practiceId().equals("default"));
      assertThat(facts.plans().stream().map(PlanFact::patient))
          .containsExactlyInAnyOrder("Ava Stone", "Ben Ortiz", "Cai Wong", "Eli Ross", "Fay Lund");
      assertThat(facts.plans().stream().map(PlanFact::ref))
          .containsExactlyInAnyOrder("P1", "P2", "P3", "P5", "P6");
      var planIds = facts.plans().stream().map(p -> p.state().planId()).toList();
      // Day-1 texts to all five; day-3 emails to all but Ben (waiting to be booked after his
      // BOOK); day-7 texts to all but Ben and Eli (accepted on day 5).
      assertThat(facts.messages())
          .allMatch(m -> planIds.contains(m.planId()))
          .extracting(MessageFact::channel)
          .containsOnly("sms", "email");
      assertThat(facts.messages().stream().map(m -> m.channel() + " " + m.template()).sorted())
          .containsExactly(
              "email DENTAL_DETAILS",
              "email DENTAL_DETAILS",
              "email DENTAL_DETAILS",
              "email DENTAL_DETAILS",
              "sms DENTAL_SPOT_SAVED",
              "sms DENTAL_SPOT_SAVED",
              "sms DENTAL_SPOT_SAVED",
              "sms DENTAL_TREATMENT_WAITING",
              "sms DENTAL_TREATMENT_WAITING",
              "sms DENTAL_TREATMENT_WAITING",
              "sms DENTAL_TREATMENT_WAITING",
              "sms DENTAL_TREATMENT_WAITING");
      assertThat(facts.replies())
          .singleElement()
          .satisfies(r -> assertThat(r.classified()).isEqualTo("BOOK"))
          .satisfies(r -> assertThat(r.channel()).isEqualTo("sms"));
      assertThat(facts.tasks()).allMatch(t -> planIds.contains(t.planId())).isNotEmpty();

      var lakeside = source.facts("lakeside", since, until);
      assertThat(lakeside.plans())
          .singleElement()
          .satisfies(p -> assertThat(p.patient()).isEqualTo("Lia Moss"));
      assertThat(lakeside.messages())
          .allMatch(m -> m.planId().equals(lakeside.plans().get(0).state().planId()));
      assertThat(lakeside.replies()).isEmpty();

      var period = new Period(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 14), NY);
      var view = Dashboard.of(facts, period);
      // Eli's plan, accepted after the day-1 text and the day-3 email: one of five, $1,800.
      assertThat(view.figure("acceptance-rate").now().counted()).isEqualTo(1);
      assertThat(view.figure("acceptance-rate").now().of()).isEqualTo(5);
      assertThat(view.figure("revenue-recovered").now().sum()).isEqualTo(180_000);
      // Open tracking is off: no email counts as opened.
      var opens = view.figure("touchpoint-opens").now();
      assertThat(opens.of()).isEqualTo(4);
      assertThat(opens.counted()).isZero();
      // Eli accepted after the day-3 email, with no message after it.
      var answered = new java.util.TreeMap<String, Integer>();
      view.figure("touchpoint-conversion")
          .now()
          .byGroup()
          .forEach((g, v) -> answered.put(g, v.counted()));
      assertThat(answered)
          .containsExactly(
              Map.entry("dental details (email)", 1),
              Map.entry("dental spot saved (sms)", 0),
              Map.entry("dental treatment waiting (sms)", 0));
      assertThat(view.funnel().get(0)).isEqualTo(new Dashboard.Stage("presented", 5));
      assertThat(view.funnel().get(3)).isEqualTo(new Dashboard.Stage("completed", 0));

      // Eli's treatment is done: the next read has it, though the plans read before are kept.
      importCsv(
          store,
          engine,
          "default",
          "P5,Eli,Ross,617-555-0115,eli@example.org,TP-5,2026-03-02,Veneers,1800,completed\n",
          T0.plus(Duration.ofDays(13)));
      var again = Dashboard.of(source.facts("default", since, until), period);
      assertThat(again.funnel().get(3)).isEqualTo(new Dashboard.Stage("completed", 1));
      assertThat(source.facts("default", since, until).plans()).hasSize(5);
    }
  }
}
