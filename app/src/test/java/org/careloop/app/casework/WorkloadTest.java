package org.careloop.app.casework;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.careloop.app.WorkItem;
import org.junit.jupiter.api.Test;

/** The workload view counts each person's open, overdue and due-today cases per lane. */
class WorkloadTest {
  static final ZoneId NY = ZoneId.of("America/New_York");

  /** Monday 2026-03-02, 10:00 in New York. */
  static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");

  /** A case; an empty owner is nobody's yet. */
  static WorkItem item(long id, String owner, String lane, Instant respondBy, Duration age) {
    return new WorkItem(
        id,
        "pl-" + id,
        "Pat " + id,
        lane,
        "HIGH",
        "Case",
        respondBy,
        NOW.minus(age),
        Optional.of(owner).filter(o -> !o.isEmpty()),
        Optional.of("coordinator"),
        Optional.empty(),
        respondBy.isBefore(NOW),
        Optional.of(owner).filter(o -> !o.isEmpty()).map(o -> o.toLowerCase(java.util.Locale.ROOT)),
        "M" + id,
        Optional.empty(),
        Optional.empty());
  }

  @Test
  void perPersonAndLane_openOverdueAndDueToday_andHowLongCasesWait() {
    // Today's close is 22:00 UTC; 04:00 UTC tomorrow is still today's evening in New York.
    var items =
        List.of(
            item(1, "Cora", "NOT_BOOKED", NOW.minusSeconds(3600), Duration.ofHours(30)),
            item(
                2,
                "Cora",
                "NOT_BOOKED",
                Instant.parse("2026-03-02T22:00:00Z"),
                Duration.ofHours(2)),
            item(
                3, "Cora", "NOT_BOOKED", Instant.parse("2026-03-03T04:30:00Z"), Duration.ofDays(5)),
            item(
                4, "Cora", "NOT_BOOKED", Instant.parse("2026-03-03T22:00:00Z"), Duration.ofDays(9)),
            item(
                5, "Cora", "MONITORING", Instant.parse("2026-03-04T22:00:00Z"), Duration.ofDays(1)),
            item(6, "", "NOT_BOOKED", NOW.minusSeconds(60), Duration.ofDays(4)),
            item(7, "Ben", "MONITORING", NOW.plusSeconds(60), Duration.ofMinutes(5)));
    var w = Workload.of(items, NOW, NY);
    assertThat(w.rows())
        .containsExactly(
            new Workload.Row("Ben", "MONITORING", 1, 0, 1),
            new Workload.Row("Cora", "MONITORING", 1, 0, 0),
            new Workload.Row("Cora", "NOT_BOOKED", 4, 1, 2),
            new Workload.Row(Workload.NO_OWNER, "NOT_BOOKED", 1, 1, 0));
    assertThat(w.ageing())
        .containsExactly(
            org.assertj.core.api.Assertions.entry("under 1 day", 2L),
            org.assertj.core.api.Assertions.entry("1 to 3 days", 2L),
            org.assertj.core.api.Assertions.entry("4 to 7 days", 2L),
            org.assertj.core.api.Assertions.entry("over 7 days", 1L));
  }
}
