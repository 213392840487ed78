package org.careloop.adapters.jdbc;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** The protocol versions stored in the database, each with the text it was read from. */
public final class ProtocolVersions {
  private final JdbcStore store;

  public ProtocolVersions(JdbcStore store) {
    this.store = store;
  }

  /** One stored version. */
  public record Stored(
      String protocolId,
      int version,
      String sha256,
      String source,
      String file,
      Instant loadedAt) {}

  private static Stored row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Stored(
        rs.getString("protocol_id"),
        rs.getInt("version"),
        rs.getString("sha256"),
        rs.getString("source"),
        rs.getString("file"),
        rs.getObject("loaded_at", OffsetDateTime.class).toInstant());
  }

  public List<Stored> all() {
    return store.inTransaction(tx ->
        ((JdbcStore.JdbcTx) tx)
            .query(
                "select * from protocol_version order by protocol_id, version",
                ProtocolVersions::row));
  }

  public Optional<Stored> find(String protocolId, int version) {
    return store.inTransaction(tx ->
        ((JdbcStore.JdbcTx) tx)
            .one(
                "select * from protocol_version where protocol_id = ? and version = ?",
                ProtocolVersions::row,
                protocolId,
                version));
  }

  /** Stores a version read for the first time. */
  public void insert(Stored s) {
    store.inTransaction(tx -> {
      ((JdbcStore.JdbcTx) tx)
          .update(
              "insert into protocol_version (protocol_id, version, sha256, source, file, loaded_at) values (?, ?, ?, ?, ?, ?)",
              s.protocolId(),
              s.version(),
              s.sha256(),
              s.source(),
              s.file(),
              s.loadedAt());
      return null;
    });
  }
}
