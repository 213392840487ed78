package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careloop.server.CommandLineTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.careloop.adapters.jdbc.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings a practice administrator makes from the command line reach the engine, bad values
 * are refused by name with nothing changed, and every change or view is in the audit trail.
 */
class AdminCommandsTest {

  @Test
  void practiceSettings_badValuesAreRefusedByName_goodOnesAreAudited(@TempDir Path dir) {
    String db = Database.h2Url(dir);
    assertThat(run("practice", "show", "--db", db).code()).isZero();
    for (var bad :
        new String[][] {
          {"--zone", "Mars/Olympus", "--zone 'Mars/Olympus' is not a time zone"},
          {"--sms-sender", "MG123", "--sms-sender 'MG123' is neither a Messaging Service SID"},
          {"--email-from", "care@", "--email-from 'care@' is not an email address"},
          {
            "--booking-url",
            "javascript:alert(1)",
            "--booking-url 'javascript:alert(1)' is not an http(s) URL"
          },
          {"--slot-search", "https://ehr.example/fhir/Patient", "is not a FHIR Slot search"},
          {"--cap-per-day", "4", "frequency caps need 1 ≤ per day ≤ per week, got 4/3"},
          {"--email-open-pixel", "yes", "--email-open-pixel takes on or off"},
          {"--appointment-value", "12.345", "--appointment-value '12.345' is not an amount"},
          {"--appointment-value", "-5", "--appointment-value '-5' is not an amount"}
        }) {
      var r = run("practice", "set", bad[0], bad[1], "--phone", "+16175550199", "--db", db);
      assertThat(r.code()).as(bad[0]).isEqualTo(2);
      assertThat(r.err()).as(bad[0]).contains(bad[2]);
    }
    // Nothing of the refused commands was stored, not even their valid --phone.
    assertThat(run("practice", "show", "--db", db).out()).contains("phone             -");
    assertThat(run("audit", "--db", db).out()).doesNotContain("practice.update");

    var set =
        run(
            "practice",
            "set",
            "--name",
            "Lakeside Dental",
            "--zone",
            "America/Chicago",
            "--sms-sender",
            "MG11111111111111111111111111111111",
            "--email-from",
            "Lakeside Dental <care@lakeside.example.org>",
            "--cap-per-day",
            "2",
            "--cap-per-week",
            "5",
            "--email-open-pixel",
            "on",
            "--slot-search",
            "https://ehr.example.org/fhir/Slot?schedule=Schedule/12",
            "--by",
            "admin:rosa",
            "--db",
            db);
    assertThat(set.code()).as(set.err()).isZero();
    assertThat(set.out())
        .contains(
            "changed: name, zone, sms-sender, email-from, email-open-pixel, slot-search,"
                + " cap-per-day, cap-per-week");
    var show = run("practice", "show", "--db", db).out();
    assertThat(show)
        .contains("practice default: Lakeside Dental")
        .contains("zone              America/Chicago")
        .contains("caps              2 a day, 5 a week")
        .contains("email open pixel  on")
        .contains("slot search       https://ehr.example.org/fhir/Slot?schedule=Schedule/12");
    assertThat(run("practice", "set", "--cap-per-day", "2", "--db", db).out())
        .contains("nothing changed");
    assertThat(run("practice", "set", "--slot-search", "none", "--db", db).out())
        .contains("changed: slot-search");
    // What a kept appointment is worth, for the dashboard's revenue figures.
    assertThat(run("practice", "set", "--appointment-value", "$180.50", "--db", db).out())
        .contains("changed: appointment-value");
    assertThat(run("practice", "show", "--db", db).out()).contains("appointment value $180.50");
    assertThat(run("practice", "set", "--appointment-value", "none", "--db", db).out())
        .contains("changed: appointment-value");
    assertThat(run("practice", "show", "--db", db).out()).contains("appointment value -");

    var audit = run("audit", "--db", db).out();
    assertThat(audit)
        .contains("admin:rosa")
        .contains("practice.update")
        .contains("(name, zone, sms-sender");
    // The audit says which settings changed, not their values.
    assertThat(audit).doesNotContain("care@lakeside").doesNotContain("ehr.example.org");
  }

  @Test
  void holiday_consent_andResume_reachTheEngine_andAreAudited(@TempDir Path dir) throws Exception {
    String db = Database.h2Url(dir);
    var csv = dir.resolve("week.csv");
    Files.writeString(
        csv,
        "patient_id,name,phone,email,provider,follow_up_type,preferred_window,due_date\n"
            + "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-04-01\n");
    // Monday 2026-03-02 10:00 in New York is a practice holiday.
    assertThat(
            run(
                    "practice",
                    "holiday",
                    "add",
                    "2026-03-02",
                    "--db",
                    db,
                    "--clock",
                    "simulated",
                    "--start",
                    "2026-03-02T15:00:00Z")
                .out())
        .contains("added 1 holiday(s)");
    assertThat(run("practice", "holiday", "add", "2026-13-01", "--db", db).err())
        .contains("'2026-13-01' is not a date such as 2026-12-25");
    assertThat(run("import", "csv", csv.toString(), "--db", db).code()).isZero();
    String planId = planId(db);
    var plan = run("plan", planId, "--db", db, "--by", "coord:ana").out();
    assertThat(plan).contains("practice holiday 2026-03-02").contains("deferred to 2026-03-03");

    assertThat(run("consent", "MRN9", "--marketing", "yes", "--db", db).err())
        .contains("no patient MRN9");
    var consent = run("consent", "MRN1", "--marketing", "yes", "--db", db, "--by", "coord:ana");
    assertThat(consent.code()).as(consent.err()).isZero();
    assertThat(consent.out()).contains("marketing consent recorded");

    var notPaused = run("resume", planId, "--db", db);
    assertThat(notPaused.code()).isEqualTo(2);
    assertThat(notPaused.err()).contains("is not paused");
    try (var c = Opened.careloop(db, java.util.Optional.empty(), java.util.Optional.empty(), 2)) {
      c.replies()
          .smsReceived(
              "+16175550101", "Can I come on Friday instead?", "SM-1", c.clock().instant());
    }
    var resumed = run("resume", planId, "--db", db, "--by", "coord:ana");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    assertThat(run("plan", planId, "--db", db).out()).contains("resumed by coord:ana");

    var audit = run("audit", "--db", db).out();
    assertThat(audit)
        .contains("practice.holiday.add")
        .contains("plan.view")
        .contains("patient.consent.marketing.given")
        .contains("plan.resume");
    assertThat(audit.lines().filter(l -> l.contains("coord:ana")).count()).isEqualTo(3);
  }

  private static String planId(String db) {
    return CommandLineTest.firstPlanId(run("plans", "--json", "--db", db).out());
  }
}
