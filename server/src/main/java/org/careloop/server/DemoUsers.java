package org.careloop.server;

import java.time.ZoneId;
import java.util.Optional;
import org.careloop.app.Practice;

/**
 * The demo's people: Riverside's, and those of a second practice, Lakeside Dental, whose cases the
 * workspace keeps apart from Riverside's.
 */
final class DemoUsers {
  /** Every demo user's password (a demo database only: never a real one). */
  static final String PASSWORD = "careloop-demo";

  static final String LAKESIDE = "lakeside";

  private DemoUsers() {}

  static void load(Careloop careloop) {
    String riverside = Careloop.DEFAULT_PRACTICE;
    Accounts.save(
        careloop, riverside, "cora", "Cora Reyes", "coordinator", PASSWORD, Optional.empty());
    Accounts.save(careloop, riverside, "nina", "Nina Brooks", "nurse", PASSWORD, Optional.empty());
    Accounts.save(
        careloop, riverside, "fran", "Fran Dubois", "front-desk", PASSWORD, Optional.empty());
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
  }
}
