package org.careloop.adapters.jdbc;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.careloop.app.Practice;
import org.careloop.app.Store;

/** The Practices port on JDBC. */
interface JdbcPractices extends Store.Practices, JdbcAccess {
  @Override
  default List<String> practiceIds() {
    return query("select id from practice order by id", rs -> rs.getString(1));
  }

  @Override
  default Practice practice(String practiceId) {
    return one(
            "select * from practice where id = ?",
            rs ->
                new Practice(
                    rs.getString("id"),
                    rs.getString("name"),
                    ZoneId.of(rs.getString("time_zone")),
                    Optional.ofNullable(rs.getString("phone")),
                    Optional.ofNullable(rs.getString("booking_url")),
                    Optional.ofNullable(rs.getString("sms_sender")),
                    Optional.ofNullable(rs.getString("email_from")),
                    rs.getBoolean("email_open_pixel"),
                    Optional.ofNullable(rs.getString("slot_search"))),
            practiceId)
        .orElseThrow(() -> new IllegalStateException("no practice " + practiceId));
  }

  @Override
  default Optional<String> practiceProtocol(String practiceId, String event) {
    return one(
        "select protocol_id from practice_protocol where practice_id = ? and event = ?",
        rs -> rs.getString(1),
        practiceId,
        event);
  }

  @Override
  default List<String> practicesSendingFrom(String to, Optional<String> service) {
    var own =
        query(
            "select id from practice where sms_sender = ? or sms_sender = ? order by id",
            rs -> rs.getString(1),
            to.trim(),
            service.orElse(to).trim());
    if (!own.isEmpty()) return own;
    return query(
        "select id from practice where sms_sender is null order by id", rs -> rs.getString(1));
  }
}
