package org.careloop.adapters.jdbc;

import static org.careloop.adapters.jdbc.JdbcStore.instant;
import static org.careloop.adapters.jdbc.JdbcStore.truncate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.careloop.app.OutboxItem;
import org.careloop.app.Store;

/** The Outbox port on JDBC. */
interface JdbcOutbox extends Store.Outbox, JdbcAccess {
  default OutboxItem outboxItem(ResultSet rs) throws SQLException {
    return new OutboxItem(
        rs.getLong("id"),
        rs.getString("idempotency_key"),
        Optional.ofNullable(rs.getString("plan_id")),
        Optional.ofNullable(rs.getString("patient_id")),
        OutboxItem.Kind.valueOf(rs.getString("kind")),
        Optional.ofNullable(rs.getString("channel")),
        Optional.ofNullable(rs.getString("template")),
        Optional.ofNullable(rs.getString("step_kind")),
        cipher().decryptOptional("outbox.note", rs.getString("note")),
        OutboxItem.Status.valueOf(rs.getString("status")),
        rs.getInt("attempts"),
        instant(rs, "created_at"),
        instant(rs, "next_attempt_at"),
        Optional.ofNullable(rs.getString("last_error")),
        cipher().decryptOptional("outbox.recipient", rs.getString("recipient")),
        cipher().decryptOptional("outbox.body", rs.getString("body")));
  }

  @Override
  default List<OutboxItem> claimDueOutbox(Instant now, int limit) {
    // Two steps: the due ids in index order without locks (H2 reads and locks every due row
    // for one FOR UPDATE with a limit, which made each claim cost the whole backlog), then each
    // row locked alone; one another dispatcher holds, or has sent since, is passed over.
    var due =
        query(
            "select id from outbox where status = 'PENDING' and next_attempt_at <= ?"
                + " order by status, next_attempt_at, id fetch first "
                + (limit + 16)
                + " rows only",
            rs -> rs.getLong(1),
            now);
    var claimed = new ArrayList<OutboxItem>();
    for (long id : due) {
      if (claimed.size() == limit) break;
      one(
              "select * from outbox where id = ? and status = 'PENDING' for update skip locked",
              this::outboxItem,
              id)
          .ifPresent(claimed::add);
    }
    return claimed;
  }

  @Override
  default void markSending(long outboxId, Instant attemptAt) {
    update(
        "update outbox set status = 'SENDING', sending_at = ? where id = ?", attemptAt, outboxId);
  }

  @Override
  default List<Store.Outbox.Sending> staleSending(Instant before, int limit) {
    return query(
        "select * from outbox where status = 'SENDING' and sending_at < ? order by sending_at, id fetch first "
            + limit
            + " rows only for update skip locked",
        rs -> new Store.Outbox.Sending(outboxItem(rs), instant(rs, "sending_at")),
        before);
  }

  @Override
  default void markWithheld(long outboxId, String reason) {
    update(
        "update outbox set status = 'WITHHELD', last_error = ? where id = ?",
        truncate(reason, 2000),
        outboxId);
  }

  @Override
  default void markPending(long outboxId, Instant at, Optional<String> why) {
    update(
        "update outbox set status = 'PENDING', next_attempt_at = ?, last_error = coalesce(?, last_error) where id = ?",
        at,
        why.map(w -> truncate(w, 2000)).orElse(null),
        outboxId);
  }

  @Override
  default void markSent(long outboxId, Instant at, Optional<String> providerId) {
    update(
        "update outbox set status = 'SENT', sent_at = ?, attempts = attempts + 1, last_error = null, provider_id = ? where id = ?",
        at,
        providerId.orElse(null),
        outboxId);
  }

  @Override
  default Optional<OutboxItem> outboxByProviderId(String providerId) {
    return one("select * from outbox where provider_id = ?", this::outboxItem, providerId);
  }

  @Override
  default boolean queued(String idempotencyKey) {
    return one("select 1 from outbox where idempotency_key = ?", rs -> 1, idempotencyKey)
        .isPresent();
  }

  @Override
  default void recordDeliveryStatus(long outboxId, String status, Optional<String> errorCode) {
    update(
        "update outbox set delivery_status = ?, delivery_error = ? where id = ?",
        truncate(status, 20),
        errorCode.map(c -> truncate(c, 40)).orElse(null),
        outboxId);
  }

  @Override
  default void markRetry(long outboxId, int attempts, Instant nextAttemptAt, String error) {
    update(
        "update outbox set status = 'PENDING', attempts = ?, next_attempt_at = ?, last_error = ? where id = ?",
        attempts,
        nextAttemptAt,
        truncate(error, 2000),
        outboxId);
  }

  @Override
  default void markDead(long outboxId, int attempts, String error) {
    update(
        "update outbox set status = 'DEAD', attempts = ?, last_error = ? where id = ?",
        attempts,
        truncate(error, 2000),
        outboxId);
  }

  @Override
  default void enqueue(List<OutboxItem> items) {
    batch(
        "insert into outbox (idempotency_key, plan_id, patient_id, kind, channel, template, step_kind, note, status, attempts, created_at, next_attempt_at, recipient, body) values (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?, ?)",
        items.stream()
            .map(i ->
                new Object[] {
                  i.idempotencyKey(),
                  i.planId().orElse(null),
                  i.patientId().orElse(null),
                  i.kind().name(),
                  i.channel().orElse(null),
                  i.template().orElse(null),
                  i.stepKind().orElse(null),
                  cipher().encrypt("outbox.note", i.text().orElse(null)),
                  i.createdAt(),
                  i.nextAttemptAt(),
                  cipher().encrypt("outbox.recipient", i.recipient().orElse(null)),
                  cipher().encrypt("outbox.body", i.body().orElse(null))
                })
            .toList());
  }
}
