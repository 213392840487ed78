package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;
import org.careloop.adapters.protocol.LaneFile;
import org.careloop.adapters.protocol.ProtocolLibrary;
import org.careloop.app.SlotSource;
import org.careloop.app.engine.Engine;
import org.careloop.app.engine.LaneRules;
import org.careloop.app.messaging.Replies;
import org.careloop.core.Lane;
import org.careloop.core.Priority;
import org.junit.jupiter.api.Test;

/**
 * Coordinator lanes: response windows in business days, lane tiers, owner and backup, escalation
 * when a window passes, and at once when a patient reports worse symptoms.
 */
class LanesTest {
  static final ZoneId NY = ZoneId.of("America/New_York");
  static final LaneRules LANES = LaneRules.defaults();

  static Instant ny(String local) {
    return java.time.LocalDateTime.parse(local).atZone(NY).toInstant();
  }

  @Test
  void responseWindows_countBusinessDays_skippingWeekendsAndHolidays() {
    // Friday 2026-03-06.
    assertThat(LANES.respondBy(Priority.URGENT, ny("2026-03-06T10:00"), NY, Set.of()))
        .isEqualTo(ny("2026-03-06T17:00"));
    assertThat(LANES.respondBy(Priority.URGENT, ny("2026-03-06T18:00"), NY, Set.of()))
        .as("after closing: the next business day")
        .isEqualTo(ny("2026-03-09T17:00"));
    assertThat(LANES.respondBy(Priority.HIGH, ny("2026-03-06T10:00"), NY, Set.of()))
        .isEqualTo(ny("2026-03-09T17:00"));
    assertThat(
            LANES.respondBy(
                Priority.HIGH, ny("2026-03-06T10:00"), NY, Set.of(LocalDate.parse("2026-03-09"))))
        .as("Monday a holiday")
        .isEqualTo(ny("2026-03-10T17:00"));
    assertThat(LANES.respondBy(Priority.ROUTINE, ny("2026-03-04T09:00"), NY, Set.of()))
        .as("Wednesday: Thursday, Friday, Monday")
        .isEqualTo(ny("2026-03-09T17:00"));
    assertThat(LANES.respondBy(Priority.ROUTINE, ny("2026-03-07T11:00"), NY, Set.of()))
        .as("Saturday: as if it came Monday morning, then three business days")
        .isEqualTo(ny("2026-03-12T17:00"));
    assertThat(LANES.priority(Lane.DISCHARGE, Priority.ROUTINE)).isEqualTo(Priority.HIGH);
    assertThat(LANES.priority(Lane.DISCHARGE, Priority.URGENT)).isEqualTo(Priority.URGENT);
    assertThat(LANES.rule(Lane.PREVENTIVE_RECALL).owner()).isEqualTo("front-desk");
  }

  @Test
  void theShippedLanesFile_isTheDefaults_andMistakesAreNamedByLine() throws Exception {
    String text = ProtocolFileTest.shipped(ProtocolLibrary.LANES);
    assertThat(LaneFile.read("lanes.yaml", text).rules()).contains(LANES);
    var bad =
        LaneFile.read(
            "lanes.yaml",
            text.replace("routine: 3-business-days", "routine: 3 days")
                .replace(
                    "escalate-to: provider}\n  post-visit", "escalate-to: doctor}\n  post-visit")
                .replace("  monitoring:", "  monitorng:"));
    assertThat(bad.rules()).isEmpty();
    assertThat(bad.problems())
        .extracting(Object::toString)
        .anyMatch(p -> p.matches("lanes\\.yaml:10: routine '3 days' is not same-day, .*"))
        .anyMatch(p ->
            p.matches("lanes\\.yaml:13: escalate-to 'doctor' is not one of \\[coordinator, .*"))
        .anyMatch(p -> p.matches("lanes\\.yaml:20: unknown field 'monitorng' in lanes .*"));
  }

