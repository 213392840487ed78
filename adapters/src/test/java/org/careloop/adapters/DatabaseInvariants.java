package org.careloop.adapters;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What must hold in every database a test used, checked after each test that opened one through
 * {@link TestDatabases#open} (registered for every test by the service file and {@code
 * junit-platform.properties}): whatever the test did, the data stays consistent across tables the
 * schema's keys alone do not tie together.
 */
public final class DatabaseInvariants implements AfterEachCallback {
  private static final ThreadLocal<List<String>> OPENED = ThreadLocal.withInitial(ArrayList::new);

  /** Each invariant: what it says, and a query listing the rows that break it. */
  static final Map<String, String> INVARIANTS =
      Map.of(
          "a plan belongs to its patient's practice",
          "select p.id from plan p join patient pt on pt.id = p.patient_id"
              + " where pt.practice_id <> p.practice_id",
          "a task is about its plan's patient",
          "select t.id from task t join plan p on p.id = t.plan_id where t.patient_id <> p.patient_id",
          "a message goes to its plan's patient",
          "select o.id from outbox o join plan p on p.id = o.plan_id"
              + " where o.patient_id <> p.patient_id",
          "a plan that is not active has no wake-up",
          "select id from plan where status <> 'ACTIVE' and next_wakeup_at is not null",
          "a message marked sent says when",
          "select id from outbox where status = 'SENT' and sent_at is null",
          "a closed case says when and why, an open one neither",
          "select id from task where (status = 'CLOSED') <> (closed_at is not null)"
              + " or (status = 'CLOSED') <> (close_reason is not null)",
          "a case is owned by a person of its patient's practice",
          "select t.id from task t join patient pt on pt.id = t.patient_id"
              + " join app_user u on u.id = t.owner_user where u.practice_id <> pt.practice_id",
          "an open case holds its need open, a closed one does not",
          "select id from task where need is not null"
              + " and (status = 'OPEN') <> (open_need is not null)",
          "a plan that ended has no open case but worse symptoms",
          "select t.id from task t join plan p on p.id = t.plan_id where p.status <> 'ACTIVE'"
              + " and t.status = 'OPEN' and t.need is not null and t.need <> 'WORSE_SYMPTOMS'");

  /** Checks the database at {@code url} after the running test (it may be closed by then). */
  public static void opened(String url) {
    OPENED.get().add(url);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    var urls = List.copyOf(OPENED.get());
    OPENED.get().clear();
    // A test that failed already says what went wrong; its data may be half-way by design.
    if (context.getExecutionException().isPresent()) return;
    var problems = new ArrayList<String>();
    for (var url : urls) problems.addAll(violations(url));
    if (!problems.isEmpty())
      throw new AssertionError("database invariants broken:\n  " + String.join("\n  ", problems));
  }

  /** Whether careloop's schema is there: a database a command refused to set up has none. */
  private static boolean hasSchema(java.sql.Connection c) throws SQLException {
    try (var st = c.createStatement()) {
      st.executeQuery("select count(*) from plan").close();
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** An embedded file database's password, from the file careloop keeps beside it. */
  private static String h2Password(String url) {
    var file =
        org.careloop.adapters.jdbc.Database.h2File(url)
            .map(f -> f.resolveSibling(org.careloop.adapters.jdbc.EmbeddedFiles.PASSWORD_FILE));
    try {
      return file.isPresent() && java.nio.file.Files.exists(file.get())
          ? java.nio.file.Files.readString(file.get()).strip()
          : "";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The invariants the database at {@code url} breaks, with the first offending rows. */
  static List<String> violations(String url) throws SQLException {
    var problems = new ArrayList<String>();
    java.sql.Connection connection;
    try {
      connection =
          url.startsWith("jdbc:h2:")
              ? DriverManager.getConnection(
                  url.startsWith("jdbc:h2:mem:") ? url : url + ";IFEXISTS=TRUE",
                  "sa",
                  h2Password(url))
              : DriverManager.getConnection(url);
    } catch (SQLException e) {
      // A database the test never created (a command refused before opening it) or took down
      // with it (a PostgreSQL cluster of its own, stopped at its end) has nothing left to check.
      if (e.getErrorCode() == 90146 || String.valueOf(e.getSQLState()).startsWith("08"))
        return problems;
      throw e;
    }
    try (var c = connection) {
      if (!hasSchema(c)) return problems;
      for (var invariant : INVARIANTS.entrySet()) {
        var rows = new ArrayList<String>();
        try (var st = c.createStatement();
            var rs = st.executeQuery(invariant.getValue())) {
          while (rs.next() && rows.size() < 5) rows.add(rs.getString(1));
        }
        if (!rows.isEmpty()) problems.add(invariant.getKey() + ": rows " + rows);
      }
    }
    return problems;
  }
}
