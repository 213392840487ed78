package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careloop.server.CommandLineTest.run;
import static org.careloop.server.EhrPollingTest.put;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.careloop.adapters.fhir.FhirSlotSource;
import org.careloop.adapters.jdbc.Database;
import org.careloop.app.SlotSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The practice's slot search ({@code practice set --slot-search}) against a real FHIR server (HAPI
 * FHIR's JPA server): the schedule's free slots from now on, soonest first, as many as asked for;
 * busy ones, past ones and another schedule's are not offered. A patient who texts BOOK is offered
 * those times.
 */
class SlotSearchHapiTest {
  static String fhir = "";

  @BeforeAll
  static void server() throws Exception {
    fhir = FhirTestServerProcess.base();
    EhrPollingTest.fhir = fhir;
  }

  /** A schedule at the EHR with slots at these offsets from {@code from}, each half an hour. */
  static String schedule(String id, Instant from, String... slots) throws Exception {
    put(
        "Schedule",
        id,
        """
        {"resourceType": "Schedule", "id": "%s", "active": true,
         "actor": [{"display": "Dr. Morales"}]}
        """
            .formatted(id));
    int n = 0;
    for (String s : slots) {
      // "+26h free", "-2h free", "+3h busy"
      String[] parts = s.split(" ", 2);
      long hours = Long.parseLong(parts[0].replace("h", "").replace("+", ""));
      Instant start = from.plus(hours, ChronoUnit.HOURS);
      put(
          "Slot",
          id + "-" + n++,
          """
          {"resourceType": "Slot", "id": "%s-%d", "schedule": {"reference": "Schedule/%s"},
           "status": "%s", "start": "%s", "end": "%s"}
          """
              .formatted(id, n - 1, id, parts[1], start, start.plus(30, ChronoUnit.MINUTES)));
    }
    return fhir + "/Slot?schedule=Schedule/" + id;
  }

  @Test
  void theSchedulesFreeSlotsFromNowOn_soonestFirst_asManyAsAsked() throws Exception {
    String id = "sched-" + Long.toString(System.nanoTime(), 36);
    Instant from = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.DAYS);
    String search =
        schedule(
            id, from, "+50h free", "+26h free", "-2h free", "+27h busy", "+74h free", "+98h free");
    // Another schedule's free slot, sooner than all: not this practice's search.
    schedule(id + "-other", from, "+1h free");

    var slots = new FhirSlotSource(Optional.empty()).free(search, from, 3);

    assertThat(slots)
        .extracting(SlotSource.Slot::start)
        .containsExactly(
            from.plus(26, ChronoUnit.HOURS),
            from.plus(50, ChronoUnit.HOURS),
            from.plus(74, ChronoUnit.HOURS));
    assertThat(slots.get(0).end()).isEqualTo(from.plus(26, ChronoUnit.HOURS).plusSeconds(1800));
  }

  @Test
  void aPatientWhoTextsBook_isOfferedTheEhrsFreeTimes(@TempDir Path dir) throws Exception {
    String db = Database.h2Url(dir);
    String id = "sched-" + Long.toString(System.nanoTime(), 36);
    // 2026-03-02T15:00Z is 10:00 on a Monday in New York, the practice's zone.
    Instant now = Instant.parse("2026-03-02T15:00:00Z");
    String search = schedule(id, now, "+23h free", "+2h busy", "+47h free", "-1h free");
    var csv = dir.resolve("export.csv");
    Files.writeString(
        csv,
        "patient_id,name,phone,email,provider,follow_up_type,preferred_window,due_date\n"
            + "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-04-01\n");
    var set =
        run(
            "practice",
            "set",
            "--slot-search",
            search,
            "--db",
            db,
            "--clock",
            "simulated",
            "--start",
            now.toString());
    assertThat(set.code()).as(set.err()).isZero();
    assertThat(run("import", "csv", csv.toString(), "--db", db).code()).isZero();
    try (var c = Careloop.open(db, Optional.empty(), Optional.empty(), 2)) {
      var book = c.replies().smsReceived("+16175550101", "BOOK", "SM-book-1", now);
      // 9:00 the next two mornings, New York time; the busy and the past ones are not offered.
      assertThat(book.answer().orElseThrow())
          .contains("open times Tue Mar 3, 9:00 AM; Wed Mar 4, 9:00 AM.");
    }
  }
}
