package org.careloop.adapters.jdbc;

import static org.careloop.adapters.jdbc.JdbcStore.bind;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.careloop.adapters.crypto.FieldCipher;
import org.careloop.adapters.jdbc.JdbcStore.DataAccessFailure;
import org.jspecify.annotations.Nullable;

/**
 * What every JDBC port is written on: one transaction's connection and field cipher, and statements
 * with their parameters bound.
 */
interface JdbcAccess {
  FieldCipher cipher();

  Connection connection();

  interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  default int update(String sql, @Nullable Object... params) {
    try (var ps = connection().prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new DataAccessFailure(e);
    }
  }

  default <T> List<T> query(String sql, Row<T> row, @Nullable Object... params) {
    try (var ps = connection().prepareStatement(sql)) {
      bind(ps, params);
      try (var rs = ps.executeQuery()) {
        var out = new ArrayList<T>();
        while (rs.next()) out.add(row.map(rs));
        return out;
      }
    } catch (SQLException e) {
      throw new DataAccessFailure(e);
    }
  }

  default <T> Optional<T> one(String sql, Row<T> row, @Nullable Object... params) {
    var all = query(sql, row, params);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  default void batch(String sql, List<Object[]> rows) {
    if (rows.isEmpty()) return;
    try (var ps = connection().prepareStatement(sql)) {
      for (var r : rows) {
        bind(ps, r);
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (SQLException e) {
      throw new DataAccessFailure(e);
    }
  }

  /**
   * The most values one {@code in (…)} list takes: PostgreSQL's protocol caps a statement at 32,767
   * parameters, and long lists plan badly on both databases.
   */
  int IN_LIST = 1000;

  /** The blind index a practice's source key is found by (the key itself is encrypted). */
  default String sourceIndex(String practiceId, String sourceKey) {
    return V9__Source_keys_by_practice.sourceIndex(cipher(), practiceId, sourceKey);
  }

  /** The id of the practice's row of {@code table} (patient, plan) with this source key. */
  default Optional<String> idBySource(String table, String practiceId, String sourceKey) {
    return one(
        "select id from " + table + " where practice_id = ? and source_hash = ?",
        rs -> rs.getString(1),
        practiceId,
        sourceIndex(practiceId, sourceKey));
  }
}
