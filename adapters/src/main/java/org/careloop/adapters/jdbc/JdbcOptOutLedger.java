package org.careloop.adapters.jdbc;

import static org.careloop.adapters.jdbc.JdbcStore.addressIndex;
import static org.careloop.adapters.jdbc.JdbcStore.hashColumn;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.app.Store;
import org.careloop.core.Channel;

/** The OptOutLedger port on JDBC. */
interface JdbcOptOutLedger extends Store.OptOutLedger, JdbcAccess {
  @Override
  default String addressKey(Channel channel, String address) {
    return addressIndex(cipher(), channel, address);
  }

  @Override
  default Optional<String> patientAddressKey(String patientId, Channel channel) {
    String column = hashColumn(channel);
    return one(
            "select " + column + " from patient where id = ?",
            rs -> Optional.ofNullable(rs.getString(1)),
            patientId)
        .flatMap(x -> x);
  }

  @Override
  default List<String> patientsByAddressKey(Channel channel, String addressKey) {
    String column = hashColumn(channel);
    return query(
        "select id from patient where " + column + " = ? order by id",
        rs -> rs.getString(1),
        addressKey);
  }

  @Override
  default boolean setOptOut(
      Channel channel, String addressKey, boolean optedOut, String source, Instant at) {
    if (optedOut(channel, addressKey) == optedOut) return false;
    int changed =
        update(
            "update contact_preference set opted_out = ?, changed_at = ?, source = ? where channel = ? and address_hash = ?",
            optedOut,
            at,
            source,
            channel.name(),
            addressKey);
    if (changed == 0) {
      update(
          "insert into contact_preference (channel, address_hash, opted_out, changed_at, source) values (?, ?, ?, ?, ?)",
          channel.name(),
          addressKey,
          optedOut,
          at,
          source);
    }
    update(
        "insert into contact_preference_change (channel, address_hash, opted_out, changed_at, source) values (?, ?, ?, ?, ?)",
        channel.name(),
        addressKey,
        optedOut,
        at,
        source);
    return true;
  }

  @Override
  default boolean optedOut(Channel channel, String addressKey) {
    return one(
            "select opted_out from contact_preference where channel = ? and address_hash = ?",
            rs -> rs.getBoolean(1),
            channel.name(),
            addressKey)
        .orElse(false);
  }
}
