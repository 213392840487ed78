package org.careloop.adapters.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.careloop.adapters.crypto.FieldCipher;
import org.careloop.core.Channel;

/**
 * Re-encrypts a database under a new key: every encrypted value, every blind index (EHR
 * identifiers, contact points) and the opt-out ledger, a batch of rows per transaction. It is
 * resumable: a value that already reads with the new key is left as it is and every index is
 * recomputed from its plaintext, so running it again after a crash carries on where it stopped. The
 * database's key check value changes to the new key's in the last transaction; until then a marker
 * names the new key, every other start is refused, and only the same new key may finish.
 */
public final class KeyRotation {
  /** The setting that marks an unfinished rotation: the new key's check value. */
  static final String MARKER = "key.rotation";

  static final int BATCH = 500;

  /**
   * What a rotation did.
   *
   * @param reencrypted values re-encrypted now (0 for those a crashed run had done)
   * @param ledgerUnmatched opt-out ledger entries of an address careloop no longer has in any form
   *     (no patient's and no message's): they cannot be carried to the new key
   */
  public record Outcome(long reencrypted, long ledgerCarried, long ledgerUnmatched) {}

  /** A rotation to another new key is unfinished, or the key given is neither old nor new. */
  public static final class Refused extends IllegalStateException {
    Refused(String message) {
      super(message);
    }
  }

  private final DataSource ds;
  private final FieldCipher old;
  private final FieldCipher fresh;
  private final Consumer<String> progress;
  private final java.time.Instant keepOldLinksUntil;

  /**
   * @param keepOldLinksUntil until when links signed with the old key (unsubscribe links in emails
   *     already sent) are still honoured
   */
  public KeyRotation(
      DataSource ds,
      FieldCipher old,
      FieldCipher fresh,
      java.time.Instant keepOldLinksUntil,
      Consumer<String> progress) {
    this.ds = ds;
    this.old = old;
    this.fresh = fresh;
    this.keepOldLinksUntil = keepOldLinksUntil;
    this.progress = progress;
  }

