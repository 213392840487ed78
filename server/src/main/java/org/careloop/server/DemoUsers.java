package org.careloop.server;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.careloop.adapters.csv.WeeklyExportReader;
import org.careloop.app.Practice;

/**
 * The demo's people, and a second practice with a few cases of its own, so the workspace shows that
 * each practice sees only its own patients.
 */
final class DemoUsers {
  /** Every demo user's password (a demo database only: never a real one). */
  static final String PASSWORD = "careloop-demo";

  static final String LAKESIDE = "lakeside";

  private DemoUsers() {}

  static void load(Careloop careloop, Instant today) {
    String riverside = Careloop.DEFAULT_PRACTICE;
    Accounts.save(
        careloop, riverside, "cora", "Cora Reyes", "coordinator", PASSWORD, Optional.empty());
    Accounts.save(careloop, riverside, "nina", "Nina Brooks", "nurse", PASSWORD, Optional.empty());
    Accounts.save(
        careloop,
        riverside,
        "dr.martinez",
        "Dr. Elena Martinez",
        "provider",
        PASSWORD,
        Optional.empty());
    Accounts.save(
        careloop,
        riverside,
        "max",
        "Max Okafor",
        "manager",
        PASSWORD,
        Optional.of("max@riverside.example"));
    Accounts.save(careloop, riverside, "ada", "Ada Lin", "admin", PASSWORD, Optional.empty());
    var zone = ZoneId.of("America/Chicago");
    careloop.upsertPractice(
        new Practice(
            LAKESIDE,
            "Lakeside Dental",
            zone,
            Optional.of("+13125550100"),
            Optional.of("https://lakeside.example/book")));
    Accounts.save(
        careloop, LAKESIDE, "lena", "Lena Novak", "coordinator", PASSWORD, Optional.empty());
    Accounts.save(
        careloop,
        LAKESIDE,
        "lou",
        "Lou Becker",
        "manager",
        PASSWORD,
        Optional.of("lou@lakeside.example"));
    String csv =
        """
        patient_id,name,phone,email,provider,follow_up_type,due_date,flags
        LK1,Omar Haddad,312-555-0141,,Dr. Singh,follow-up visit,2026-12-15,high risk
        LK2,Ines Duarte,312-555-0142,,Dr. Singh,imaging,2026-12-20,high risk
        LK3,Theo Grant,312-555-0143,,Dr. Singh,lab,2026-12-05,high risk
        """;
    careloop
        .importer()
        .importBatch(
            new WeeklyExportReader(LAKESIDE, zone, "US").read(csv, "lakeside.csv", today), today);
  }
}
