package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careloop.adapters.PlanAssert.assertThatPlan;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.careloop.adapters.csv.WeeklyExportReader;
import org.careloop.adapters.jdbc.JdbcStore;
import org.careloop.adapters.jdbc.ProtocolVersions;
import org.careloop.adapters.protocol.ProtocolLibrary;
import org.careloop.app.SlotSource;
import org.careloop.app.admin.Administration;
import org.careloop.app.engine.Engine;
import org.careloop.app.intake.ImportResult;
import org.careloop.app.intake.Importer;
import org.careloop.app.messaging.Replies;
import org.careloop.core.Channel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dental unaccepted-treatment program, end to end on the simulated clock, from the practice
 * system's export of presented treatment plans: the threshold, day 1/3/7 messages, the financing
 * section only for larger plans with consent, the day-12 call for high-value plans, a booking reply
 * that re-engages the patient, and the outcomes accepted, declined and expired.
 */
class DentalProgramTest {
  /** Monday 2026-03-02, 10:00 in New York. */
  static final Instant T0 = BadInputTest.NOW;

  static final String HEADER =
      "patient_id,first_name,last_name,phone,email,plan_id,presented_date,procedures,total_value,status\n";

  static ImportResult importCsv(JdbcStore store, Engine engine, String rows, Instant now) {
    var reader = new WeeklyExportReader("default", ZoneId.of("America/New_York"), "US");
    return new Importer(store, engine, "treatment-plan-follow-up")
        .importBatch(reader.read(HEADER + rows, "presented.csv", now), now);
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aLateExport_catchesUpWithTheOneTextThatMattersNow_andTheStaffCallAlwaysHappens(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine =
          new Engine(ProtocolLibrary.load(new ProtocolVersions(store), Optional.empty(), T0));
      // A $3,650 plan presented 16 days before the export that brings it arrives.
      var result =
          importCsv(
              store,
              engine,
              "P7,Gus,Hale,617-555-0117,,TP-7,2026-02-14,Implant #30,\"$3,650.00\",presented\n",
              T0);
      assertThat(result.plansCreated()).isEqualTo(1);
      DispatcherTest.sandboxRunner(store, engine, T0).runDue(T0);
      var q = new Queries(db.dataSource());
      // Day 1, day 3 and day 7 all passed before careloop knew: only the latest text goes, and
      // the staff call for a plan above $3,000 (day 12) is a task now.
      assertThat(q.strings("select template from outbox where kind = 'MESSAGE' order by id"))
          .containsExactly("DENTAL_SPOT_SAVED");
      assertThat(q.strings("select title from task"))
          .containsExactly("High-value treatment not accepted: call the patient");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void presentedPlans_getTheirBranch_untilAcceptedDeclinedOrExpired(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine =
          new Engine(ProtocolLibrary.load(new ProtocolVersions(store), Optional.empty(), T0));
      var result =
          importCsv(
              store,
              engine,
              // presented Monday 2026-03-02 (noon, practice time): day 1 is Tuesday noon
              "P1,Ava,Stone,617-555-0111,ava@example.org,TP-1,2026-03-02,Implant #19; crown,\"$4,250.00\",presented\n"
                  + "P2,Ben,Ortiz,617-555-0112,ben@example.org,TP-2,2026-03-02,Crown #3,1200,pending\n"
                  + "P3,Cai,Wong,617-555-0113,cai@example.org,TP-3,2026-03-02,Bridge,2000,presented\n"
                  + "P4,Dee,Park,617-555-0114,dee@example.org,TP-4,2026-03-02,Filling,300,presented\n"
                  + "P5,Eli,Ross,617-555-0115,eli@example.org,TP-5,2026-03-02,Veneers,1800,presented\n"
                  + "P6,Fay,Lund,617-555-0116,fay@example.org,TP-6,2026-03-02,Crowns,2500,presented\n",
              T0);
      assertThat(result.plansCreated()).isEqualTo(5);
      assertThat(result.notes())
          .containsExactly(
              "presented.csv:5: not followed up by dental-unaccepted-treatment, the plan's value $300 is below $500");
      var q = new Queries(db.dataSource());
      assertThat(q.strings("select distinct protocol_id from plan"))
          .containsExactly("dental-unaccepted-treatment");
      // Ava has marketing consent on file; Cai does not.
      new Administration(store).marketingConsent("coord:ana", "default", "P1", true, T0);

      var runner = DispatcherTest.sandboxRunner(store, engine, T0);
      // Day 1: Ben replies BOOK after his text: the front desk takes over.
      runner.advance(T0, T0.plus(Duration.ofDays(1)).plusSeconds(3 * 3600), t -> {});
      var replies = new Replies(store, engine, "default", SlotSource.NONE);
      Instant bookAt = T0.plus(Duration.ofDays(1)).plusSeconds(4 * 3600);
      assertThat(replies.smsReceived("+16175550112", "BOOK", "SM-ben", bookAt).planId())
          .isPresent();
      // Day 5: Eli's plan is accepted in the practice system.
      runner.advance(bookAt, T0.plus(Duration.ofDays(5)), t -> {});
      importCsv(
          store,
          engine,
          "P5,Eli,Ross,617-555-0115,eli@example.org,TP-5,2026-03-02,Veneers,1800,scheduled\n",
          T0.plus(Duration.ofDays(5)));
      // Day 6: Cai declines.
      runner.advance(T0.plus(Duration.ofDays(5)), T0.plus(Duration.ofDays(6)), t -> {});
      importCsv(
          store,
          engine,
          "P3,Cai,Wong,617-555-0113,cai@example.org,TP-3,2026-03-02,Bridge,2000,declined\n",
          T0.plus(Duration.ofDays(6)));
      runner.advance(T0.plus(Duration.ofDays(6)), T0.plus(Duration.ofDays(13)), t -> {});
      // Read before the 30-day purge erases them: the financing email states the estimate; the
      // texts never do.
      var bodies =
          q.decrypted("select body from sandbox_message order by id", "sandbox_message.body");
      assertThat(bodies)
          .anyMatch(b ->
              b.contains("Estimated cost: $4,250 before insurance.")
                  && b.contains("Paying over time"))
          .anyMatch(b ->
              b.contains("Estimated cost: $2,000 before insurance.")
                  && !b.contains("Paying over time"));
      // Eli's chart says the plan was accepted and scheduled: not that the veneers were done.
      assertThat(bodies)
          .contains("careloop: Treatment plan: Veneers accepted and scheduled 2026-03-07.")
          .noneMatch(b -> b.contains("Veneers completed"));
      assertThat(bodies.stream().filter(b -> b.contains("Reply STOP")))
          .hasSize(7)
          .allMatch(b -> !b.contains("$") && !b.contains("Implant") && b.length() <= 160);
      runner.advance(T0.plus(Duration.ofDays(13)), T0.plus(Duration.ofDays(31)), t -> {});

      // What each patient got, in order: template by channel.
      assertThat(sent(q, "TP-1"))
          .containsExactly(
              "SMS DENTAL_TREATMENT_WAITING",
              "EMAIL DENTAL_DETAILS_FINANCING",
              "SMS DENTAL_SPOT_SAVED");
      assertThat(sent(q, "TP-2"))
          .as(timeline(q, "TP-2").toString())
          .containsExactly("SMS DENTAL_TREATMENT_WAITING");
      assertThat(sent(q, "TP-3"))
          .containsExactly("SMS DENTAL_TREATMENT_WAITING", "EMAIL DENTAL_DETAILS");
      assertThat(sent(q, "TP-5"))
          .containsExactly("SMS DENTAL_TREATMENT_WAITING", "EMAIL DENTAL_DETAILS");

      // Tasks: the day-12 call only for the plan above $3,000; the re-engaged booking for Ben.
      assertThat(q.strings("select title from task order by id"))
          .containsExactly(
              "Re-engaged: the patient wants to book their treatment",
              "High-value treatment not accepted: call the patient");
      assertThat(q.strings("select lane || ' ' || priority from task order by id"))
          .containsExactly("UNACCEPTED_TREATMENT URGENT", "UNACCEPTED_TREATMENT HIGH");
      // Ben's day-7 details came due while he waited to be booked: held back, never sent.
      assertThatPlan(db, plan("TP-2"))
          .hasFired("checkin:treatment:d7")
          .isNotReached("checkin:treatment:d7", Channel.EMAIL);
      assertThat(sent(q, "TP-6"))
          .containsExactly(
              "SMS DENTAL_TREATMENT_WAITING", "EMAIL DENTAL_DETAILS", "SMS DENTAL_SPOT_SAVED");
      assertThatPlan(db, plan("TP-6")).hasFired("checkin:treatment:d12").openCases().isEmpty();

      // Outcomes: accepted, declined, expired (Ava and Ben never accepted within 30 days).
      // Eli's accepted and scheduled plan is watched until the practice system says it is done.
      assertThat(q.byPlanKey("select source_key, status from plan", 2, 0))
          .containsExactly(
              "csv:treatment-plan:TP-1 ENDED",
              "csv:treatment-plan:TP-2 ENDED",
              "csv:treatment-plan:TP-3 ENDED",
              "csv:treatment-plan:TP-5 ACTIVE",
              "csv:treatment-plan:TP-6 ENDED");
      assertThatPlan(db, plan("TP-1")).hasFired("expire");
      assertThatPlan(db, plan("TP-5")).hasNotFired("expire").step("procedure").isScheduled();
      importCsv(
          store,
          engine,
          "P5,Eli,Ross,617-555-0115,eli@example.org,TP-5,2026-03-02,Veneers,1800,completed\n",
          T0.plus(Duration.ofDays(31)));
      assertThatPlan(db, plan("TP-5"))
          .hasStatus(org.careloop.core.PlanStatus.COMPLETED)
          .step("procedure")
          .isCompletedAt(T0.plus(Duration.ofDays(31)));
      assertThat(
              q.decrypted(
                  "select note from outbox where kind = 'EHR_NOTE' order by id", "outbox.note"))
          .containsExactly(
              "careloop: Treatment plan: Veneers accepted and scheduled 2026-03-07.",
              "careloop: Treatment plan: Veneers completed 2026-04-02.");
      assertThat(timeline(q, "TP-3")).anyMatch(t -> t.contains("declined by the patient"));
    }
  }

  @org.junit.jupiter.api.Test
  void pastTheTouchCap_aPersonGetsTheCase(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    try (var db = TestDatabases.open("h2")) {
      var store = TestDatabases.storeWithPractice(db);
      // The practice's own version: two automated messages, then a person.
      java.nio.file.Files.writeString(
          dir.resolve("dental.v3.yaml"),
          ProtocolFileTest.shipped("dental-unaccepted-treatment.v2.yaml")
              .replace("version: 2", "version: 3")
              .replace("touch-cap: 3 ", "touch-cap: 2 "));
      var engine =
          new Engine(ProtocolLibrary.load(new ProtocolVersions(store), Optional.of(dir), T0));
      importCsv(
          store,
          engine,
          "P1,Ava,Stone,617-555-0111,ava@example.org,TP-1,2026-03-02,Implant,1000,presented\n",
          T0);
      DispatcherTest.sandboxRunner(store, engine, T0)
          .advance(T0, T0.plus(Duration.ofDays(8)), t -> {});
      var q = new Queries(db.dataSource());
      assertThat(sent(q, "TP-1"))
          .containsExactly("SMS DENTAL_TREATMENT_WAITING", "EMAIL DENTAL_DETAILS");
      assertThat(q.strings("select title from task"))
          .containsExactly("Automated outreach exhausted: call the patient");
      assertThatPlan(db, plan("TP-1"))
          .hasFired("checkin:treatment:d7")
          .openCases()
          .containsExactly("CALL_PATIENT treatment");
    }
  }

  @org.junit.jupiter.api.Test
  void aPlanStoredBeforePlansHadAValue_readsWithNone() throws Exception {
    try (var db = TestDatabases.open("h2")) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.oneIntake(store);
      var state =
          store.inTransaction(tx -> tx.plansWakingBy(T0.plus(Duration.ofDays(365))).get(0).state());
      String json = org.careloop.adapters.jdbc.StateCodec.write(state);
      assertThat(json).contains("\"valueCents\"");
      // As an earlier careloop wrote it: no valueCents at all.
      String old = json.replaceAll(",\"valueCents\":[^,}]*", "");
      assertThat(old).doesNotContain("valueCents");
      var read = org.careloop.adapters.jdbc.StateCodec.read(old);
      assertThat(read.valueCents()).isEmpty();
      assertThat(read).isEqualTo(state);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void anAcceptedTreatmentNotScheduled_isACareGap_notAnExpiredPlan_andNoMoreSalesTexts(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine =
          new Engine(ProtocolLibrary.load(new ProtocolVersions(store), Optional.empty(), T0));
      String row = "P1,Ava,Stone,617-555-0111,ava@example.org,TP-1,2026-03-02,Crown #3,1200,";
      importCsv(store, engine, row + "presented\n", T0);
      var runner = DispatcherTest.sandboxRunner(store, engine, T0);
      Instant yes = T0.plus(Duration.ofDays(2));
      runner.advance(T0, yes, t -> {});
      var accepted = importCsv(store, engine, row + "accepted\n", yes);
      assertThat(accepted.plansUpdated()).isEqualTo(1);
      // The next export says accepted again: nothing changes.
      var again = importCsv(store, engine, row + "accepted\n", yes.plus(Duration.ofDays(7)));
      assertThat(again.plansUpdated()).isZero();
      runner.advance(yes, T0.plus(Duration.ofDays(40)), t -> {});

      var q = new Queries(db.dataSource());
      // Day 1's text before the yes; after it, no more texts about accepting (days 3 and 7), and
      // no expiry at day 30: the crown, not scheduled within 14 days, is a care gap.
      assertThat(sent(q, "TP-1")).containsExactly("SMS DENTAL_TREATMENT_WAITING", "SMS CARE_GAP");
      assertThatPlan(db, plan("TP-1"))
          .hasStatus(org.careloop.core.PlanStatus.ACTIVE)
          .hasNotFired("expire")
          .step("procedure")
          .hasStatus(org.careloop.core.MilestoneStatus.OVERDUE)
          .isDueAt(yes.plus(Duration.ofDays(14)));
      assertThat(q.strings("select title from task"))
          .containsExactly("Care gap: procedure 8–14 days past due");
      assertThat(
              q.decrypted(
                  "select note from outbox where kind = 'EHR_NOTE' order by id", "outbox.note"))
          .containsExactly(
              "careloop: Treatment plan: Crown #3 accepted by the patient 2026-03-04.");
    }
  }

  @org.junit.jupiter.api.Test
  void aFhirProposal_pricedByItsPreTreatmentEstimate_startsTheProgram() throws Exception {
    try (var db = TestDatabases.open("h2")) {
      var store = TestDatabases.storeWithPractice(db);
      var engine =
          new Engine(ProtocolLibrary.load(new ProtocolVersions(store), Optional.empty(), T0));
      var proposal = new org.hl7.fhir.r4.model.CarePlan();
      proposal.setId("tp-fhir");
      proposal.setStatus(org.hl7.fhir.r4.model.CarePlan.CarePlanStatus.DRAFT);
      proposal.setIntent(org.hl7.fhir.r4.model.CarePlan.CarePlanIntent.PROPOSAL);
      proposal.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/a"));
      proposal.getPeriod().setStart(java.util.Date.from(T0.minus(Duration.ofHours(1))));
      proposal.addActivity().getDetail().setDescription("Implant").getCode().setText("Implant");
      var estimate = new org.hl7.fhir.r4.model.Claim();
      estimate.setId("est-1");
      estimate.setStatus(org.hl7.fhir.r4.model.Claim.ClaimStatus.ACTIVE);
      estimate.setUse(org.hl7.fhir.r4.model.Claim.Use.PREDETERMINATION);
      estimate.setPatient(new org.hl7.fhir.r4.model.Reference("Patient/a"));
      estimate.setTotal(new org.hl7.fhir.r4.model.Money().setValue(3600).setCurrency("USD"));
      var result =
          PostVisitProgramTest.importFhir(
              store,
              engine,
              T0,
              PostVisitProgramTest.patient("a", "Ava", "617-555-0121"),
              proposal,
              estimate);
      assertThat(result.plansCreated()).isEqualTo(1);
      var q = new Queries(db.dataSource());
      assertThat(q.strings("select protocol_id from plan"))
          .containsExactly("dental-unaccepted-treatment");
      String planId = q.strings("select id from plan").get(0);
      Optional<Long> value = store.inTransaction(tx -> tx.planValueCents(planId));
      assertThat(value).contains(360_000L);
      // Two days later the EHR re-sends it accepted (intent plan, status active): the program's
      // goal; the chart says accepted, not done.
      Instant accepted = T0.plus(Duration.ofDays(2));
      var acceptedPlan =
          proposal
              .copy()
              .setIntent(org.hl7.fhir.r4.model.CarePlan.CarePlanIntent.PLAN)
              .setStatus(org.hl7.fhir.r4.model.CarePlan.CarePlanStatus.ACTIVE);
      var again =
          PostVisitProgramTest.importFhir(
              store,
              engine,
              accepted,
              PostVisitProgramTest.patient("a", "Ava", "617-555-0121"),
              acceptedPlan);
      assertThat(again.plansCreated()).isZero();
      // Accepted is not done: the implant is now a procedure step, watched until it is done.
      assertThat(q.strings("select status from plan")).containsExactly("ACTIVE");
      assertThatPlan(db, planId)
          .step("procedure")
          .hasStatus(org.careloop.core.MilestoneStatus.PENDING)
          .isDueAt(accepted.plus(Duration.ofDays(14)));
      var note =
          store.inTransaction(tx -> tx.lockPlan(planId).orElseThrow()).state().milestones().get(0);
      assertThat(note.completedAt()).contains(accepted);
      assertThat(
              q.decrypted(
                  "select note from outbox where kind = 'EHR_NOTE' order by id", "outbox.note"))
          .containsExactly("careloop: Implant accepted by the patient 2026-03-04.");
      // Without an estimate the threshold cannot be met: not followed, and the import says why.
      var unpriced =
          PostVisitProgramTest.importFhir(
              store,
              engine,
              T0,
              PostVisitProgramTest.patient("b", "Ben", "617-555-0122"),
              proposal
                  .copy()
                  .setSubject(new org.hl7.fhir.r4.model.Reference("Patient/b"))
                  .setId("tp-b"));
      assertThat(unpriced.plansCreated()).isZero();
      assertThat(unpriced.notes())
          .anyMatch(n -> n.endsWith("the plan's value unknown is below $500"));
    }
  }

  static List<String> sent(Queries q, String plan) throws Exception {
    return q.strings(
        "select o.channel || ' ' || o.template from outbox o"
            + " where o.plan_id = ? and o.kind = 'MESSAGE' order by o.id",
        Queries.plan("csv:treatment-plan:" + plan));
  }

  static String plan(String treatmentPlan) {
    return Queries.plan("csv:treatment-plan:" + treatmentPlan);
  }

  static List<String> timeline(Queries q, String plan) throws Exception {
    return q.strings(
        "select t.detail from timeline_entry t where t.plan_id = ? order by t.id",
        Queries.plan("csv:treatment-plan:" + plan));
  }
}
