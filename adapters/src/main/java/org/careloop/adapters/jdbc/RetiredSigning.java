package org.careloop.adapters.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import javax.sql.DataSource;
import org.careloop.adapters.crypto.FieldCipher;

/**
 * After a key rotation, the old key's link-signing key (derived from it, never the key itself) is
 * kept, encrypted under the new key, until a date: unsubscribe and tracked links in messages sent
 * before the rotation keep working (an unsubscribe link must be honoured for 30 days after the
 * email). Only the latest rotation's is kept.
 */
final class RetiredSigning {
  static final String SETTING = "key.retired-signing";

  private RetiredSigning() {}

  static void keep(Connection c, FieldCipher old, FieldCipher fresh, Instant until)
      throws SQLException {
    String value =
        until
            + " "
            + fresh.encrypt(
                "careloop_setting.retired_signing",
                Base64.getEncoder().encodeToString(old.signingKeyBytes()));
    try (var del = c.prepareStatement("delete from careloop_setting where setting_name = ?")) {
      del.setString(1, SETTING);
      del.executeUpdate();
    }
    try (var ps =
        c.prepareStatement(
            "insert into careloop_setting (setting_name, setting_value) values (?, ?)")) {
      ps.setString(1, SETTING);
      ps.setString(2, value);
      ps.executeUpdate();
    }
  }

  /** Lets {@code cipher} accept the retired signing key, while its date has not passed. */
  static void load(DataSource ds, FieldCipher cipher, Instant now) {
    try (var c = ds.getConnection();
        var ps =
            c.prepareStatement(
                "select setting_value from careloop_setting where setting_name = ?")) {
      ps.setString(1, SETTING);
      try (var rs = ps.executeQuery()) {
        if (rs.next()) {
          String[] parts = rs.getString(1).split(" ", 2);
          if (Instant.parse(parts[0]).isAfter(now))
            cipher.acceptRetiredSigning(
                Base64.getDecoder()
                    .decode(cipher.decrypt("careloop_setting.retired_signing", parts[1])));
        }
      }
      c.rollback();
    } catch (SQLException e) {
      throw new JdbcStore.DataAccessFailure(e);
    }
  }
}
