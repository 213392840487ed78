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

  List<String> strings(String sql, Object... params) throws SQLException {
    try (var c = ds.getConnection();
        var ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
      var out = new ArrayList<String>();
      try (var rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getString(1));
      }
      c.commit();
      return out;
    }
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
          for (int i = 1; i <= n; i++) row.add(rs.getString(i));
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
    return org.careloop.app.Importer.planId("default", sourceKey);
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
    try (var c = ds.getConnection();
        var ps = c.prepareStatement("select * from (" + sql + ") x order by at, k, what")) {
      ps.setString(1, planId);
      ps.setString(2, planId);
      ps.setString(3, planId);
      var out = new ArrayList<String>();
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          var at = rs.getObject("at", OffsetDateTime.class).toInstant();
          long day = Duration.between(t0, at).toDays();
          String k = rs.getString("k");
          out.add(
              k.equals("board")
                  ? "board @" + day + " " + rs.getString("what")
                  : k + " " + rs.getString("what") + " @" + day);
        }
      }
      c.commit();
      return out;
    }
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