  @Test
  void aTaskPastItsWindow_isEscalated_andWorseSymptomsAreEscalatedAtOnce() throws Exception {
    try (var db = TestDatabases.open("h2")) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.importRow(store, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-04-01");
      DispatcherTest.importRow(store, "MRN2,Ana Diaz,617-555-0102,,Dr. M,imaging,,2026-04-01");
      var engine = new Engine(Shipped.protocols(), LANES);
      var replies = new Replies(store, engine, "default", SlotSource.NONE);
      // Monday 2026-03-02, 10:00 in New York.
      Instant t0 = BadInputTest.NOW;
      replies.smsReceived("+16175550101", "Can I do the lab on Saturday?", "SM-1", t0);
      var worse =
          replies.smsReceived(
              "+16175550102", "The pain is getting worse since yesterday", "SM-2", t0);
      assertThat(worse.meaning()).isEqualTo(org.careloop.app.messaging.ReplyWords.Meaning.WORSE);
      assertThat(worse.answer())
          .contains(
              "Riverside Family Medicine: we passed your message to your care team and will call"
                  + " you. If this is an emergency, call 911.");
      var q = new Queries(db.dataSource());
      assertThat(
              q.joined(
                  "select priority, owner_role || '/' || backup_role, coalesce(escalated_to, '-'), title from task order by id"))
          .containsExactly(
              "HIGH nurse/coordinator - Patient replied: read and answer",
              "URGENT nurse/coordinator provider Patient reports worse symptoms: call now");
      assertThat(q.count("select count(*) from outbox where kind = 'EHR_INBOX'")).isEqualTo(1);

      // The reply task is high (next business day) and the protocol asks for a day: Tuesday,
      // due by its close (17:00), on the business calendar like every window. Until then only
      // the worse-symptoms task is escalated.
      assertThat(q.strings("select respond_by from task where priority = 'HIGH'").get(0))
          .startsWith("2026-03-03 22:00:00");
      var runner = DispatcherTest.sandboxRunner(store, engine, t0);
      runner.advance(t0, t0.plus(Duration.ofDays(1)).minusSeconds(60), t -> {});
      assertThat(q.count("select count(*) from task where escalated_at is not null")).isEqualTo(1);
      runner.advance(
          t0.plus(Duration.ofDays(1)).minusSeconds(60), t0.plus(Duration.ofDays(2)), t -> {});
      assertThat(
              q.joined(
                  "select escalated_to || ' ' || escalated_at, escalation_reason from task where priority = 'HIGH'"))
          .singleElement()
          .asString()
          .startsWith(
              "provider 2026-03-03 22:00:00+00 high task not handled by 2026-03-03T22:00:00Z: escalated to the provider");
      assertThat(q.strings("select detail from timeline_entry where kind = 'escalated'"))
          .containsExactly(
              "task \"Patient replied: read and answer\": high task not handled by 2026-03-03T22:00:00Z: escalated to the provider");
    }
  }

  @Test
  void repeatedFailedContact_givesAnEscalatedTask() throws Exception {
    try (var db = TestDatabases.open("h2")) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.importRow(
          store, "MRN1,Sarah Lee,617-555-0101,sarah@example.org,Dr. M,lab,,2026-04-01");
      var engine = new Engine(Shipped.protocols(), LANES);
      var deliveries = new org.careloop.app.messaging.Deliveries(engine);
      Instant t0 = BadInputTest.NOW;
      // The text's number is dead; the same intake goes by email, and that address bounces too.
      for (String channel : new String[] {"SMS", "EMAIL"}) {
        store.inTransaction(tx -> {
          var item =
              tx.claimDueOutbox(t0, 10).stream()
                  .filter(o -> o.channel().filter(channel::equals).isPresent())
                  .findFirst()
                  .orElseThrow();
          tx.markDead(item.id(), 1, "dead");
          deliveries.contactPointFailed(tx, item, channel + " unusable", t0);
          return null;
        });
      }
      var q = new Queries(db.dataSource());
      assertThat(
              q.joined(
                  "select priority || ' ' || escalated_to, title from task where escalated_at is not null"))
          .containsExactly("HIGH provider Repeated failed contact: reach the patient another way");
      assertThat(q.strings("select detail from timeline_entry"))
          .contains("2 failed deliveries: a task for a person, escalated at once");
    }
  }
}
