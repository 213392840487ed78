package org.careloop.adapters.jdbc;

import java.time.Instant;
import java.util.Optional;
import org.careloop.app.Store;

/** The Cases port on JDBC: a task found only through its patient's practice. */
interface JdbcCases extends Store.Cases, JdbcAccess {
  @Override
  default Optional<CaseRef> lockCase(String practiceId, long taskId) {
    return one(
        "select t.id, t.plan_id, t.milestone_key, t.status from task t join patient pt on pt.id = t.patient_id where t.id = ? and pt.practice_id = ? for update",
        rs ->
            new CaseRef(
                rs.getLong(1),
                rs.getString(2),
                Optional.ofNullable(rs.getString(3)),
                rs.getString(4).equals("OPEN")),
        taskId,
        practiceId);
  }

  @Override
  default void addCaseNote(
      long taskId, Instant at, String authorId, String kind, String caseStatus) {
    update(
        "insert into task_note (task_id, at, author, kind, case_status) values (?, ?, ?, ?, ?)",
        taskId,
        at,
        authorId,
        kind,
        cipher().encrypt("task_note.case_status", caseStatus));
  }
}
