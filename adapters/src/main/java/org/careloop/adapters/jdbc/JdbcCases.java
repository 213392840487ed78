package org.careloop.adapters.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.careloop.app.CaseNote;
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
  default void addCaseNote(long taskId, CaseNote note) {
    update(
        "insert into task_note (task_id, at, author, kind, case_status, barrier, understood, next_action, target_date, escalation_needed, outcome) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        taskId,
        note.at(),
        note.author(),
        note.kind(),
        note.caseStatus().map(v -> cipher().encrypt("task_note.case_status", v)).orElse(null),
        note.barrier().orElse(null),
        note.understood().map(v -> cipher().encrypt("task_note.understood", v)).orElse(null),
        note.nextAction().map(v -> cipher().encrypt("task_note.next_action", v)).orElse(null),
        note.targetDate().orElse(null),
        note.escalationNeeded(),
        note.outcome().orElse(null));
  }

  @Override
  default long callsWithOutcome(long taskId, Set<String> outcomes) {
    if (outcomes.isEmpty()) return 0;
    var args = new ArrayList<Object>();
    args.add(taskId);
    args.addAll(new TreeSet<>(outcomes));
    return one(
            "select count(*) from task_note where task_id = ? and outcome in ("
                + JdbcStore.placeholders(outcomes.size())
                + ")",
            rs -> rs.getLong(1),
            args.toArray())
        .orElse(0L);
  }

  @Override
  default void closeCase(long taskId, String reason, Instant at) {
    update(
        "update task set status = 'CLOSED', closed_at = ?, close_reason = ?, open_need = null"
            + " where id = ?",
        at,
        reason,
        taskId);
  }

  @Override
  default Optional<Long> openCaseOfPlan(String planId, String lane) {
    return one(
        "select id from task where plan_id = ? and lane = ? and status = 'OPEN' order by id",
        rs -> rs.getLong(1),
        planId,
        lane);
  }

  @Override
  default Optional<String> personId(String practiceId, String username) {
    return one(
        "select id from app_user where username = ? and practice_id = ?",
        rs -> rs.getString(1),
        username,
        practiceId);
  }

  @Override
  default Optional<String> unfilledBackupRole(long taskId) {
    return one(
            "select backup_user, backup_role from task where id = ?",
            rs ->
                rs.getString(1) == null
                    ? Optional.ofNullable(rs.getString(2))
                    : Optional.<String>empty(),
            taskId)
        .flatMap(r -> r);
  }

  @Override
  default Optional<String> firstInRole(String practiceId, String role, String not) {
    return one(
        "select id from app_user where practice_id = ? and role = ? and id <> ? order by username",
        rs -> rs.getString(1),
        practiceId,
        role,
        not);
  }

  @Override
  default void assignCase(long taskId, String ownerId, Optional<String> backupId) {
    update(
        "update task set owner_user = ?, backup_user = coalesce(?, backup_user) where id = ?",
        ownerId,
        backupId.orElse(null),
        taskId);
  }
}
