package org.careloop.adapters.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The audit trail becomes a hash chain ({@link AuditLog}): each event gets its sequence number, the
 * previous event's hash and its own, and its patient when its subject names one; the chain's head
 * gets a row of its own. Events written before are chained in the order they were written. A Java
 * migration because the hashes are SHA-256 in Java, the same on H2 and PostgreSQL.
 */
final class V11__Audit_chain extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    exec(c, "alter table audit_event add column seq bigint");
    exec(c, "alter table audit_event add column patient_id varchar(64)");
    exec(c, "alter table audit_event add column prev_hash varchar(64)");
    exec(c, "alter table audit_event add column hash varchar(64)");
    exec(
        c,
        "create table audit_chain (id int primary key, seq bigint not null,"
            + " hash varchar(64) not null)");
    var rows = new ArrayList<Object[]>();
    try (var ps =
            c.prepareStatement(
                "select id, at, actor, practice_id, action, subject, detail from audit_event"
                    + " order by id");
        var rs = ps.executeQuery()) {
      while (rs.next())
        rows.add(
            new Object[] {
              rs.getLong(1),
              rs.getObject(2, OffsetDateTime.class).toInstant(),
              rs.getString(3),
              rs.getString(4),
              rs.getString(5),
              rs.getString(6),
              rs.getString(7)
            });
    }
    String prev = AuditLog.GENESIS;
    long seq = 0;
    try (var ps =
        c.prepareStatement(
            "update audit_event set seq = ?, prev_hash = ?, hash = ? where id = ?")) {
      for (var r : rows) {
        seq++;
        String hash =
            AuditLog.hash(
                prev,
                seq,
                (java.time.Instant) r[1],
                (String) r[2],
                (String) r[3],
                null,
                (String) r[4],
                (String) r[5],
                (String) r[6]);
        ps.setLong(1, seq);
        ps.setString(2, prev);
        ps.setString(3, hash);
        ps.setLong(4, (long) r[0]);
        ps.addBatch();
        prev = hash;
      }
      if (!rows.isEmpty()) ps.executeBatch();
    }
    try (var ps = c.prepareStatement("insert into audit_chain (id, seq, hash) values (1, ?, ?)")) {
      ps.setLong(1, seq);
      ps.setString(2, prev);
      ps.executeUpdate();
    }
    exec(c, "alter table audit_event alter column seq set not null");
    exec(c, "alter table audit_event alter column prev_hash set not null");
    exec(c, "alter table audit_event alter column hash set not null");
    exec(c, "create unique index audit_event_seq on audit_event (seq)");
    exec(c, "create index audit_event_practice on audit_event (practice_id, seq)");
    exec(c, "create index audit_event_patient on audit_event (practice_id, patient_id, seq)");
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (var st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
