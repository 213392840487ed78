package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.careloop.app.engine.Engine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One plan whose wake-up fails does not hold back the others in its batch. */
class UnreadablePlanTest {
  static final Instant T0 = BadInputTest.NOW;

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aPlanThatCannotBeRead_isDeferredAndRecorded_whileTheOthersFire(String kind)
      throws Exception {
    var f = SyntheaFollowUpTest.fixture(kind);
    try (var db = f.db()) {
      f.importer()
          .importBatch(
              BadInputTest.CSV.read(
                  BadInputTest.HEADER
                      + "MRN1,Ana One,617-555-0101,,Dr. M,lab,,2026-05-01\n"
                      + "MRN2,Ben Two,617-555-0102,,Dr. M,lab,,2026-05-01\n"
                      + "MRN3,Cy Three,617-555-0103,,Dr. M,lab,,2026-05-01\n",
                  "w.csv",
                  T0),
              T0);
      var q = new Queries(db.dataSource());
      try (var c = db.dataSource().getConnection()) {
        c.createStatement()
            .executeUpdate(
                "update plan set state = 'enc1:AAAAAAAAAAAAAAAAAAAAAAAAAAAA' where id = '"
                    + Queries.plan("csv:MRN2:lab")
                    + "'");
        c.commit();
      }
      Instant at = T0.plus(Duration.ofDays(8));
      f.runner().runDue(at);

      assertThat(q.matching("select id, detail from timeline_entry", "%: day-7 check-in%").size())
          .isEqualTo(2);
      assertThat(
              q.strings(
                  "select t.detail from timeline_entry t where t.plan_id = ? and t.kind = 'error'",
                  Queries.plan("csv:MRN2:lab")))
          .containsExactly(
              "wake-up failed (IllegalStateException); retrying at "
                  + at.plus(Engine.FAILED_WAKEUP_RETRY));
      assertThat(
              q.strings(
                      "select cast(next_wakeup_at as varchar(40)) from plan where id = ?",
                      Queries.plan("csv:MRN2:lab"))
                  .get(0))
          .isNotNull();
      assertThat(
              q.count(
                  "select count(*) from plan where next_wakeup_at <= timestamp with time zone '"
                      + at
                      + "'"))
          .isZero();
    }
  }
}
