package org.careloop.adapters.jdbc;

import static org.careloop.adapters.jdbc.JdbcStore.instant;
import static org.careloop.adapters.jdbc.JdbcStore.optInstant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.careloop.app.EhrConnection;
import org.careloop.app.EhrConnections;

/** The EhrConnections port on JDBC: every row keyed by (practice, connection name). */
interface JdbcEhrConnections extends EhrConnections, JdbcAccess {
  private static EhrConnection connection(ResultSet rs) throws SQLException {
    return new EhrConnection(
        rs.getString("practice_id"),
        rs.getString("name"),
        rs.getString("fhir_base"),
        EhrConnection.Auth.valueOf(rs.getString("auth")),
        Optional.ofNullable(rs.getString("client_id")),
        Optional.ofNullable(rs.getString("scope")),
        Optional.ofNullable(rs.getString("token_endpoint")),
        Optional.ofNullable(rs.getString("secret_ref")),
        notifications(rs),
        instant(rs, "created_at"),
        optInstant(rs, "disconnected_at"),
        rs.getBoolean("staff_tasks"),
        EhrConnection.Api.valueOf(rs.getString("api")));
  }

  private static Optional<EhrConnection.Notifications> notifications(ResultSet rs)
      throws SQLException {
    String check = rs.getString("notify_check");
    return check == null
        ? Optional.empty()
        : Optional.of(
            new EhrConnection.Notifications(
                EhrConnection.Check.valueOf(check),
                rs.getString("notify_header"),
                rs.getString("notify_secret_ref")));
  }

  @Override
  default void saveConnection(EhrConnection c, Instant now) {
    Object[] settings = {
      c.fhirBase(),
      c.auth().name(),
      c.clientId().orElse(null),
      c.scope().orElse(null),
      c.secretRef().orElse(null),
      c.tokenEndpoint().orElse(null),
      c.notifications().map(n -> n.check().name()).orElse(null),
      c.notifications().map(EhrConnection.Notifications::header).orElse(null),
      c.notifications().map(EhrConnection.Notifications::secretRef).orElse(null),
      c.staffTasks(),
      c.api().name()
    };
    int changed =
        update(
            "update ehr_connection set fhir_base = ?, auth = ?, client_id = ?, scope = ?,"
                + " secret_ref = ?, token_endpoint = ?, notify_check = ?, notify_header = ?,"
                + " notify_secret_ref = ?, staff_tasks = ?, api = ?, updated_at = ?,"
                + " disconnected_at = null"
                + " where practice_id = ? and name = ?",
            settings[0],
            settings[1],
            settings[2],
            settings[3],
            settings[4],
            settings[5],
            settings[6],
            settings[7],
            settings[8],
            settings[9],
            settings[10],
            now,
            c.practiceId(),
            c.name());
    if (changed == 0)
      update(
          "insert into ehr_connection (practice_id, name, fhir_base, auth, client_id, scope,"
              + " secret_ref, token_endpoint, notify_check, notify_header, notify_secret_ref,"
              + " staff_tasks, api, created_at, updated_at)"
              + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          c.practiceId(),
          c.name(),
          settings[0],
          settings[1],
          settings[2],
          settings[3],
          settings[4],
          settings[5],
          settings[6],
          settings[7],
          settings[8],
          settings[9],
          settings[10],
          now,
          now);
  }

  @Override
  default Optional<EhrConnection> connection(String practiceId, String name) {
    return one(
        "select * from ehr_connection where practice_id = ? and name = ?",
        JdbcEhrConnections::connection,
        practiceId,
        name);
  }

  @Override
  default List<EhrConnection> connections(String practiceId) {
    return query(
        "select * from ehr_connection where practice_id = ? order by name",
        JdbcEhrConnections::connection,
        practiceId);
  }

  @Override
  default void disconnect(String practiceId, String name, Instant now) {
    update(
        "update ehr_connection set disconnected_at = ?, updated_at = ? where practice_id = ? and"
            + " name = ? and disconnected_at is null",
        now,
        now,
        practiceId,
        name);
  }

  @Override
  default Map<String, Instant> cursors(String practiceId, String name) {
    var out = new java.util.TreeMap<String, Instant>();
    for (var row :
        query(
            "select resource_type, last_updated from ehr_cursor where practice_id = ? and"
                + " connection = ?",
            rs -> Map.entry(rs.getString(1), instant(rs, "last_updated")),
            practiceId,
            name)) out.put(row.getKey(), row.getValue());
    return out;
  }

  @Override
  default void advanceCursor(
      String practiceId, String name, String resourceType, Instant lastUpdated, Instant now) {
    int changed =
        update(
            "update ehr_cursor set last_updated = case when last_updated < ? then ? else"
                + " last_updated end, polled_at = ? where practice_id = ? and connection = ? and"
                + " resource_type = ?",
            lastUpdated,
            lastUpdated,
            now,
            practiceId,
            name,
            resourceType);
    if (changed == 0)
      update(
          "insert into ehr_cursor (practice_id, connection, resource_type, last_updated,"
              + " polled_at) values (?, ?, ?, ?, ?)",
          practiceId,
          name,
          resourceType,
          lastUpdated,
          now);
  }
}
