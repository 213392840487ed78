package org.careloop.adapters.jdbc;

import java.time.Instant;
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
}
