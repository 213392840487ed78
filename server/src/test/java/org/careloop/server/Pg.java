package org.careloop.server;

import java.sql.DriverManager;
import java.util.Optional;

/** A fresh schema on the machine's PostgreSQL; required, never skipped. */
final class Pg {
  private Pg() {}

  static String newSchema(String prefix) {
    String base =
        Optional.ofNullable(System.getProperty("careloop.test.pg"))
            .orElse("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    String name =
        prefix + "_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 1_000_000;
    try (var c = DriverManager.getConnection(base)) {
      c.createStatement().execute("create schema " + name);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL at " + base + " is required and could not be reached: " + e.getMessage(), e);
    }
    return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + name;
  }

  static long count(javax.sql.DataSource ds, String sql) throws java.sql.SQLException {
    try (var c = ds.getConnection();
        var rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      long n = rs.getLong(1);
      c.commit();
      return n;
    }
  }

  static java.util.List<String> strings(javax.sql.DataSource ds, String sql)
      throws java.sql.SQLException {
    try (var c = ds.getConnection();
        var rs = c.createStatement().executeQuery(sql)) {
      var out = new java.util.ArrayList<String>();
      while (rs.next()) out.add(rs.getString(1));
      c.commit();
      return out;
    }
  }
}
