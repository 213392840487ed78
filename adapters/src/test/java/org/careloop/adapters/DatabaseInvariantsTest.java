package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The invariants checked after every persistence test catch what they say they catch. */
class DatabaseInvariantsTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void eachInvariant_namesTheRowsThatBreakIt_andACleanDatabasePasses(String kind) throws Exception {
    String url = TestDatabases.newUrl(kind, "_inv");
    try (var db = org.careloop.adapters.jdbc.Database.open(url, 2, TestDatabases.CIPHER)) {
      var store = TestDatabases.storeWithPractice(db);
      DispatcherTest.importRow(store, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-03-05");
      DispatcherTest.importRow(store, "MRN2,Ana Diaz,617-555-0102,,Dr. M,imaging,,2026-03-05");
      new org.careloop.app.messaging.Replies(
              store,
              new org.careloop.app.engine.Engine(Shipped.protocols()),
              "default",
              org.careloop.app.SlotSource.NONE)
          .smsReceived("+16175550101", "Can I come Friday?", "SM-1", BadInputTest.NOW);
      assertThat(DatabaseInvariants.violations(url)).isEmpty();

      try (var c = db.dataSource().getConnection()) {
        var st = c.createStatement();
        // A task moved to another patient, and an ended plan that still wakes up (and still has
        // its reply case open).
        st.executeUpdate(
            "update task set patient_id = (select min(id) from patient where id <> task.patient_id)");
        st.executeUpdate(
            "update plan set status = 'ENDED' where id = (select min(id) from plan where next_wakeup_at is not null)");
        c.commit();
        assertThat(DatabaseInvariants.violations(url))
            .hasSize(3)
            .anyMatch(v -> v.startsWith("a task is about its plan's patient: rows ["))
            .anyMatch(v -> v.startsWith("a plan that ended has no open case but worse symptoms"))
            .anyMatch(v -> v.startsWith("a plan that is not active has no wake-up: rows ["));
      }
    }
  }
}
