package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careloop.server.CommandLineTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.careloop.adapters.fhir.athena.AthenaTestServer;
import org.careloop.adapters.jdbc.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An athenahealth practice connected by its changed-data feeds from the command line: made with its
 * client id and secret, tried (sign-in, each feed's subscription), polled (subscribed, its sample
 * changes imported, the cursors moved), and what such a connection cannot be said plainly.
 */
class AthenaConnectionTest {
  static final Path ATHENA = CommandLineTest.DATA.resolve("webhooks/athenahealth");

  @Test
  void connectedTriedAndPolled(@TempDir Path dir) throws Exception {
    String db = Database.h2Url(dir);
    var secretFile = dir.resolve("athena-secret");
    Files.writeString(secretFile, "athena-s3cret\n");
    try (var athena = AthenaTestServer.start("careloop-app", "athena-s3cret")) {
      var json = tools.jackson.databind.json.JsonMapper.builder().build();
      for (var p :
          json.readTree(Files.readString(ATHENA.resolve("ListChangedPatients.json")))
              .path("patients")
              .values()) athena.changed("patients", p);
      athena.changed(
          "appointments",
          json.readTree(
              """
              {"appointmentid": "3001", "appointmentstatus": "f", "date": "12/28/2026",
               "starttime": "14:15", "duration": 30, "patientid": "1",
               "appointmenttype": "Lab Draw", "lastmodified": "12/01/2026 09:00:00"}
              """));

      var connect =
          run(
              "ehr",
              "connect",
              "athena",
              "--athena-api",
              athena.api(),
              "--client-id",
              "careloop-app",
              "--client-secret-file",
              secretFile.toString(),
              "--db",
              db);
      assertThat(connect.code()).as(connect.err()).isZero();
      assertThat(connect.out())
          .contains("EHR connection athena: " + athena.api() + " (athenahealth, client-secret)");
      var test = run("ehr", "test", "athena", "--db", db);
      assertThat(test.code()).as(test.out() + test.err()).isZero();
      assertThat(test.out())
          .contains("ok    sign-in: client credentials: a token from http://127.0.0.1:")
          .contains("/oauth2/v1/token")
          .contains("ok    appointments feed: not subscribed yet");

      var poll = run("ehr", "poll", "athena", "--db", db);
      assertThat(poll.code()).as(poll.err()).isZero();
      assertThat(poll.out()).contains("read 1 Patient").contains("1 Appointment");
      assertThat(athena.subscribed("appointments")).isTrue();
      try (var c = Careloop.open(db, Optional.empty(), Optional.empty(), 2)) {
        assertThat(c.ehrSetup().show(Careloop.DEFAULT_PRACTICE, "athena").orElseThrow().cursors())
            .containsKeys("Patient", "Appointment");
      }
      assertThat(run("ehr", "test", "athena", "--db", db).out())
          .contains("ok    appointments feed: subscribed");
      assertThat(run("ehr", "show", "athena", "--db", db).out()).doesNotContain("athena-s3cret");

      // Said plainly: what an athenahealth connection cannot be.
      assertRefused(db, "https://api.platform.athenahealth.com/v1/195900", athena.api() + "/x");
      assertRefused(db, "needs --client-id", athena.api(), "--client-secret-file", "x");
      assertRefused(
          db,
          "its event notifications come to a FHIR connection",
          athena.api(),
          "--client-id",
          "a",
          "--client-secret-file",
          "x",
          "--notify-secret-env",
          "X");
      assertRefused(
          db,
          "careloop writes nothing to athenaOne",
          athena.api(),
          "--client-id",
          "a",
          "--client-secret-file",
          "x",
          "--staff-tasks",
          "ehr");
    }
  }

  /** {@code ehr connect x --athena-api} with {@code more} is refused, saying {@code why}. */
  private static void assertRefused(String db, String why, String... more) {
    var args = new ArrayList<>(List.of("ehr", "connect", "x", "--athena-api"));
    args.addAll(List.of(more));
    args.addAll(List.of("--db", db));
    var refused = run(args.toArray(String[]::new));
    assertThat(refused.code()).as(refused.out()).isEqualTo(2);
    assertThat(refused.err()).contains(why);
  }
}
