package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import org.careloop.adapters.jdbc.Database;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Free text written in plain by an earlier careloop is encrypted in place when it upgrades. */
class FreeTextMigrationTest {
  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void timelineTaskAndBoardText_fromBefore_areEncryptedAndReadTheSame(String kind)
      throws Exception {
    String url = TestDatabases.newUrl(kind, "text");
    var cipher = TestDatabases.CIPHER;
    try (var ds = new com.zaxxer.hikari.HikariDataSource()) {
      ds.setJdbcUrl(url);
      if (kind.equals("h2")) ds.setUsername("sa");
      Database.migrateTo(ds, cipher, "8");
      try (var c = ds.getConnection();
          var st = c.createStatement()) {
        st.execute(
            "insert into practice (id, name, time_zone) values ('default', 'Riverside', 'America/New_York')");
        st.execute(
            "insert into patient (id, practice_id, source_key, first_name, last_name, time_zone, created_at, updated_at)"
                + " values ('pt-old', 'default', 'csv:patient:MRN1', '"
                + cipher.encrypt("patient.first_name", "Ana")
                + "', '"
                + cipher.encrypt("patient.last_name", "Diaz")
                + "', 'America/New_York', current_timestamp, current_timestamp)");
        st.execute(
            "insert into plan (id, practice_id, patient_id, source_key, provider, protocol_id, protocol_version, status, state, version, created_at, updated_at)"
                + " values ('pl-old', 'default', 'pt-old', 'csv:MRN1:lab', 'Dr. Ruiz', 'treatment-plan-follow-up', 1, 'ACTIVE', 'x', 0, current_timestamp, current_timestamp)");
        st.execute(
            "insert into timeline_entry (plan_id, occurred_at, kind, detail) values"
                + " ('pl-old', current_timestamp, 'event', 'patient replied: my chest hurts')");
        st.execute(
            "insert into task (idempotency_key, plan_id, patient_id, lane, priority, title, detail, status, respond_by, created_at, escalation_reason)"
                + " values ('pl-old:t1', 'pl-old', 'pt-old', 'MONITORING', 'URGENT', 'Patient reports worse symptoms: call now', '"
                + cipher.encrypt("task.detail", "chest pain")
                + "', 'OPEN', current_timestamp, current_timestamp, 'worse symptoms')");
        st.execute(
            "insert into board_entry (plan_id, occurred_at, summary) values ('pl-old', current_timestamp, 'Ana Diaz: HbA1c lab overdue')");
        if (!c.getAutoCommit()) c.commit();
      }
    }
    try (var db = Database.open(url, 2, cipher)) {
      var q = new Queries(db.dataSource());
      for (String column :
          new String[] {
            "timeline_entry.detail", "task.title", "task.escalation_reason", "board_entry.summary"
          }) {
        var parts = column.split("\\.");
        var stored = q.rows("select " + parts[1] + " from " + parts[0]);
        assertThat(stored).as(column).hasSize(1);
      }
      // Stored encrypted (a raw read shows ciphertext where Queries does not decrypt)...
      assertThat(q.rows("select escalation_reason as raw from task"))
          .singleElement()
          .satisfies(r -> assertThat(r.get(0)).startsWith("enc1:"));
      assertThat(q.rows("select summary as raw from board_entry"))
          .singleElement()
          .satisfies(r -> assertThat(r.get(0)).startsWith("enc1:"));
      // ...and read as they were written.
      assertThat(q.strings("select detail from timeline_entry"))
          .containsExactly("patient replied: my chest hurts");
      assertThat(q.strings("select title from task"))
          .containsExactly("Patient reports worse symptoms: call now");
      assertThat(q.strings("select escalation_reason from task")).containsExactly("worse symptoms");
      assertThat(q.strings("select summary from board_entry"))
          .containsExactly("Ana Diaz: HbA1c lab overdue");
      assertThat(q.strings("select detail as raw from timeline_entry"))
          .singleElement()
          .satisfies(v -> assertThat(v).startsWith("enc1:"));
    }
  }
}
