package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.careloop.adapters.jdbc.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The careloop command as acceptance checks use it: names, exit codes, clear errors. */
class CommandLineTest {
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    // The database the command works on is checked against the invariants after the test.
    for (int i = 0; i + 1 < args.length; i++)
      if (args[i].equals("--db"))
        org.careloop.adapters.DatabaseInvariants.opened(
            DatabaseSetup.resolveUrl(java.util.Optional.of(args[i + 1])));
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    var oldOut = System.out;
    var oldErr = System.err;
    System.setOut(new PrintStream(out, true));
    System.setErr(new PrintStream(err, true));
    try {
      int code = CareloopCommand.execute(args);
      return new Run(code, out.toString(), err.toString());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** The first plan id in {@code careloop plans --json} output. */
  static String firstPlanId(String plansJson) {
    return plansJson
        .lines()
        .filter(l -> l.contains("\"id\""))
        .findFirst()
        .orElseThrow()
        .replaceAll(".*\"(pl-[0-9a-f]+)\".*", "$1");
  }

  static final Path DATA = Path.of(System.getProperty("careloop.shared.data", "../../shared/data"));

  @Test
  void advance_onARealClockDatabase_isRefusedWithExit2(@TempDir Path dir) {
    String db = Database.h2Url(dir);
    assertThat(run("plans", "--db", db).code()).isZero();
    var r = run("advance", "--db", db, "--to", "2030-01-01T00:00:00Z");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("advance needs a database created with --clock simulated");
  }

  @Test
  void importThenAdvance_onASimulatedClock_showsPlansTasksAndGaps(@TempDir Path dir)
      throws Exception {
    String db = Database.h2Url(dir);
    var imp =
        run(
            "import",
            "fhir",
            DATA.resolve("fhir/synthea").toString(),
            "--db",
            db,
            "--clock",
            "simulated",
            "--start",
            "2026-03-02T15:00:00Z");
    assertThat(imp.code()).as(imp.err()).isZero();
    assertThat(imp.out()).contains("Milan_Beatty").contains("5 plan(s) created");
    var adv = run("advance", "--db", db, "--to", "2026-05-01T15:00:00Z");
    assertThat(adv.code()).as(adv.err()).isZero();
    assertThat(adv.out()).startsWith("clock at 2026-05-01T15:00:00Z:");
    var plans = run("plans", "--json", "--db", db);
    assertThat(plans.out()).contains("\"status\" : \"ACTIVE\"");
    var tasks = run("tasks", "--db", db);
    assertThat(tasks.out()).contains("Care gap: ");
    var gaps = run("report", "care-gaps", "--format", "csv", "--db", db);
    assertThat(gaps.out().lines().findFirst())
        .contains(
            "tier,days_overdue,plan_id,patient,provider,step,description,due_date,reason,outreach_attempts");
    assertThat(gaps.out().lines().count()).isGreaterThan(1);
    String planId = firstPlanId(plans.out());
    var plan = run("plan", planId, "--db", db);
    assertThat(plan.out())
        .contains("milestones:")
        .contains("timeline:")
        .contains("plan ordered with");
    var sandbox = run("sandbox", "--limit", "500", "--db", db);
    assertThat(sandbox.out())
        .contains("SMS")
        .contains("to +1555")
        .contains("Reply STOP to opt out.")
        .contains("EHR_INBOX")
        .contains(" message(s)");
  }

  @Test
  void careGapCsv_writesANameThatLooksLikeAFormula_asText(@TempDir Path dir) throws Exception {
    String db = Database.h2Url(dir.resolve("db"));
    var csv = dir.resolve("w.csv");
    Files.writeString(
        csv,
        "name,phone,follow_up_type,due_date\n"
            + "\"=HYPERLINK(\"\"http://evil.example\"\";\"\"x\"\") Lee\",6175550101,lab,2026-03-01\n");
    var imp =
        run(
            "import",
            "csv",
            csv.toString(),
            "--db",
            db,
            "--clock",
            "simulated",
            "--start",
            "2026-03-02T15:00:00Z");
    assertThat(imp.code()).as(imp.err()).isZero();
    assertThat(run("advance", "--db", db, "--to", "2026-04-15T15:00:00Z").code()).isZero();
    var gaps = run("report", "care-gaps", "--format", "csv", "--db", db);
    assertThat(gaps.code()).as(gaps.err()).isZero();
    var rows = gaps.out().lines().skip(1).toList();
    assertThat(rows).isNotEmpty();
    for (String row : rows) {
      assertThat(row).doesNotContain(",=").doesNotContain(",\"=");
      assertThat(row).contains("'=HYPERLINK(");
    }
  }

  @Test
  void listingsAndReportsAreAudited_andAuditVerifyNamesAChangedEvent(@TempDir Path dir)
      throws Exception {
    String db = Database.h2Url(dir.resolve("db"));
    var csv = dir.resolve("w.csv");
    Files.writeString(
        csv, "name,phone,follow_up_type,due_date\nSam Lee,6175550101,lab,2026-03-01\n");
    assertThat(run("import", "csv", csv.toString(), "--db", db).code()).isZero();
    assertThat(run("plans", "--db", db, "--by", "ops").code()).isZero();
    assertThat(run("report", "care-gaps", "--db", db, "--by", "ops").code()).isZero();
    var trail = run("audit", "--csv", "--actor", "ops", "--db", db);
    assertThat(trail.code()).as(trail.err()).isZero();
    assertThat(trail.out()).contains(",ops,plans.view,").contains(",ops,care-gaps.report,");
    var ok = run("audit", "verify", "--db", db);
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).startsWith("audit chain intact: ");

    try (var d = Database.open(db, 2, DatabaseSetup.cipherFor(db));
        var c = d.dataSource().getConnection()) {
      c.createStatement()
          .executeUpdate("update audit_event set actor = 'someone else' where seq = 1");
      c.commit();
    }
    var broken = run("audit", "verify", "--db", db);
    assertThat(broken.code()).isEqualTo(1);
    assertThat(broken.err()).contains("event 1 was changed");
  }