  /** Whether the database holds an unfinished rotation (and so may not be used). */
  static Optional<String> unfinished(Connection c) throws SQLException {
    try (var ps =
        c.prepareStatement("select setting_value from careloop_setting where setting_name = ?")) {
      ps.setString(1, MARKER);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  public Outcome run() {
    try (var c = ds.getConnection()) {
      begin(c);
      long n = 0;
      for (var col : EncryptedColumns.COLUMNS) n += reencrypt(c, col);
      reindexSources(c, "patient");
      reindexSources(c, "plan");
      reindexLinks(c, "appointment_link");
      reindexLinks(c, "order_link");
      reindexContactPoints(c);
      var ledger = carryLedger(c);
      KeyCheck.replace(c, fresh);
      RetiredSigning.keep(c, old, fresh, keepOldLinksUntil);
      try (var ps = c.prepareStatement("delete from careloop_setting where setting_name = ?")) {
        ps.setString(1, MARKER);
        ps.executeUpdate();
      }
      c.commit();
      return new Outcome(n, ledger[0], ledger[1]);
    } catch (SQLException e) {
      throw new JdbcStore.DataAccessFailure(e);
    }
  }

  private void begin(Connection c) throws SQLException {
    var marker = unfinished(c);
    if (marker.isPresent() && !marker.get().equals(fresh.checkValue()))
      throw new Refused(
          "an earlier key rotation to another new key is unfinished: finish it with that key");
    if (marker.isEmpty()) {
      try (var ps =
          c.prepareStatement(
              "insert into careloop_setting (setting_name, setting_value) values (?, ?)")) {
        ps.setString(1, MARKER);
        ps.setString(2, fresh.checkValue());
        ps.executeUpdate();
      }
    }
    c.commit();
  }

  /** The value under the new key: as it is when it reads with it already, else re-encrypted. */
  private Optional<String> rekeyed(String column, String stored) {
    try {
      fresh.decrypt(column, stored);
      return Optional.empty();
    } catch (IllegalStateException notYet) {
      return Optional.ofNullable(fresh.encrypt(column, old.decrypt(column, stored)));
    }
  }

  /** The plaintext of a stored value, under whichever of the two keys it is. */
  private String plain(String column, String stored) {
    try {
      return fresh.decrypt(column, stored);
    } catch (IllegalStateException notYet) {
      return old.decrypt(column, stored);
    }
  }

  private static List<String> keys(Connection c, String table, String key) throws SQLException {
    var out = new ArrayList<String>();
    try (var ps = c.prepareStatement("select " + key + " from " + table + " order by " + key);
        var rs = ps.executeQuery()) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }

  private long reencrypt(Connection c, EncryptedColumns.Column col) throws SQLException {
    String name = col.table() + "." + col.column();
    var keys = keys(c, col.table(), col.key());
    long changed = 0;
    for (int i = 0; i < keys.size(); i += BATCH) {
      var batch = keys.subList(i, Math.min(keys.size(), i + BATCH));
      var updates = new ArrayList<String[]>();
      try (var ps =
          c.prepareStatement(
              "select "
                  + col.key()
                  + ", "
                  + col.column()
                  + " from "
                  + col.table()
                  + " where "
                  + col.key()
                  + " in ("
                  + JdbcStore.placeholders(batch.size())
                  + ")")) {
        JdbcStore.bind(ps, typed(col.table(), batch));
        try (var rs = ps.executeQuery()) {
          while (rs.next()) {
            String v = rs.getString(2);
            if (v == null) continue;
            String k = rs.getString(1);
            rekeyed(name, v).ifPresent(r -> updates.add(new String[] {r, k}));
          }
        }
      }
      try (var ps =
          c.prepareStatement(
              "update "
                  + col.table()
                  + " set "
                  + col.column()
                  + " = ? where "
                  + col.key()
                  + " = ?")) {
        for (var u : updates) {
          ps.setString(1, u[0]);
          ps.setObject(2, isText(col.table()) ? u[1] : Long.valueOf(u[1]));
          ps.addBatch();
        }
        if (!updates.isEmpty()) ps.executeBatch();
      }
      c.commit();
      changed += updates.size();
      progress.accept(name + ": " + Math.min(keys.size(), i + BATCH) + " of " + keys.size());
    }
    return changed;
  }

  /** Tables keyed by a text id (patient, plan); the rest by a number. */
  private static boolean isText(String table) {
    return table.equals("patient") || table.equals("plan");
  }

  private static Object[] typed(String table, List<String> keys) {
    return isText(table) ? keys.toArray() : keys.stream().map(Long::valueOf).toArray();
  }

  private void reindexSources(Connection c, String table) throws SQLException {
    var rows = new ArrayList<String[]>();
    try (var ps = c.prepareStatement("select id, practice_id, source_key from " + table);
        var rs = ps.executeQuery()) {
      while (rs.next())
        rows.add(
            new String[] {
              V9__Source_keys_by_practice.sourceIndex(
                  fresh, rs.getString(2), plain(table + ".source_key", rs.getString(3))),
              rs.getString(1)
            });
    }
    update(c, "update " + table + " set source_hash = ? where id = ?", rows);
  }

  /** A table of links by source key (appointments, orders), indexed and encrypted anew. */
  private void reindexLinks(Connection c, String table) throws SQLException {
    var rows = new ArrayList<String[]>();
    try (var ps = c.prepareStatement("select practice_id, source_hash, source_key from " + table);
        var rs = ps.executeQuery()) {
      while (rs.next()) {
        String column = table + ".source_key", stored = rs.getString(3);
        String now =
            V9__Source_keys_by_practice.sourceIndex(fresh, rs.getString(1), plain(column, stored));
        var value = rekeyed(column, stored);
        if (!now.equals(rs.getString(2)) || value.isPresent())
          rows.add(new String[] {now, value.orElse(stored), rs.getString(1), rs.getString(2)});
      }
    }
    update(
        c,
        "update "
            + table
            + " set source_hash = ?, source_key = ?"
            + " where practice_id = ? and source_hash = ?",
        rows);
  }

  private void reindexContactPoints(Connection c) throws SQLException {
    var rows = new ArrayList<String[]>();
    try (var ps = c.prepareStatement("select id, mobile, email from patient");
        var rs = ps.executeQuery()) {
      while (rs.next()) {
        String mobile = rs.getString(2), email = rs.getString(3);
        rows.add(
            new String[] {
              mobile == null
                  ? null
                  : JdbcStore.addressIndex(fresh, Channel.SMS, plain("patient.mobile", mobile)),
              email == null
                  ? null
                  : JdbcStore.addressIndex(fresh, Channel.EMAIL, plain("patient.email", email)),
              rs.getString(1)
            });
      }
    }
    update(c, "update patient set mobile_hash = ?, email_hash = ? where id = ?", rows);
  }

  /**
   * The opt-out ledger holds blind indexes only, never addresses: each is carried to the new key
   * through the addresses careloop still has (patients' contact points, messages' recipients).
   * Returns {carried, unmatched}.
   */
  private long[] carryLedger(Connection c) throws SQLException {
    var oldToNew = new HashMap<String, String>();
    var carriedAlready = new java.util.HashSet<String>();
    addresses(
        c,
        "select mobile from patient where mobile is not null",
        "patient.mobile",
        Channel.SMS,
        oldToNew,
        carriedAlready);
    addresses(
        c,
        "select email from patient where email is not null",
        "patient.email",
        Channel.EMAIL,
        oldToNew,
        carriedAlready);
    addresses(
        c,
        "select recipient from outbox where channel = 'SMS' and recipient is not null",
        "outbox.recipient",
        Channel.SMS,
        oldToNew,
        carriedAlready);
    addresses(
        c,
        "select recipient from outbox where channel = 'EMAIL' and recipient is not null",
        "outbox.recipient",
        Channel.EMAIL,
        oldToNew,
        carriedAlready);
    long carried = 0, unmatched = 0;
    for (String table :
        new String[] {"contact_preference", "contact_preference_change", "inbound_message"}) {
      var rows = new ArrayList<String[]>();
      try (var ps = c.prepareStatement("select distinct channel, address_hash from " + table);
          var rs = ps.executeQuery()) {
        while (rs.next()) {
          String key = rs.getString(1) + "|" + rs.getString(2);
          if (carriedAlready.contains(key)) continue;
          String now = oldToNew.get(key);
          if (now == null) {
            if (table.equals("contact_preference")) unmatched++;
            continue;
          }
          rows.add(new String[] {now, rs.getString(1), rs.getString(2)});
          if (table.equals("contact_preference")) carried++;
        }
      }
      update(
          c,
          "update " + table + " set address_hash = ? where channel = ? and address_hash = ?",
          rows);
    }
    return new long[] {carried, unmatched};
  }

  private void addresses(
      Connection c,
      String sql,
      String column,
      Channel channel,
      Map<String, String> oldToNew,
      java.util.Set<String> carriedAlready)
      throws SQLException {
    try (var ps = c.prepareStatement(sql);
        var rs = ps.executeQuery()) {
      while (rs.next()) {
        String address = plain(column, rs.getString(1));
        String now = JdbcStore.addressIndex(this.fresh, channel, address);
        oldToNew.put(channel.name() + "|" + JdbcStore.addressIndex(old, channel, address), now);
        carriedAlready.add(channel.name() + "|" + now);
      }
    }
  }

  private static void update(Connection c, String sql, List<String[]> rows) throws SQLException {
    for (int i = 0; i < rows.size(); i += BATCH) {
      try (var ps = c.prepareStatement(sql)) {
        for (var r : rows.subList(i, Math.min(rows.size(), i + BATCH))) {
          for (int j = 0; j < r.length; j++) ps.setString(j + 1, r[j]);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
    }
  }
}
