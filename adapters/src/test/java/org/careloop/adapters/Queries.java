package org.careloop.adapters;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Reads a test database back with plain SQL. */
final class Queries {
  private final DataSource ds;

  Queries(DataSource ds) {
    this.ds = ds;
  }

  long count(String sql) throws SQLException {
    try (var c = ds.getConnection();
        var rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      long n = rs.getLong(1);
      c.commit();
      return n;
    }
  }

  /** Runs a change (as someone with database access would, outside careloop). */
  int update(String sql) throws SQLException {
    try (var c = ds.getConnection();
        var st = c.createStatement()) {
      int n = st.executeUpdate(sql);
      c.commit();
      return n;
    }
  }

  /**
   * Encrypted free-text columns read back as their text, by the column's name, so a test can say
   * what the timeline or a task says; a value of another column of that name is left as stored.
   */
  private static final java.util.Map<String, String> READABLE =
      java.util.Map.of(
          "detail", "timeline_entry.detail",
          "title", "task.title",
          "summary", "board_entry.summary",
          "what", "board_entry.summary",
          "escalation_reason", "task.escalation_reason",
          "case_status", "task_note.case_status");

  static String readable(String label, String value) {
    var column = READABLE.get(label.toLowerCase(java.util.Locale.ROOT));
    if (value == null || column == null || !value.startsWith("enc1:")) return value;
    try {
      return TestDatabases.CIPHER.decrypt(column, value);
    } catch (IllegalStateException e) {
      return value;
    }
  }

  List<String> strings(String sql, Object... params) throws SQLException {
    try (var c = ds.getConnection();
        var ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
      var out = new ArrayList<String>();
      try (var rs = ps.executeQuery()) {
        String label = rs.getMetaData().getColumnLabel(1);
        while (rs.next()) out.add(readable(label, rs.getString(1)));
      }
      c.commit();
      return out;
    }
  }

  /** Each row's columns (free text decrypted) joined by a space. */
  List<String> joined(String sql, Object... params) throws SQLException {
    return rows(sql, params).stream().map(r -> String.join(" ", r)).toList();
  }

  /**
   * The rows whose last column (free text, decrypted) matches the SQL LIKE {@code pattern}, each as
   * its other columns joined by a space: {@code where detail like …} on text that is stored
   * encrypted.
   */
  List<String> matching(String sql, String pattern, Object... params) throws SQLException {
    var regex =
        java.util.regex.Pattern.compile(
            "\\Q" + pattern.replace("%", "\\E.*\\Q").replace("_", "\\E.\\Q") + "\\E",
            java.util.regex.Pattern.DOTALL);
    var out = new ArrayList<String>();
    for (var r : rows(sql, params)) {
      if (!regex.matcher(r.get(r.size() - 1)).matches()) continue;
      out.add(String.join(" ", r.size() == 1 ? r : r.subList(0, r.size() - 1)));
    }
    return out;
  }

  /** Every column of every row, as strings. */
  List<List<String>> rows(String sql, Object... params) throws SQLException {
    try (var c = ds.getConnection();
        var ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
      var out = new ArrayList<List<String>>();
      try (var rs = ps.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          var row = new ArrayList<String>();
          for (int i = 1; i <= n; i++)
            row.add(readable(rs.getMetaData().getColumnLabel(i), rs.getString(i)));
          out.add(row);
        }
      }
      c.commit();
      return out;
    }
  }

  /**
   * Rows whose first column is a plan's (encrypted) source key, as "key rest…" with the key
   * decrypted and joined by spaces, sorted by the given columns' text (0 = the key) in turn, a
   * negative index for descending. Only the first {@code shown} columns are printed.
   */
  List<String> byPlanKey(String sql, int shown, int... sortColumns) throws SQLException {
    return byPlanKey(" ", sql, shown, sortColumns);
  }

  /** {@link #byPlanKey(String, int, int...)}, the columns joined by {@code separator}. */
  List<String> byPlanKey(String separator, String sql, int shown, int... sortColumns)
      throws SQLException {
    var rows = new ArrayList<List<String>>();
    for (var r : rows(sql)) {
      var copy = new ArrayList<>(r);
      copy.set(0, TestDatabases.CIPHER.decrypt("plan.source_key", r.get(0)));
      rows.add(copy);
    }
    java.util.Comparator<List<String>> order = (x, y) -> 0;
    for (int col : sortColumns) {
      int c = Math.abs(col);
      java.util.Comparator<List<String>> by = java.util.Comparator.comparing(r -> r.get(c));
      order = order.thenComparing(col < 0 ? by.reversed() : by);
    }
    rows.sort(order);
    return rows.stream().map(r -> String.join(separator, r.subList(0, shown))).toList();
  }

  /** careloop's id of the default practice's plan with this source key. */
  static String plan(String sourceKey) {
    return org.careloop.app.intake.Importer.planId("default", sourceKey);
  }

  List<Instant> instants(String sql) throws SQLException {
    try (var c = ds.getConnection();
        var ps = c.prepareStatement(sql)) {
      var out = new ArrayList<Instant>();
      try (var rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getObject(1, java.time.OffsetDateTime.class).toInstant());
      }
      c.commit();
      return out;
    }
  }

  /** Board entries, outbox items and tasks of a plan, by time then kind, with the day since t0. */
  List<String> effects(String planId, Instant t0) throws SQLException {
    String sql =
        "select 'board' as k, summary as what, occurred_at as at from board_entry where plan_id = ?"
            + " union all select 'outbox', substring(idempotency_key, length(plan_id) + 2), created_at as at from outbox where plan_id = ?"
            + " union all select 'task', substring(idempotency_key, length(plan_id) + 2), created_at as at from task where plan_id = ?";
    record Effect(Instant at, String k, String what) {}
    var found = new ArrayList<Effect>();
    try (var c = ds.getConnection();
        var ps = c.prepareStatement(sql)) {
      ps.setString(1, planId);
      ps.setString(2, planId);
      ps.setString(3, planId);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          String k = rs.getString("k");
          found.add(
              new Effect(
                  rs.getObject("at", OffsetDateTime.class).toInstant(),
                  k,
                  k.equals("board")
                      ? readable("summary", rs.getString("what"))
                      : rs.getString("what")));
        }
      }
      c.commit();
    }
    // Ordered on the text, not the stored (encrypted) value.
    found.sort(
        java.util.Comparator.comparing(Effect::at)
            .thenComparing(Effect::k)
            .thenComparing(Effect::what));
    var out = new ArrayList<String>();
    for (var e : found) {
      long day = Duration.between(t0, e.at()).toDays();
      out.add(
          e.k().equals("board")
              ? "board @" + day + " " + e.what()
              : e.k() + " " + e.what() + " @" + day);
    }
    return out;
  }

  /** A one-column query over an encrypted column, decrypted, in query order. */
  List<String> decrypted(String sql, String column) throws SQLException {
    return strings(sql).stream().map(v -> TestDatabases.CIPHER.decrypt(column, v)).toList();
  }

  List<String> timeline(String planId) throws SQLException {
    return strings("select detail from timeline_entry where plan_id = ? order by id", planId);
  }

  /** A timestamp column as the driver prints it ("2026-03-09 14:00:00+00"), in a zone. */
  static java.time.ZonedDateTime at(String timestamp, java.time.ZoneId zone) {
    return java.time.OffsetDateTime.parse(
            timestamp.replace(' ', 'T').replaceAll("([+-][0-9]{2})$", "$1:00"))
        .atZoneSameInstant(zone);
  }
}
