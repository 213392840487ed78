package org.careloop.adapters.jdbc;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.app.AuditEvent;
import org.careloop.app.Store;
import org.jspecify.annotations.Nullable;

/** The Audit port on JDBC: {@link AuditLog}'s chained events, in the caller's transaction. */
interface JdbcAudit extends Store.Audit, JdbcAccess {
  @Override
  default void audit(
      String actor,
      @Nullable String practiceId,
      String action,
      String subject,
      @Nullable String detail,
      Instant at) {
    AuditLog.append(this, actor, practiceId, action, subject, detail, at);
  }

  @Override
  default List<AuditEvent> auditTrail(int limit) {
    return query(
        "select * from audit_event order by seq desc fetch first "
            + Math.max(1, limit)
            + " rows only",
        rs ->
            new AuditEvent(
                rs.getLong("id"),
                rs.getObject("at", java.time.OffsetDateTime.class).toInstant(),
                rs.getString("actor"),
                Optional.ofNullable(rs.getString("practice_id")),
                rs.getString("action"),
                rs.getString("subject"),
                Optional.ofNullable(rs.getString("detail"))));
  }
}
