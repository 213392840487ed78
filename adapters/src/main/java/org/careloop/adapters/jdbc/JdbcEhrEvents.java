package org.careloop.adapters.jdbc;

import static org.careloop.adapters.jdbc.JdbcStore.instant;
import static org.careloop.adapters.jdbc.JdbcStore.truncate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.app.EhrEvents;

/** The EhrEvents port on JDBC: every row keyed by (practice, connection, event key). */
interface JdbcEhrEvents extends EhrEvents, JdbcAccess {
  private EhrEvent event(ResultSet rs) throws SQLException {
    var resource = rs.getString("resource");
    return new EhrEvent(
        rs.getLong("id"),
        rs.getString("practice_id"),
        rs.getString("connection"),
        rs.getString("event_key"),
        Work.valueOf(rs.getString("work")),
        Optional.ofNullable(rs.getString("focus")),
        resource == null
            ? Optional.empty()
            : Optional.of(cipher().decrypt("ehr_event.resource", resource)),
        instant(rs, "received_at"),
        rs.getInt("attempts"));
  }

  @Override
  default boolean addEvent(
      String practiceId,
      String connection,
      String key,
      Work work,
      Optional<String> focus,
      Optional<String> resource,
      Instant receivedAt,
      Instant notBefore) {
    if (one(
            "select 1 from ehr_event where practice_id = ? and connection = ? and event_key = ?",
            rs -> 1,
            practiceId,
            connection,
            key)
        .isPresent()) return false;
    update(
        "insert into ehr_event (practice_id, connection, event_key, work, focus, resource,"
            + " received_at, next_try_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
        practiceId,
        connection,
        key,
        work.name(),
        focus.orElse(null),
        resource.map(r -> cipher().encrypt("ehr_event.resource", r)).orElse(null),
        receivedAt,
        notBefore);
    return true;
  }

  @Override
  default int storedEvents(
      String practiceId, String connection, java.util.Collection<String> keys) {
    if (keys.isEmpty()) return 0;
    var args = new java.util.ArrayList<Object>(List.of(practiceId, connection));
    args.addAll(keys);
    return one(
            "select count(*) from ehr_event where practice_id = ? and connection = ? and event_key in ("
                + String.join(", ", java.util.Collections.nCopies(keys.size(), "?"))
                + ")",
            rs -> rs.getInt(1),
            args.toArray())
        .orElse(0);
  }

  @Override
  default List<EhrEvent> dueEvents(String practiceId, String connection, Instant now, int limit) {
    return query(
        "select * from ehr_event where practice_id = ? and connection = ? and done_at is null"
            + " and next_try_at <= ? order by id fetch first "
            + Math.max(1, limit)
            + " rows only",
        this::event,
        practiceId,
        connection,
        now);
  }

  @Override
  default void eventDone(
      String practiceId, String connection, long id, String outcome, Instant at) {
    update(
        "update ehr_event set done_at = ?, outcome = ?, resource = null where practice_id = ? and"
            + " connection = ? and id = ?",
        at,
        truncate(outcome, 400),
        practiceId,
        connection,
        id);
  }

  @Override
  default void eventRetry(
      String practiceId, String connection, long id, String outcome, Instant next) {
    update(
        "update ehr_event set attempts = attempts + 1, next_try_at = ?, outcome = ? where"
            + " practice_id = ? and connection = ? and id = ?",
        next,
        truncate(outcome, 400),
        practiceId,
        connection,
        id);
  }

  @Override
  default int pendingEvents(String practiceId, String connection) {
    return one(
            "select count(*) from ehr_event where practice_id = ? and connection = ? and done_at"
                + " is null",
            rs -> rs.getInt(1),
            practiceId,
            connection)
        .orElse(0);
  }

  @Override
  default void noteNotification(
      String practiceId,
      String connection,
      String type,
      Optional<Long> eventsSeen,
      boolean restart,
      Instant at) {
    // A handshake starts the count again (a subscription made anew counts from zero); any other
    // notification only raises it: one that arrives late must not undo a later one's count.
    var before = subscription(practiceId, connection).flatMap(Subscription::eventsSeen);
    Optional<Long> seen =
        restart || before.isEmpty()
            ? eventsSeen
            : Optional.of(Math.max(before.get(), eventsSeen.orElse(before.get())));
    update(
        "update ehr_connection set notified_at = ?, notified_type = ?, events_seen = ? where"
            + " practice_id = ? and name = ?",
        at,
        truncate(type, 30),
        seen.orElse(null),
        practiceId,
        connection);
  }

  @Override
  default int purgeWorkedEvents(Instant before) {
    return update("delete from ehr_event where done_at is not null and done_at < ?", before);
  }

  @Override
  default Optional<Instant> takenVersion(String practiceId, String connection, String focus) {
    return one(
        "select last_updated from ehr_resource_taken where practice_id = ? and connection = ? and"
            + " focus = ?",
        rs -> instant(rs, "last_updated"),
        practiceId,
        connection,
        focus);
  }

  @Override
  default void tookVersion(
      String practiceId, String connection, String focus, Instant lastUpdated) {
    // Worked on the connection's one EHR thread: no other writer races this update-then-insert.
    if (update(
            "update ehr_resource_taken set last_updated = ? where practice_id = ? and connection = ?"
                + " and focus = ? and last_updated < ?",
            lastUpdated,
            practiceId,
            connection,
            focus,
            lastUpdated)
        > 0) return;
    if (takenVersion(practiceId, connection, focus).isEmpty())
      update(
          "insert into ehr_resource_taken (practice_id, connection, focus, last_updated) values"
              + " (?, ?, ?, ?)",
          practiceId,
          connection,
          focus,
          lastUpdated);
  }

  @Override
  default void tookNewerVersions(
      String practiceId, String connection, java.util.Map<String, Instant> versions) {
    for (var v : versions.entrySet())
      update(
          "update ehr_resource_taken set last_updated = ? where practice_id = ? and connection = ?"
              + " and focus = ? and last_updated < ?",
          v.getValue(),
          practiceId,
          connection,
          v.getKey(),
          v.getValue());
  }

  @Override
  default void lockConnection(String practiceId, String connection) {
    one(
        "select 1 from ehr_connection where practice_id = ? and name = ? for update",
        rs -> 1,
        practiceId,
        connection);
  }

  @Override
  default Optional<Subscription> subscription(String practiceId, String connection) {
    return one(
        "select notified_at, notified_type, events_seen from ehr_connection where practice_id = ?"
            + " and name = ? and notified_at is not null",
        rs -> {
          long seen = rs.getLong("events_seen");
          return new Subscription(
              instant(rs, "notified_at"),
              rs.getString("notified_type"),
              rs.wasNull() ? Optional.empty() : Optional.of(seen));
        },
        practiceId,
        connection);
  }
}
