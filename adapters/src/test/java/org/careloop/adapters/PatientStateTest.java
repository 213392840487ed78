package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.careloop.adapters.contact.UsStates;
import org.careloop.adapters.csv.WeeklyExportReader;
import org.careloop.app.InputRejected;
import org.junit.jupiter.api.Test;

/**
 * A patient's state, from the weekly export's {@code state} column: the stricter hours of their
 * state's law (Florida, Oklahoma) and the zone their date-only due dates are read in.
 */
class PatientStateTest {
  static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");
  static final WeeklyExportReader NEW_YORK =
      new WeeklyExportReader("default", ZoneId.of("America/New_York"), "US");

  @Test
  void aStateColumn_setsTheRegionAndZone_andTheDueDateIsTheEndOfHerBusinessDay() {
    var batch =
        NEW_YORK.read(
            """
            name,phone,follow_up_type,due_date,state
            Grace Okafor,918-555-0142,lab,2026-04-15,Oklahoma
            Luis Ortega,305-555-0188,lab,2026-04-15,fl
            Ann Lee,617-555-0101,lab,2026-04-15,
            """,
            "weekly.csv",
            NOW);
    assertThat(batch.patients())
        .extracting(p -> p.region().orElse("-"), p -> p.zone().getId())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("OK", "America/Chicago"),
            org.assertj.core.groups.Tuple.tuple("FL", "America/New_York"),
            org.assertj.core.groups.Tuple.tuple("-", "America/New_York"));
    assertThat(batch.plans())
        .extracting(p -> p.steps().get(0).dueAt().orElseThrow())
        .containsExactly(
            Instant.parse("2026-04-15T22:00:00Z"), // 17:00 in Tulsa
            Instant.parse("2026-04-15T21:00:00Z"), // 17:00 in Miami
            Instant.parse("2026-04-15T21:00:00Z"));
  }

  @Test
  void aStateThatIsNone_isRejectedWithItsLineAndColumn() {
    assertThatThrownBy(() ->
            NEW_YORK.read(
                "name,phone,follow_up_type,due_date,state\nAnn Lee,617-555-0101,lab,2026-04-15,Atlantis\n",
                "weekly.csv",
                NOW))
        .isInstanceOf(InputRejected.class)
        .hasMessageContaining("weekly.csv:2, column state")
        .hasMessageContaining("is not a US state");
  }

  @Test
  void aPracticeInAStatesOtherZone_keepsItsOwnZoneForItsPatients() {
    // The Florida panhandle keeps Central time; a Pensacola practice's Florida patients do too.
    assertThat(UsStates.zone("FL", ZoneId.of("America/Chicago")))
        .contains(ZoneId.of("America/Chicago"));
    assertThat(UsStates.zone("FL", ZoneId.of("America/Los_Angeles")))
        .contains(ZoneId.of("America/New_York"));
    assertThat(UsStates.code("N. Carolina")).isEmpty();
    assertThat(UsStates.code("North Carolina")).contains("NC");
  }
}
