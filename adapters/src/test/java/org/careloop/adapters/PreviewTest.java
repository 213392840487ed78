package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.TreeMap;
import org.careloop.app.engine.Engine;
import org.careloop.app.engine.Preview;
import org.junit.jupiter.api.Test;

/**
 * {@code careloop protocol preview}: what it predicts is what then happens when nothing else does,
 * and predicting writes and sends nothing.
 */
class PreviewTest {
  static final Instant T0 = BadInputTest.NOW;
  static final ZoneId ZONE = ZoneId.of("America/New_York");

  @Test
  void thePreview_isWhatTheEngineThenDoes_andChangesNothing() throws Exception {
    try (var db = TestDatabases.open("h2")) {
      var store = TestDatabases.storeWithPractice(db);
      var engine = new Engine(Shipped.protocols());
      // Due dates spread so check-ins, gaps and tasks fall inside the three weeks; two plans of one
      // patient share the frequency caps.
      DispatcherTest.importRow(store, engine, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-03-10");
      DispatcherTest.importRow(
          store, engine, "MRN2,Ana Diaz,,ana@example.org,Dr. M,imaging,,2026-03-20");
      DispatcherTest.importRow(
          store, engine, "MRN3,Tom Hill,617-555-0103,tom@example.org,Dr. M,referral,,2026-04-15");
      DispatcherTest.importRow(
          store, engine, "MRN1,Sarah Lee,617-555-0101,,Dr. M,therapy,,2026-03-05");
      var q = new Queries(db.dataSource());
      long outboxBefore = q.count("select count(*) from outbox");
      long timelineBefore = q.count("select count(*) from timeline_entry");
      String wakeups =
          q.strings("select id || ' ' || next_wakeup_at from plan order by id").toString();

      var preview = Preview.of(store, engine.protocols(), T0, Duration.ofDays(21), ZONE);
      assertThat(preview.plans()).isEqualTo(4);
      assertThat(q.count("select count(*) from outbox")).isEqualTo(outboxBefore);
      assertThat(q.count("select count(*) from timeline_entry")).isEqualTo(timelineBefore);
      assertThat(q.strings("select id || ' ' || next_wakeup_at from plan order by id").toString())
          .isEqualTo(wakeups);

      var predicted = new TreeMap<String, Integer>();
      for (var r : preview.rows())
        if (!r.what().equals("PROVIDER"))
          predicted.merge(r.day() + " " + r.what(), r.count(), Integer::sum);
      assertThat(predicted).isNotEmpty();

      DispatcherTest.sandboxRunner(store, engine, T0)
          .advance(T0, T0.plus(Duration.ofDays(21)), t -> {});
      var happened = new TreeMap<String, Integer>();
      for (var row :
          q.strings(
              "select created_at || '|' || channel from outbox where kind = 'MESSAGE' and created_at > ?",
              java.time.OffsetDateTime.ofInstant(T0, java.time.ZoneOffset.UTC))) {
        var parts = row.split("\\|");
        happened.merge(day(parts[0]) + " " + parts[1], 1, Integer::sum);
      }
      for (var row :
          q.strings(
              "select created_at from task where created_at > ?",
              java.time.OffsetDateTime.ofInstant(T0, java.time.ZoneOffset.UTC)))
        happened.merge(day(row) + " TASK", 1, Integer::sum);
      assertThat(predicted).isEqualTo(happened);
    }
  }

  static String day(String timestamp) {
    return Queries.at(timestamp, ZONE).toLocalDate().toString();
  }
}
