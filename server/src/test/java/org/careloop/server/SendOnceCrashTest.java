package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.careloop.adapters.jdbc.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each text is sent once through a crash: 300 patients' texts are due, Twilio (a local stub) takes
 * 50 ms a message, and careloop is killed (kill -9) or its PostgreSQL restarted in the middle of
 * the batch; afterwards every patient has exactly one text, the ones cut off in flight found
 * through Twilio's list of messages instead of being sent again.
 */
class SendOnceCrashTest {
  static final int PATIENTS = 300;

  /** A weekly export with {@link #PATIENTS} patients, each with a distinct mobile number. */
  static Path export(Path dir) throws Exception {
    var csv = new StringBuilder("patient_id,name,phone,provider,follow_up_type,due_date\n");
    String[] areas = {"617", "508", "781"};
    for (int i = 0; i < PATIENTS; i++)
      csv.append("C")
          .append(i)
          .append(",Pat Lee,")
          .append(areas[i / 100])
          .append("-555-01")
          .append(String.format("%02d", i % 100))
          .append(",Dr. Chen,lab,2027-03-01\n");
    Path file = dir.resolve("export.csv");
    Files.writeString(file, csv);
    return file;
  }

  /** Imports the export on a simulated clock at 10:00 in New York: every intake text is due. */
  static void prepare(String url, Path dir) throws Exception {
    var r =
        CommandLineTest.run(
            "import",
            "csv",
            export(dir).toString(),
            "--db",
            url,
            "--clock",
            "simulated",
            "--start",
            "2026-12-01T15:00:00Z");
    assertThat(r.code()).as(r.err()).isZero();
    try (var db = Database.open(url, 2, DatabaseSetup.cipherFor(url))) {
      assertThat(pending(db)).isEqualTo(PATIENTS);
    }
  }

  static long pending(Database db) throws Exception {
    return Pg.count(
        db.dataSource(),
        "select count(*) from outbox where kind = 'MESSAGE' and status in ('PENDING', 'SENDING')");
  }

  static Process serve(String url, Path log, TwilioStub twilio) throws Exception {
    return KillRestartTest.serve(
        url,
        log,
        "CARELOOP_SMS=twilio",
        "TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000",
        "TWILIO_AUTH_TOKEN=crash-test-token",
        "CARELOOP_TWILIO_API_URL=" + twilio.baseUrl(),
        "CARELOOP_TWILIO_SENDER=+16175550199",
        "careloop.public-url=https://careloop.example.org");
  }

  static void awaitSent(TwilioStub twilio, int atLeast, Process serve, Path log) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (twilio.sent().size() < atLeast) {
      assertThat(serve.isAlive()).as("serve died: " + Files.readString(log)).isTrue();
      assertThat(System.nanoTime()).as("Twilio got too few texts in 60 s").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  /**
   * Opens the embedded database beside a serve process that is starting. serve opens the file
   * before its web server starts, so the test waits for this start's "careloop is running" line
   * ({@code starts} of them in the shared log) and then opens it as a client of serve's automatic
   * server. H2 can still refuse for a moment ("already in use", "another process was faster") while
   * the file changes hands; that is retried, as long as serve lives, for at most 60 s.
   */
  static Database openBeside(String url, Process serve, Path log, int starts) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (Files.readString(log).split("careloop is running at", -1).length - 1 < starts) {
      assertThat(serve.isAlive()).as("serve died: " + Files.readString(log)).isTrue();
      assertThat(System.nanoTime()).as("serve did not start in 60 s").isLessThan(deadline);
      Thread.sleep(100);
    }
    while (true) {
      try {
        return Database.open(url, 2, DatabaseSetup.cipherFor(url));
      } catch (IllegalStateException e) {
        String why = String.valueOf(e.getMessage());
        boolean race = why.contains("already in use") || why.contains("Another process was faster");
        if (!race || System.nanoTime() > deadline) throw e;
        assertThat(serve.isAlive()).as("serve died: " + Files.readString(log)).isTrue();
        Thread.sleep(200);
      }
    }
  }

  /** Waits until nothing is pending or in flight, then checks each patient has one text. */
  static void awaitEveryPatientTextedOnce(
      String url, TwilioStub twilio, Process serve, Path log, int starts) throws Exception {
    try (var db = openBeside(url, serve, log, starts)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (pending(db) > 0) {
        assertThat(serve.isAlive()).as("serve died: " + Files.readString(log)).isTrue();
        assertThat(System.nanoTime())
            .as("not all texts settled in 120 s: " + pending(db) + " left")
            .isLessThan(deadline);
        Thread.sleep(100);
      }
      Map<String, Integer> perNumber = new HashMap<>();
      for (var s : twilio.sent()) perNumber.merge(s.to(), 1, Integer::sum);
      assertThat(perNumber).hasSize(PATIENTS);
      assertThat(perNumber.values()).as("texts per patient").containsOnly(1);
      assertThat(
              Pg.count(
                  db.dataSource(),
                  "select count(*) from outbox where kind = 'MESSAGE' and status = 'SENT'"))
          .isEqualTo(PATIENTS);
      // Each row records the message Twilio has, by its id.
      var sids =
          Pg.strings(db.dataSource(), "select provider_id from outbox where kind = 'MESSAGE'");
      assertThat(sids)
          .doesNotContainNull()
          .containsExactlyInAnyOrderElementsOf(
              twilio.sent().stream().map(TwilioStub.Sent::sid).toList());
    }
  }

  @Test
  void killDashNineMidBatch_thenRestart_everyPatientGetsExactlyOneText(@TempDir Path dir)
      throws Exception {
    String url = Database.h2Url(dir.resolve("db"));
    prepare(url, dir);
    Path log = dir.resolve("serve.log");
    try (var twilio = new TwilioStub(50)) {
      var first = serve(url, log, twilio);
      awaitSent(twilio, 100, first, log);
      first.destroyForcibly().waitFor(); // SIGKILL, with a send in flight or about to be
      int beforeRestart = twilio.sent().size();
      assertThat(beforeRestart).as("the kill came mid-batch").isLessThan(PATIENTS);
      var second = serve(url, log, twilio);
      try {
        // The log holds both starts: the killed one's and this one's.
        awaitEveryPatientTextedOnce(url, twilio, second, log, 2);
      } finally {
        second.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void postgresRestartMidBatch_everyPatientGetsExactlyOneText(@TempDir Path dir) throws Exception {
    try (var cluster = PgCluster.create("careloop_crash")) {
      String url = cluster.url();
      prepare(url, dir);
      Path log = dir.resolve("serve.log");
      try (var twilio = new TwilioStub(50)) {
        var serve = serve(url, log, twilio);
        try {
          awaitSent(twilio, 100, serve, log);
          cluster.restart();
          assertThat(twilio.sent().size()).as("the restart came mid-batch").isLessThan(PATIENTS);
          awaitEveryPatientTextedOnce(url, twilio, serve, log, 1);
        } finally {
          serve.destroyForcibly().waitFor();
        }
      }
    }
  }

  /** Command output, or a failure naming it. */
  static String run(List<String> command) throws Exception {
    var p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    return out;
  }
}
