package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The weekly recall list, end to end on the simulated clock: a practice that chose it for its
 * weekly CSV gets a text in weekday calling hours, an email 24 h later without an answer, a staff
 * call at 48 h; BOOK and STOP are honoured; next week's list updates the same plans.
 */
class RecallProgramTest {
  static final ZoneId NY = ZoneId.of("America/New_York");

  /** Friday 2026-03-06, 15:00 in New York: after the week's calling hours. */
  static final Instant FRIDAY = Instant.parse("2026-03-06T20:00:00Z");

  static final Instant MONDAY_10 = Instant.parse("2026-03-09T14:00:00Z");

  static ImportResult importCsv(JdbcStore store, Engine engine, String rows, Instant now) {
    var reader = new WeeklyExportReader("default", NY, "US");
    return new Importer(store, engine, "treatment-plan-follow-up")
        .importBatch(reader.read(BadInputTest.HEADER + rows, "recall.csv", now), now);
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void recallList_textInCallingHours_emailAt24h_callAt48h_bookAndStopHonoured(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine =
          new Engine(ProtocolLibrary.load(new ProtocolVersions(store), Optional.empty(), FRIDAY));
      new Administration(store)
          .choosePracticeProtocol(
              "admin:rosa",
              "default",
              "csv-row-imported",
              engine.protocols(),
              "weekly-recall",
              FRIDAY);
      String rows =
          "MRN1,Sarah Lee,617-555-0101,sarah@example.org,Dr. Martinez,follow-up visit,,2026-04-01\n"
              + "MRN2,Ana Diaz,617-555-0102,,Dr. Martinez,follow-up visit,,2026-04-01\n"
              + "MRN3,Tom Hill,617-555-0103,tom@example.org,Dr. Martinez,follow-up visit,,2026-04-01\n";
      assertThat(importCsv(store, engine, rows, FRIDAY).plansCreated()).isEqualTo(3);
      var q = new Queries(db.dataSource());
      assertThat(q.strings("select distinct protocol_id from plan"))
          .containsExactly("weekly-recall");

      var runner = DispatcherTest.sandboxRunner(store, engine, FRIDAY);
      var replies = new Replies(store, engine, "default", SlotSource.NONE);
      // Nothing over the weekend; Monday 10:00 the three texts.
      runner.advance(FRIDAY, MONDAY_10.minusSeconds(60), t -> {});
      assertThat(q.count("select count(*) from outbox where kind = 'MESSAGE'")).isZero();
      runner.advance(MONDAY_10.minusSeconds(60), MONDAY_10.plusSeconds(3600), t -> {});
      assertThat(messages(q))
          .containsExactly(
              "MRN1 SMS 2026-03-09T10:00",
              "MRN2 SMS 2026-03-09T10:00",
              "MRN3 SMS 2026-03-09T10:00");
      assertThat(
              q.decrypted("select body from sandbox_message order by id", "sandbox_message.body")
                  .get(0))
          .matches(
              "Hi Sarah, Riverside Family Medicine: your doctor recommends a follow-up visit\\. Book:"
                  + " http://127\\.0\\.0\\.1:8080/l/[A-Za-z0-9_-]{12} Reply STOP to opt out\\.");
      // Ana books, Tom opts out of texts.
      replies.smsReceived("+16175550102", "BOOK", "SM-ana", MONDAY_10.plusSeconds(2 * 3600));
      replies.smsReceived("+16175550103", "STOP", "SM-tom", MONDAY_10.plusSeconds(3 * 3600));
      runner.advance(MONDAY_10.plusSeconds(3600), MONDAY_10.plus(Duration.ofDays(3)), t -> {});

      // Sarah and Tom: the email 24 h after the text; Ana: nothing more.
      assertThat(messages(q))
          .containsExactly(
              "MRN1 SMS 2026-03-09T10:00",
              "MRN2 SMS 2026-03-09T10:00",
              "MRN3 SMS 2026-03-09T10:00",
              "MRN1 EMAIL 2026-03-10T10:00",
              "MRN3 EMAIL 2026-03-10T10:00");
      // The staff call 48 h after the text, for the two who did not answer.
      assertThat(
              q.byPlanKey(
                  "select p.source_key, t.lane, t.title from task t join plan p on p.id = t.plan_id",
                  3,
                  0))
          .containsExactly(
              "csv:MRN1:follow-up visit PREVENTIVE_RECALL Recall: no answer to the text or email, call the patient",
              "csv:MRN3:follow-up visit PREVENTIVE_RECALL Recall: no answer to the text or email, call the patient");
      assertThat(
              q.strings(
                  "select kind || ' ' || channel from outbox where kind = 'REPLY' order by id"))
          .containsExactly("REPLY SMS", "REPLY SMS");

      // Next week's list names Sarah again, due later: her plan is updated, not doubled.
      var again =
          importCsv(
              store,
              engine,
              rows.lines().findFirst().orElseThrow().replace("2026-04-01", "2026-04-15") + "\n",
              FRIDAY.plus(Duration.ofDays(7)));
      assertThat(again.plansCreated()).isZero();
      assertThat(again.plansUpdated()).isEqualTo(1);
      assertThat(q.count("select count(*) from plan")).isEqualTo(3);
      assertThat(q.strings("select detail from timeline_entry where kind = 'event'"))
          .anyMatch(t -> t.startsWith("step follow-up now due 2026-04-15 at the source"));
      // The same list again changes nothing.
      assertThat(
              importCsv(
                      store,
                      engine,
                      rows.lines().findFirst().orElseThrow().replace("2026-04-01", "2026-04-15")
                          + "\n",
                      FRIDAY.plus(Duration.ofDays(7)))
                  .plansUnchanged())
          .isEqualTo(1);

      // Imported in calling hours, the text goes at once (well within 2 h).
      Instant tuesday1030 = Instant.parse("2026-03-17T14:30:00Z");
      importCsv(
          store,
          engine,
          "MRN4,Lia Chen,617-555-0104,,Dr. Martinez,follow-up visit,,2026-04-20\n",
          tuesday1030);
      runner.advance(tuesday1030, tuesday1030.plusSeconds(60), t -> {});
      assertThat(messages(q)).contains("MRN4 SMS 2026-03-17T10:30");
    }
  }

  /** Each automated message: patient, channel and when it was decided, New York time. */
  static List<String> messages(Queries q) throws Exception {
    return q
        .byPlanKey(
            "|",
            "select p.source_key, o.channel, o.created_at, cast(o.created_at as varchar(40)) from outbox o"
                + " join plan p on p.id = o.plan_id where o.kind = 'MESSAGE'",
            3,
            2,
            0)
        .stream()
        .map(r -> {
          var parts = r.split("\\|");
          return parts[0].replaceAll("csv:(MRN[0-9]+).*", "$1")
              + " "
              + parts[1]
              + " "
              + Queries.at(parts[2], NY).toLocalDateTime().toString().substring(0, 16);
        })
        .toList();
  }
}
