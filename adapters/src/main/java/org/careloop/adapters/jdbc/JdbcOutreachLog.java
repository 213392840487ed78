package org.careloop.adapters.jdbc;

import static org.careloop.adapters.jdbc.JdbcStore.instant;

import java.time.Instant;
import java.util.List;
import org.careloop.app.Store;

/** The OutreachLog port on JDBC. */
interface JdbcOutreachLog extends Store.OutreachLog, JdbcAccess {
  @Override
  default void recordOutreach(List<Store.Outreach> outreach) {
    batch(
        "insert into outreach_log (patient_id, plan_id, item_key, sent_at) values (?, ?, ?, ?)",
        outreach.stream()
            .map(o -> new Object[] {o.patientId(), o.planId(), o.itemKey(), o.at()})
            .toList());
  }

  @Override
  default List<Instant> sentOutreach(String patientId, String except, Instant since, Instant now) {
    var first = new java.util.HashMap<String, Instant>();
    for (var row :
        query(
            "select idempotency_key, channel, status, sent_at from outbox where patient_id = ?"
                + " and kind = 'MESSAGE'"
                + " and (status = 'SENT' and sent_at > ? or status = 'SENDING')",
            rs ->
                new Object[] {
                  rs.getString(1),
                  rs.getString(2),
                  "SENDING".equals(rs.getString(3)) ? now : instant(rs, "sent_at")
                },
            patientId,
            since)) {
      String key = (String) row[0];
      // A person's one-off message is not automated outreach.
      if (key.contains(":oneoff:")) continue;
      String suffix = ":" + row[1];
      String outreach =
          key.endsWith(suffix) ? key.substring(0, key.length() - suffix.length()) : key;
      if (outreach.equals(except)) continue;
      first.merge(outreach, (Instant) row[2], (a, b) -> a.isBefore(b) ? a : b);
    }
    return List.copyOf(first.values());
  }

  @Override
  default List<Instant> personMessages(String patientId, Instant since) {
    return query(
        "select created_at from outbox where patient_id = ? and kind = 'MESSAGE' and"
            + " idempotency_key like ? and created_at > ? and status not in ('DEAD', 'WITHHELD')",
        rs -> instant(rs, "created_at"),
        patientId,
        "%:oneoff:%",
        since);
  }

  @Override
  default void forgetOutreach(String planId, String itemKey) {
    update("delete from outreach_log where plan_id = ? and item_key = ?", planId, itemKey);
  }
}
