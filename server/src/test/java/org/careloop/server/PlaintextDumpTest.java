package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.careloop.adapters.jdbc.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole demo, worked by a coordinator, dumped as each database dumps itself (H2's SCRIPT,
 * PostgreSQL's pg_dump): no plaintext the demo holds (names, numbers, emails, step names, clinical
 * flags, notes, message texts, timeline) appears in the dump. Every value of every encrypted column
 * is decrypted with the key to know what to look for; the protocol definitions (not patient data)
 * are left out of the dump first.
 */
class PlaintextDumpTest {
  static final LocalDate AS_OF = LocalDate.parse("2026-11-23");

  /** A quarter of the demo's size: enough open cases for the coordinator to work. */
  static final String PATIENTS = "150";

  static final String WHY = "chest tightness since the new inhaler";

  /** Every encrypted column; plan state is JSON, of which the step descriptions are looked for. */
  static final List<String> ENCRYPTED = org.careloop.adapters.jdbc.EncryptedColumns.all();

  @Test
  void theDemoOnH2_leavesNoPlaintextInItsScript(@TempDir Path dir) throws Exception {
    Path folder = dir.resolve("demo");
    var demo =
        CommandLineTest.run(
            "demo",
            "--dir",
            folder.toString(),
            "--no-serve",
            "--as-of",
            AS_OF.toString(),
            "--patients",
            PATIENTS);
    assertThat(demo.code()).as(demo.err()).isZero();
    String url = Database.h2Url(folder);
    work(url);
    var dump = new StringBuilder();
    try (var db = Database.open(url, 2, DatabaseSetup.cipherFor(url));
        var c = db.dataSource().getConnection();
        var rs = c.createStatement().executeQuery("script")) {
      while (rs.next()) {
        String line = rs.getString(1);
        // The protocol definitions are the practice's programs, not patient data.
        if (!line.contains("PROTOCOL_VERSION")) dump.append(line).append('\n');
      }
      c.commit();
    }
    assertNoPlaintext(url, dump.toString());
  }

  @Test
  void theDemoOnPostgreSql_leavesNoPlaintextInPgDump() throws Exception {
    String url = Pg.newSchema("dump");
    var demo =
        CommandLineTest.run(
            "demo", "--db", url, "--no-serve", "--as-of", AS_OF.toString(), "--patients", PATIENTS);
    assertThat(demo.code()).as(demo.err()).isZero();
    work(url);
    String schema = url.replaceAll(".*currentSchema=", "");
    var pgDump =
        new ProcessBuilder(
                "pg_dump",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-d",
                "test",
                "-n",
                schema,
                "--no-owner")
            .redirectErrorStream(true)
            .start();
    String out = new String(pgDump.getInputStream().readAllBytes());
    assertThat(pgDump.waitFor()).as(out).isZero();
    // Leave out the protocol definitions' COPY block (the practice's programs, not patient data).
    String dump =
        Pattern.compile("(?s)COPY [^\\n]*protocol_version [^\\n]*\\n.*?\\n\\\\\\.\\n")
            .matcher(out)
            .replaceAll("");
    assertThat(dump).contains("COPY " + schema + ".timeline_entry");
    assertNoPlaintext(url, dump);
  }

  /** A coordinator documents cases in clinical words and escalates one. */
  static void work(String url) {
    try (var c = Opened.careloop(url, Optional.empty(), Optional.empty(), 2)) {
      var now = c.clock().instant();
      var cora = c.administration().person("cora").orElseThrow();
      var items =
          c.workspace().worklist(cora.practiceId(), org.careloop.app.WorkItem.Filter.NONE, now);
      assertThat(items).hasSizeGreaterThan(2);
      c.workspace()
          .document(
              cora,
              items.get(0).taskId(),
              new org.careloop.app.CaseNote(
                  now,
                  "",
                  "",
                  Optional.of("afraid of needles"),
                  Optional.of("fear"),
                  Optional.of("understands the A1c draw is fasting"),
                  Optional.of("call back after the cardiology consult"),
                  Optional.empty(),
                  false,
                  Optional.of("reached")),
              Optional.empty(),
              now);
      c.workspace()
          .escalate(
              cora,
              items.get(1).taskId(),
              "provider",
              "chest tightness since the new inhaler",
              now);
    }
  }

  static void assertNoPlaintext(String url, String dump) throws Exception {
    var needles = plaintexts(url);
    assertThat(needles)
        .as("the demo holds plaintext to look for")
        .contains("afraid of needles")
        .anyMatch(v -> v.contains(WHY))
        .hasSizeGreaterThan(200);
    // What the coordinator typed, also on its own.
    needles.add(WHY);
    var found = new TreeSet<String>();
    for (String n : needles) {
      // Most needles are nowhere in the dump: a plain search rules them out fast.
      if (!dump.contains(n)) continue;
      // A needle inside base64 (a ciphertext) is surrounded by base64 characters; plaintext in a
      // dump stands between quotes, tabs or separators.
      var p = Pattern.compile("(?<![A-Za-z0-9+/])" + Pattern.quote(n) + "(?![A-Za-z0-9+/])");
      if (p.matcher(dump).find()) found.add(n);
    }
    assertThat(found).as("plaintext in the dump").isEmpty();
  }

  /** Every decrypted value of every encrypted column, at least 6 characters long. */
  static Set<String> plaintexts(String url) throws Exception {
    var cipher = DatabaseSetup.cipherFor(url);
    var out = new TreeSet<String>();
    try (var db = Database.open(url, 2, cipher);
        var c = db.dataSource().getConnection()) {
      for (String column : ENCRYPTED) {
        var parts = column.split("\\.");
        try (var rs =
            c.createStatement()
                .executeQuery(
                    "select "
                        + parts[1]
                        + " from "
                        + parts[0]
                        + " where "
                        + parts[1]
                        + " is not null")) {
          while (rs.next()) {
            String plain = cipher.decrypt(column, rs.getString(1));
            if (column.equals("plan.state")) out.addAll(descriptions(plain));
            else out.add(plain);
          }
        }
      }
      c.commit();
    }
    out.removeIf(v -> v.strip().length() < 6);
    // The practice's own phone and its staff's names (a patient may share a surname with a doctor)
    // are the practice's, kept in plain text with it.
    out.removeAll(practiceWords(url));
    return out;
  }

  static Set<String> practiceWords(String url) throws Exception {
    var words = new TreeSet<String>();
    try (var db = Database.open(url, 2, DatabaseSetup.cipherFor(url));
        var c = db.dataSource().getConnection();
        var rs =
            c.createStatement()
                .executeQuery(
                    "select name || ' ' || coalesce(phone, '') from practice"
                        + " union all select display_name from app_user")) {
      while (rs.next()) words.addAll(List.of(rs.getString(1).split("\\s+")));
      c.commit();
    }
    return words;
  }

  static List<String> descriptions(String stateJson) {
    var found = new ArrayList<String>();
    collect(JsonMapper.builder().build().readTree(stateJson), found);
    return found;
  }

  private static void collect(JsonNode node, List<String> found) {
    if (node.isObject())
      for (var e : node.properties()) {
        if (e.getKey().equals("description") && e.getValue().isString())
          found.add(e.getValue().asString());
        else collect(e.getValue(), found);
      }
    else if (node.isArray()) for (var v : node) collect(v, found);
  }
}
