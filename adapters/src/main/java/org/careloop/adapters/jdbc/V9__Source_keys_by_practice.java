package org.careloop.adapters.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Locale;
import org.careloop.adapters.crypto.FieldCipher;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * EHR identifiers become a practice's own: patients, plans and appointments are keyed by (practice,
 * blind index of the source key), with unique constraints that name the practice, and the source
 * key itself is stored encrypted. Before, {@code source_key} was unique across all practices, so
 * one practice's feed matched (and overwrote) another's patient with the same EHR id.
 *
 * <p>A Java migration because the blind index and the encryption need the key.
 */
final class V9__Source_keys_by_practice extends BaseJavaMigration {
  private final FieldCipher cipher;

  V9__Source_keys_by_practice(FieldCipher cipher) {
    this.cipher = cipher;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    for (String table : new String[] {"patient", "plan"}) {
      exec(c, "alter table " + table + " add column source_hash varchar(64)");
      for (String name : uniqueConstraintsOn(c, table, "source_key"))
        exec(c, "alter table " + table + " drop constraint " + name);
      exec(c, "alter table " + table + " alter column source_key set data type varchar(1000)");
      var rows = new ArrayList<String[]>();
      try (var ps = c.prepareStatement("select id, practice_id, source_key from " + table);
          var rs = ps.executeQuery()) {
        while (rs.next())
          rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
      }
      try (var ps =
          c.prepareStatement(
              "update " + table + " set source_key = ?, source_hash = ? where id = ?")) {
        for (var r : rows) {
          ps.setString(1, cipher.encrypt(table + ".source_key", r[2]));
          ps.setString(2, sourceIndex(cipher, r[1], r[2]));
          ps.setString(3, r[0]);
          ps.addBatch();
        }
        if (!rows.isEmpty()) ps.executeBatch();
      }
      exec(c, "alter table " + table + " alter column source_hash set not null");
      exec(
          c,
          "alter table "
              + table
              + " add constraint "
              + table
              + "_source unique (practice_id, source_hash)");
    }
    // The provider's name is PHI beside a patient's plan: encrypted like the rest.
    exec(c, "alter table plan alter column provider set data type varchar(1000)");
    var providers = new ArrayList<String[]>();
    try (var ps = c.prepareStatement("select id, provider from plan where provider is not null");
        var rs = ps.executeQuery()) {
      while (rs.next()) providers.add(new String[] {rs.getString(1), rs.getString(2)});
    }
    try (var ps = c.prepareStatement("update plan set provider = ? where id = ?")) {
      for (var r : providers) {
        ps.setString(1, cipher.encrypt("plan.provider", r[1]));
        ps.setString(2, r[0]);
        ps.addBatch();
      }
      if (!providers.isEmpty()) ps.executeBatch();
    }
    exec(
        c,
        "create table appointment_link ("
            + " practice_id varchar(64) not null references practice (id),"
            + " source_hash varchar(64) not null,"
            + " source_key varchar(1000) not null,"
            + " plan_id varchar(64) not null references plan (id),"
            + " milestone_key varchar(200),"
            + " last_status varchar(40) not null,"
            + " primary key (practice_id, source_hash))");
    var refs = new ArrayList<String[]>();
    try (var ps =
            c.prepareStatement(
                "select p.practice_id, a.source_key, a.plan_id, a.milestone_key, a.last_status"
                    + " from appointment_ref a join plan p on p.id = a.plan_id");
        var rs = ps.executeQuery()) {
      while (rs.next())
        refs.add(
            new String[] {
              rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)
            });
    }
    try (var ps =
        c.prepareStatement(
            "insert into appointment_link (practice_id, source_hash, source_key, plan_id, milestone_key, last_status) values (?, ?, ?, ?, ?, ?)")) {
      for (var r : refs) {
        ps.setString(1, r[0]);
        ps.setString(2, sourceIndex(cipher, r[0], r[1]));
        ps.setString(3, cipher.encrypt("appointment_link.source_key", r[1]));
        ps.setString(4, r[2]);
        ps.setString(5, r[3]);
        ps.setString(6, r[4]);
        ps.addBatch();
      }
      if (!refs.isEmpty()) ps.executeBatch();
    }
    exec(c, "drop table appointment_ref");
  }

  /** The blind index a source key is found by: keyed, and bound to its practice. */
  static String sourceIndex(FieldCipher cipher, String practiceId, String sourceKey) {
    return cipher.blindIndex("source", practiceId + "|" + sourceKey);
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (var st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** Unique constraints on exactly one column, by the names the database gave them. */
  private static java.util.List<String> uniqueConstraintsOn(
      Connection c, String table, String column) throws SQLException {
    var names = new ArrayList<String>();
    try (var ps =
        c.prepareStatement(
            "select tc.constraint_name from information_schema.table_constraints tc"
                + " join information_schema.key_column_usage k on k.constraint_name = tc.constraint_name"
                + " and k.table_schema = tc.table_schema and k.table_name = tc.table_name"
                + " where lower(tc.table_schema) = ? and lower(tc.table_name) = ?"
                + " and tc.constraint_type = 'UNIQUE' and lower(k.column_name) = ?")) {
      ps.setString(1, c.getSchema().toLowerCase(Locale.ROOT));
      ps.setString(2, table);
      ps.setString(3, column);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) names.add('"' + rs.getString(1) + '"');
      }
    }
    return names;
  }
}
