package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.adapters.jdbc.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code careloop serve} killed with SIGKILL while wake-ups are due, then restarted: every due
 * effect exists exactly once, the same set a run without the kill produces.
 */
class KillRestartTest {
  static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
  static final int PLANS = 3000;

  /** A database whose simulated clock stands 30 days after PLANS plans were imported. */
  static String prepare(String url) {
    try (var c = Opened.careloop(url, Optional.of("simulated"), Optional.of(T0), 4)) {
      c.importer().importBatch(SampleLoad.plans(PLANS, T0), T0);
      c.runner().runDue(T0);
      c.database().putSetting("clock.now", T0.plus(Duration.ofDays(30)).toString());
    }
    return url;
  }

  static Process serve(String url, Path log, String... systemProperties) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    var command = new java.util.ArrayList<String>();
    command.add(java);
    command.add("-Dcareloop.key=" + System.getProperty("careloop.key"));
    // A killed process's message in flight is reconciled after this lease.
    command.add("-DCARELOOP_SENDING_LEASE=2s");
    for (String p : systemProperties) command.add("-D" + p);
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "org.careloop.server.CareloopCommand",
            "serve",
            "--db",
            url,
            "--port",
            "0"));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  static boolean settled(javax.sql.DataSource ds, Instant now) throws Exception {
    return Pg.count(
                ds,
                "select count(*) from plan where next_wakeup_at <= timestamp with time zone '"
                    + now
                    + "'")
            == 0
        && Pg.count(ds, "select count(*) from outbox where status in ('PENDING', 'SENDING')") == 0;
  }

  @Test
  void killDashNine_whileWakeupsAreDue_thenRestart_everyEffectExactlyOnce(@TempDir Path tmp)
      throws Exception {
    Instant now = T0.plus(Duration.ofDays(30));
    String reference = prepare(Pg.newSchema("killref"));
    try (var c = Opened.careloop(reference, Optional.empty(), Optional.empty(), 4)) {
      c.runner().runDue(now);
    }
    String url = prepare(Pg.newSchema("kill"));
    Path log = tmp.resolve("serve.log");
    try (var db = Database.open(url, 2, DatabaseSetup.cipherFor(url))) {
      var ds = db.dataSource();
      long before = Pg.count(ds, "select count(*) from outbox");
      var first = serve(url, log);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (Pg.count(ds, "select count(*) from outbox") == before) {
        assertThat(first.isAlive()).as("serve died early: " + Files.readString(log)).isTrue();
        assertThat(System.nanoTime()).as("serve fired nothing in 60 s").isLessThan(deadline);
        Thread.sleep(10);
      }
      first.destroyForcibly().waitFor(); // SIGKILL
      // The kill came while work was still due: otherwise this test would prove nothing.
      assertThat(settled(ds, now)).as("all work was done before the kill").isFalse();

      var second = serve(url, log);
      try {
        deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!settled(ds, now)) {
          assertThat(second.isAlive())
              .as("restarted serve died: " + Files.readString(log))
              .isTrue();
          assertThat(System.nanoTime())
              .as("restart did not catch up in 120 s")
              .isLessThan(deadline);
          Thread.sleep(50);
        }
      } finally {
        second.destroyForcibly().waitFor();
      }
      List<String> keys =
          Pg.strings(ds, "select idempotency_key from outbox order by idempotency_key");
      try (var ref = Database.open(reference, 2, DatabaseSetup.cipherFor(reference))) {
        var expected =
            Pg.strings(
                ref.dataSource(), "select idempotency_key from outbox order by idempotency_key");
        assertThat(keys).hasSize(expected.size()).isEqualTo(expected);
        assertThat(Pg.count(ds, "select count(*) from timeline_entry"))
            .isEqualTo(Pg.count(ref.dataSource(), "select count(*) from timeline_entry"));
      }
      assertThat(Pg.count(ds, "select count(*) from sandbox_message")).isEqualTo(keys.size());
      assertThat(Pg.count(ds, "select count(*) from outbox where status <> 'SENT'")).isZero();
    }
  }

  /** The outbox a run without trouble produces. */
  static List<String> referenceKeys(Instant now) throws Exception {
    String reference = prepare(Pg.newSchema("ref"));
    try (var c = Opened.careloop(reference, Optional.empty(), Optional.empty(), 4)) {
      c.runner().runDue(now);
      return Pg.strings(
          c.database().dataSource(), "select idempotency_key from outbox order by idempotency_key");
    }
  }

  @Test
  void twoServeProcesses_onOnePostgres_fireEachWakeupOnce(@TempDir Path tmp) throws Exception {
    Instant now = T0.plus(Duration.ofDays(30));
    var expected = referenceKeys(now);
    String url = prepare(Pg.newSchema("twoproc"));
    Path log = tmp.resolve("serve.log");
    var a = serve(url, log);
    var b = serve(url, log);
    try (var db = Database.open(url, 2, DatabaseSetup.cipherFor(url))) {
      var ds = db.dataSource();
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (!settled(ds, now)) {
        assertThat(a.isAlive() && b.isAlive())
            .as("a serve process died: " + Files.readString(log))
            .isTrue();
        assertThat(System.nanoTime()).as("not settled in 120 s").isLessThan(deadline);
        Thread.sleep(50);
      }
      assertThat(Pg.strings(ds, "select idempotency_key from outbox order by idempotency_key"))
          .isEqualTo(expected);
      // Each plan decided its wake-up once: one day-7 check-in line and one held-back day-21
      // line per plan, never two.
      assertThat(Pg.timelineMatching(ds, java.util.Optional.empty(), "%: day-7 check-in%"))
          .isEqualTo(PLANS);
      assertThat(
              Pg.timelineMatching(ds, java.util.Optional.empty(), "checkin:lab:d21: not sent now%"))
          .isEqualTo(PLANS);
      assertThat(Pg.count(ds, "select count(*) from sandbox_message")).isEqualTo(expected.size());
    } finally {
      a.destroyForcibly().waitFor();
      b.destroyForcibly().waitFor();
    }
  }
}