  @Test
  void keyRotate_onAnEmbeddedDatabase_swapsItsKeyFile_andEverythingStillReads(@TempDir Path dir)
      throws Exception {
    // The embedded database's own key file, as a practice runs it (the tests' fixed key aside).
    String testKey = System.clearProperty("careloop.key");
    try {
      Path folder = dir.resolve("db");
      String db = Database.h2Url(folder);
      var csv = dir.resolve("w.csv");
      Files.writeString(
          csv, "name,phone,follow_up_type,due_date\nSam Lee,6175550101,lab,2026-03-01\n");
      assertThat(run("import", "csv", csv.toString(), "--db", db).code()).isZero();
      String before = Files.readString(folder.resolve("careloop.key"));

      var rotated = run("key", "rotate", "--db", db, "--by", "ops");
      assertThat(rotated.code()).as(rotated.err()).isZero();
      assertThat(rotated.out()).contains("careloop.key holds the new key now");
      assertThat(Files.readString(folder.resolve("careloop.key"))).isNotEqualTo(before);
      try (var files = Files.list(folder)) {
        var retired =
            files
                .filter(f -> f.getFileName().toString().startsWith("careloop.key.retired-"))
                .toList();
        assertThat(retired)
            .singleElement()
            .satisfies(f -> assertThat(Files.readString(f)).isEqualTo(before));
      }
      assertThat(folder.resolve("careloop.key.new")).doesNotExist();

      var plans = run("plans", "--db", db);
      assertThat(plans.code()).as(plans.err()).isZero();
      assertThat(plans.out()).contains("Sam Lee");
      assertThat(run("audit", "verify", "--db", db).code()).isZero();
      assertThat(run("audit", "--actor", "ops", "--db", db).out()).contains("key.rotate");
    } finally {
      System.setProperty("careloop.key", testKey);
    }
  }

  @Test
  void badInput_exits2_namingTheFile_andStoresNothing(@TempDir Path dir) throws Exception {
    String db = Database.h2Url(dir);
    var bad = dir.resolve("bad.json");
    Files.copy(
        DATA.resolve("fhir/invalid/observation-decimal-element-with-leading-plus.json"), bad);
    var r = run("import", "fhir", bad.toString(), "--db", db);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(bad + ": not valid FHIR R4 JSON: not JSON at line");
    var csv = dir.resolve("w.csv");
    Files.writeString(
        csv, "name,phone,follow_up_type,due_date\nSarah Lee,6175550101,lab,2026-02-30\n");
    var c = run("import", "csv", csv.toString(), "--db", db);
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).contains(csv + ":2, column due_date: '2026-02-30' is not a date");
    assertThat(run("plans", "--db", db).out()).contains("0 plan(s)");
  }

  @Test
  void unknownCommand_exits2() {
    assertThat(run("frobnicate").code()).isEqualTo(2);
  }

  @Test
  void syntheaCsvExportFolder_importsActivePlansOfLivingPatients_andReimportChangesNothing(
      @TempDir Path dir) {
    String db = Database.h2Url(dir);
    // A simulated clock inside the allowed hours: the intake (and its task) happens at import,
    // whatever the time of day the test runs.
    var r =
        run(
            "import",
            "csv",
            DATA.resolve("csv/synthea").toString(),
            "--db",
            db,
            "--clock",
            "simulated",
            "--start",
            "2026-12-01T15:00:00Z");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("careplans.csv: ")
        .contains("encounters.csv: part of a Synthea export");
    int created =
        Integer.parseInt(
            r.out()
                .replaceAll(
                    "(?s).*careplans.csv: \\d+ patient\\(s\\), (\\d+) plan\\(s\\) created.*",
                    "$1"));
    // 34 of the 49 care plans have no STOP: still active, and none belongs to a deceased patient.
    assertThat(created).isEqualTo(34);
    assertThat(r.out()).contains("careplans.csv:3: not active at the source");
    var again = run("import", "csv", DATA.resolve("csv/synthea").toString(), "--db", db);
    assertThat(again.out()).contains(", 0 plan(s) created, 0 updated, " + created + " unchanged");
    assertThat(run("tasks", "--db", db).out())
        .contains("Call the patient: no mobile number or email on file");
  }
}
