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

  /**
   * How many timeline entries (of {@code kind}, or any) say something matching the SQL LIKE {@code
   * pattern}: the text is stored encrypted, so it is read and matched here.
   */
  static long timelineMatching(javax.sql.DataSource ds, Optional<String> kind, String pattern)
      throws java.sql.SQLException {
    var cipher =
        org.careloop.adapters.crypto.FieldCipher.fromBase64(System.getProperty("careloop.key"));
    var regex =
        java.util.regex.Pattern.compile(
            "\\Q" + pattern.replace("%", "\\E.*\\Q") + "\\E", java.util.regex.Pattern.DOTALL);
    long n = 0;
    try (var c = ds.getConnection();
        var ps =
            c.prepareStatement(
                "select detail from timeline_entry"
                    + (kind.isPresent() ? " where kind = ?" : ""))) {
      if (kind.isPresent()) ps.setString(1, kind.get());
      try (var rs = ps.executeQuery()) {
        while (rs.next())
          if (regex.matcher(cipher.decrypt("timeline_entry.detail", rs.getString(1))).matches())
            n++;
      }
      c.commit();
    }
    return n;
  }
}
