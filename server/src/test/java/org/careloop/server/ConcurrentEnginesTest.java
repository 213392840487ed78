package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Two engine processes' worth of pools and pollers on one PostgreSQL never run a wake-up twice. */
class ConcurrentEnginesTest {
  static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");

  @Test
  void twoEnginesOnOnePostgres_fireEachWakeupExactlyOnce() throws Exception {
    String url = Pg.newSchema("concurrent");
    int plans = 400;
    try (var a = Opened.careloop(url, Optional.of("real"), Optional.empty(), 4);
        var b = Opened.careloop(url, Optional.empty(), Optional.empty(), 4)) {
      a.importer().importBatch(SampleLoad.plans(plans, T0), T0);
      Instant at = T0.plus(Duration.ofDays(22)); // check-ins of days 7, 14 and 21 are due
      var pool = Executors.newFixedThreadPool(4);
      Callable<Integer> runA = () -> a.runner().runDue(at).wakeups();
      Callable<Integer> runB = () -> b.runner().runDue(at).wakeups();
      var results = pool.invokeAll(java.util.List.of(runA, runB, runA, runB));
      int fired = 0;
      for (var r : results) fired += r.get();
      pool.shutdown();
      var ds = a.database().dataSource();
      // Every plan woke once, on exactly one engine: the day-7 check-in went out and the
      // frequency cap held the later two back, each with its reason.
      assertThat(fired).isEqualTo(plans);
      assertThat(Pg.timelineMatching(ds, java.util.Optional.empty(), "%: day-7 check-in%"))
          .isEqualTo(plans);
      assertThat(
              Pg.timelineMatching(
                  ds,
                  java.util.Optional.of("deferred"),
                  "checkin:lab:d21: not sent now, frequency cap%"))
          .isEqualTo(plans);
      assertThat(
              Pg.count(
                  ds,
                  "select count(*) from outbox where idempotency_key like '%:checkin:lab:d14:EMAIL'"))
          .isZero();
      assertThat(Pg.count(ds, "select count(*) from plan where version <> 1")).isZero();
      // Every message sent went out once. The intakes went out late (at this catch-up, not at
      // import), so each day-7 check-in due at the same moment waits a day for the cap: the cap
      // is checked again at send, over what was really sent.
      assertThat(Pg.count(ds, "select count(*) from sandbox_message"))
          .isEqualTo(Pg.count(ds, "select count(*) from outbox where status = 'SENT'"))
          .isEqualTo(plans);
      assertThat(Pg.count(ds, "select count(distinct idempotency_key) from sandbox_message"))
          .isEqualTo(plans);
      assertThat(Pg.count(ds, "select count(*) from outbox where status = 'PENDING'"))
          .isEqualTo(plans);
    }
  }
}
