package org.careloop.adapters.jdbc;

import static org.careloop.adapters.jdbc.JdbcStore.truncate;

import java.time.Instant;
import java.util.Optional;
import org.careloop.app.Store;

/** The Inbox port on JDBC. */
interface JdbcInbox extends Store.Inbox, JdbcAccess {
  @Override
  default boolean recordInbound(org.careloop.app.InboundMessage m) {
    if (one(
            "select id from inbound_message where provider_id = ?",
            rs -> rs.getLong(1),
            m.providerId())
        .isPresent()) return false;
    update(
        "insert into inbound_message (provider_id, channel, address_hash, patient_id, plan_id, body, classified, received_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
        m.providerId(),
        m.channel().name(),
        m.addressKey(),
        m.patientId().orElse(null),
        m.planId().orElse(null),
        cipher().encrypt("inbound_message.body", truncate(m.body(), 1600)),
        m.classified(),
        m.receivedAt());
    return true;
  }

  @Override
  default boolean recordBounce(
      String reportId, Optional<Long> outboxId, String status, Instant at) {
    if (one("select 1 from bounce_report where report_id = ?", rs -> 1, reportId).isPresent())
      return false;
    update(
        "insert into bounce_report (report_id, outbox_id, status, read_at) values (?, ?, ?, ?)",
        truncate(reportId, 400),
        outboxId.orElse(null),
        truncate(status, 20),
        at);
    return true;
  }
}
