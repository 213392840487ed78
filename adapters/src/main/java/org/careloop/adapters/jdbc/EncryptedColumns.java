package org.careloop.adapters.jdbc;

import java.util.ArrayList;
import java.util.List;

/** The columns careloop encrypts: what a key rotation re-encrypts and a plaintext dump checks. */
public final class EncryptedColumns {
  private EncryptedColumns() {}

  /**
   * Every encrypted column, as "table.column" (the name its values are bound to): key rotation
   * re-encrypts each, and a test checks that every column the code encrypts is here.
   */
  public static List<String> all() {
    var all = new ArrayList<String>();
    for (var c : COLUMNS) all.add(c.table() + "." + c.column());
    all.add("appointment_link.source_key");
    all.add("order_link.source_key");
    return all;
  }

  /** An encrypted column and the table's key column. */
  record Column(String table, String key, String column) {}

  static final List<Column> COLUMNS =
      List.of(
          new Column("patient", "id", "first_name"),
          new Column("patient", "id", "last_name"),
          new Column("patient", "id", "mobile"),
          new Column("patient", "id", "voice_phone"),
          new Column("patient", "id", "email"),
          new Column("patient", "id", "source_key"),
          new Column("patient", "id", "birth_date"),
          new Column("plan", "id", "provider"),
          new Column("plan", "id", "source_key"),
          new Column("plan", "id", "state"),
          new Column("timeline_entry", "id", "detail"),
          new Column("task", "id", "title"),
          new Column("task", "id", "detail"),
          new Column("task", "id", "escalation_reason"),
          new Column("task_note", "id", "case_status"),
          new Column("task_note", "id", "understood"),
          new Column("task_note", "id", "next_action"),
          new Column("board_entry", "id", "summary"),
          new Column("outbox", "id", "note"),
          new Column("outbox", "id", "recipient"),
          new Column("outbox", "id", "body"),
          new Column("sandbox_message", "id", "recipient"),
          new Column("sandbox_message", "id", "subject"),
          new Column("sandbox_message", "id", "body"),
          new Column("inbound_message", "id", "body"),
          new Column("care_gap_report", "id", "content"),
          new Column("signing_key", "id", "private_jwk"),
          new Column("ehr_event", "id", "resource"));
}
