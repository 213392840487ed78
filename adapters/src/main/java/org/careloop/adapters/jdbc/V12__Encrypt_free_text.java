package org.careloop.adapters.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import org.careloop.adapters.crypto.FieldCipher;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The last free-text and clinical columns are encrypted like the rest of patient data: timeline
 * text (what was sent, withheld and why, replies' meaning), task titles and escalation reasons
 * (which name clinical flags such as worse symptoms), board summaries and the case status a person
 * writes. Each column is widened for its ciphertext and the values written before are encrypted in
 * place. A Java migration because the encryption needs the key.
 */
final class V12__Encrypt_free_text extends BaseJavaMigration {
  /** Table, column, and the width its ciphertext needs (base64 of up to 3 bytes a character). */
  private static final String[][] COLUMNS = {
    {"timeline_entry", "detail", "16500"},
    {"task", "title", "1700"},
    {"task", "escalation_reason", "9000"},
    {"board_entry", "summary", "4100"},
    {"task_note", "case_status", "400"},
  };

  private final FieldCipher cipher;

  V12__Encrypt_free_text(FieldCipher cipher) {
    this.cipher = cipher;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    for (String[] col : COLUMNS) {
      String table = col[0], column = col[1];
      exec(
          c,
          "alter table "
              + table
              + " alter column "
              + column
              + " set data type varchar("
              + col[2]
              + ")");
      var rows = new ArrayList<Object[]>();
      try (var ps =
              c.prepareStatement(
                  "select id, " + column + " from " + table + " where " + column + " is not null");
          var rs = ps.executeQuery()) {
        while (rs.next()) rows.add(new Object[] {rs.getLong(1), rs.getString(2)});
      }
      try (var ps =
          c.prepareStatement("update " + table + " set " + column + " = ? where id = ?")) {
        int n = 0;
        for (var r : rows) {
          String v = (String) r[1];
          if (v.startsWith(FieldCipher.PREFIX)) continue;
          ps.setString(1, cipher.encrypt(table + "." + column, v));
          ps.setLong(2, (long) r[0]);
          ps.addBatch();
          if (++n % 1000 == 0) ps.executeBatch();
        }
        ps.executeBatch();
      }
    }
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (var st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
