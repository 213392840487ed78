package org.careloop.adapters.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.careloop.adapters.crypto.FieldCipher;

/**
 * The database keeps a check value of its key (a MAC of a fixed label, never the key), so that a
 * wrong or replaced key is refused at start instead of writing data no one can read and missing
 * every opt-out recorded under the old key.
 */
final class KeyCheck {
  static final String SETTING = "key.check";

  private KeyCheck() {}

  /** Refuses {@code cipher} when the database holds data written with another key. */
  static void verify(DataSource ds, FieldCipher cipher) {
    try (Connection c = ds.getConnection()) {
      try {
        Optional<String> stored = stored(c);
        if (stored.isPresent()) {
          if (!java.security.MessageDigest.isEqual(
              stored.get().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
              cipher.checkValue().getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
            throw mismatch();
          return;
        }
        // A database from before the check: its data says whether the key is its own.
        try (var ps = c.prepareStatement("select first_name from patient fetch first 1 rows only");
            var rs = ps.executeQuery()) {
          if (rs.next()) {
            try {
              cipher.decrypt("patient.first_name", rs.getString(1));
            } catch (IllegalStateException e) {
              throw mismatch();
            }
          }
        }
      } catch (SQLException e) {
        // No schema yet: a new database, which takes this key.
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new JdbcStore.DataAccessFailure(e);
    }
  }

  /** Stores the key's check value in a database that has none yet. */
  static void record(DataSource ds, FieldCipher cipher) {
    try (Connection c = ds.getConnection()) {
      if (stored(c).isEmpty()) {
        try (var ps =
            c.prepareStatement(
                "insert into careloop_setting (setting_name, setting_value) values (?, ?)")) {
          ps.setString(1, SETTING);
          ps.setString(2, cipher.checkValue());
          ps.executeUpdate();
        }
      }
      c.commit();
    } catch (SQLException e) {
      throw new JdbcStore.DataAccessFailure(e);
    }
  }

  /** Replaces the check value (after a key rotation, in the rotation's transaction). */
  static void replace(Connection c, FieldCipher cipher) throws SQLException {
    try (var ps =
        c.prepareStatement(
            "update careloop_setting set setting_value = ? where setting_name = ?")) {
      ps.setString(1, cipher.checkValue());
      ps.setString(2, SETTING);
      ps.executeUpdate();
    }
  }

  private static Optional<String> stored(Connection c) throws SQLException {
    try (var ps =
        c.prepareStatement("select setting_value from careloop_setting where setting_name = ?")) {
      ps.setString(1, SETTING);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private static Database.KeyMismatch mismatch() {
    return new Database.KeyMismatch(
        "the careloop key does not match this database (its key check value differs): start with"
            + " the key the database was written with (CARELOOP_KEY, or careloop.key beside an"
            + " embedded database, restored from your backup). careloop never makes a new key for"
            + " a database that holds data.");
  }
}
