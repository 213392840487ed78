package org.careloop.app.casework;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.careloop.app.Person;
import org.careloop.app.WorkItem;
import org.junit.jupiter.api.Test;

/**
 * A worklist as a coordinator works it: their own cases (and their role's unclaimed ones) first,
 * the team's a click away, found by name, MRN or phone, sorted by any column, 50 to a page.
 */
class WorklistViewTest {
  static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");
  static final Person CORA =
      new Person("u1", "default", "cora", "Cora Reyes", "", "coordinator", false, Optional.empty());

  static WorkItem item(
      long id,
      String patient,
      String priority,
      int hoursLeft,
      Optional<String> owner,
      String role,
      String ref,
      Optional<String> phone) {
    return new WorkItem(
        id,
        "pl-" + id,
        patient,
        "NOT_BOOKED",
        priority,
        "Case " + (char) ('A' + id % 26),
        NOW.plus(Duration.ofHours(hoursLeft)),
        NOW.minus(Duration.ofDays(1)),
        owner.map(o -> o.equals("cora") ? "Cora Reyes" : "Nina Brooks"),
        Optional.of(role),
        Optional.empty(),
        hoursLeft < 0,
        owner,
        ref,
        phone,
        // Two patients have a date of birth on file.
        id == 1
            ? Optional.of(java.time.LocalDate.of(1954, 3, 12))
            : id == 4 ? Optional.of(java.time.LocalDate.of(1988, 11, 2)) : Optional.empty());
  }

  static final List<WorkItem> CASES =
      List.of(
          item(
              1,
              "Ana Diaz",
              "HIGH",
              5,
              Optional.of("cora"),
              "coordinator",
              "MRN1",
              Optional.of("+16175550101")),
          item(
              2,
              "Ben Cole",
              "URGENT",
              30,
              Optional.of("nina"),
              "nurse",
              "MRN2",
              Optional.of("+16175550102")),
          item(
              3,
              "Cai Wong",
              "ROUTINE",
              -2,
              Optional.empty(),
              "coordinator",
              "Patient/77",
              Optional.empty()),
          item(
              4,
              "Dee Park",
              "ROUTINE",
              1,
              Optional.empty(),
              "nurse",
              "MRN4",
              Optional.of("+13125550199")),
          item(
              5,
              "Ana Moreau",
              "URGENT",
              2,
              Optional.of("cora"),
              "coordinator",
              "MRN5",
              Optional.empty()));

  static WorklistView.Page view(boolean mine, String search, WorklistView.Sort sort, boolean desc) {
    return WorklistView.of(
        CASES,
        new WorklistView.Query(mine, Optional.of(search).filter(s -> !s.isEmpty()), sort, desc, 1),
        CORA);
  }

  static List<Long> ids(WorklistView.Page p) {
    return p.items().stream().map(WorkItem::taskId).toList();
  }

  @Test
  void myCases_areMineAndMyRolesUnclaimed_rankedByTierThenRespondBy() {
    var mine = view(true, "", WorklistView.Sort.RANK, false);
    assertThat(ids(mine)).containsExactly(5L, 1L, 3L);
    assertThat(mine.total()).isEqualTo(3);
    assertThat(mine.overdue()).isEqualTo(1);
    assertThat(ids(view(false, "", WorklistView.Sort.RANK, false)))
        .containsExactly(5L, 2L, 1L, 3L, 4L);
    assertThat(WorklistView.Query.mineByDefault(CORA)).isTrue();
    assertThat(
            WorklistView.Query.mineByDefault(
                new Person("u9", "default", "max", "Max", "", "manager", false, Optional.empty())))
        .isFalse();
  }

  @Test
  void search_findsByEveryWordOfTheName_theMrn_orThePhonesDigits() {
    assertThat(ids(view(false, "ana", WorklistView.Sort.RANK, false))).containsExactly(5L, 1L);
    assertThat(ids(view(false, "diaz ana", WorklistView.Sort.RANK, false))).containsExactly(1L);
    assertThat(ids(view(false, "mrn2", WorklistView.Sort.RANK, false))).containsExactly(2L);
    assertThat(ids(view(false, "77", WorklistView.Sort.RANK, false))).containsExactly(3L);
    assertThat(ids(view(false, "(312) 555-0199", WorklistView.Sort.RANK, false)))
        .containsExactly(4L);
    assertThat(ids(view(false, "0102", WorklistView.Sort.RANK, false))).containsExactly(2L);
    // Three digits are too few to pick a phone; "MRN" alone is no one's identifier.
    assertThat(ids(view(false, "555", WorklistView.Sort.RANK, false))).isEmpty();
    assertThat(ids(view(false, "mrn", WorklistView.Sort.RANK, false))).isEmpty();
  }

  @Test
  void search_findsByDateOfBirth_writtenEitherWay() {
    assertThat(ids(view(false, "1954-03-12", WorklistView.Sort.RANK, false))).containsExactly(1L);
    assertThat(ids(view(false, "3/12/1954", WorklistView.Sort.RANK, false))).containsExactly(1L);
    assertThat(ids(view(false, "11/2/1988", WorklistView.Sort.RANK, false))).containsExactly(4L);
    // A day off is no one; a date is not read as phone digits.
    assertThat(ids(view(false, "1954-03-13", WorklistView.Sort.RANK, false))).isEmpty();
  }

  @Test
  void anyColumn_sortsBothWays() {
    assertThat(ids(view(false, "", WorklistView.Sort.PATIENT, false)))
        .containsExactly(1L, 5L, 2L, 3L, 4L);
    assertThat(ids(view(false, "", WorklistView.Sort.PATIENT, true)))
        .containsExactly(4L, 3L, 2L, 5L, 1L);
    assertThat(ids(view(false, "", WorklistView.Sort.RESPOND_BY, false)))
        .containsExactly(3L, 4L, 5L, 1L, 2L);
    // Unowned cases sort after owned ones.
    assertThat(ids(view(false, "", WorklistView.Sort.OWNER, false)))
        .containsExactly(5L, 1L, 2L, 3L, 4L);
    assertThat(WorklistView.Sort.of(Optional.of("respond-by")))
        .isEqualTo(WorklistView.Sort.RESPOND_BY);
    assertThat(WorklistView.Sort.of(Optional.of("nonsense"))).isEqualTo(WorklistView.Sort.RANK);
  }

  @Test
  void fiftyToAPage_andAPageBeyondTheLastShowsTheLast() {
    var many = new ArrayList<WorkItem>();
    for (int i = 1; i <= 120; i++)
      many.add(
          item(
              i,
              "Pat " + i,
              "ROUTINE",
              i,
              Optional.empty(),
              "coordinator",
              "M" + i,
              Optional.empty()));
    var q = new WorklistView.Query(false, Optional.empty(), WorklistView.Sort.RANK, false, 2);
    var page2 = WorklistView.of(many, q, CORA);
    assertThat(page2.pages()).isEqualTo(3);
    assertThat(page2.total()).isEqualTo(120);
    assertThat(page2.items()).hasSize(50).first().extracting(WorkItem::taskId).isEqualTo(51L);
    var beyond =
        WorklistView.of(
            many,
            new WorklistView.Query(false, Optional.empty(), WorklistView.Sort.RANK, false, 9),
            CORA);
    assertThat(beyond.page()).isEqualTo(3);
    assertThat(beyond.items()).hasSize(20);
  }
}
