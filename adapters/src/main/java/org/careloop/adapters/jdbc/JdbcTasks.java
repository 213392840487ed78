package org.careloop.adapters.jdbc;

import static org.careloop.adapters.jdbc.JdbcStore.instant;
import static org.careloop.adapters.jdbc.JdbcStore.optInstant;
import static org.careloop.adapters.jdbc.JdbcStore.truncate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.app.Store;
import org.careloop.app.TaskRecord;

/** The Tasks port on JDBC. */
interface JdbcTasks extends Store.Tasks, JdbcAccess {
  @Override
  default void insertTasks(List<TaskRecord> tasks) {
    batch(
        "insert into task (idempotency_key, plan_id, patient_id, milestone_key, lane, priority, title, detail, status, respond_by, created_at, owner_role, backup_role, escalated_at, escalated_to, escalation_reason, need, open_need) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        tasks.stream()
            .map(t ->
                new Object[] {
                  t.idempotencyKey(),
                  t.planId(),
                  t.patientId(),
                  t.milestoneKey().orElse(null),
                  t.lane(),
                  t.priority(),
                  cipher().encrypt("task.title", truncate(t.title(), 400)),
                  cipher().encrypt("task.detail", truncate(t.detail(), 4000)),
                  t.status(),
                  t.respondBy(),
                  t.createdAt(),
                  t.ownerRole(),
                  t.backupRole(),
                  t.escalatedTo().isPresent() ? t.createdAt() : null,
                  t.escalatedTo().orElse(null),
                  t.escalatedTo().isPresent()
                      ? cipher()
                          .encrypt(
                              "task.escalation_reason",
                              truncate("escalated when it was made: " + t.title(), 2200))
                      : null,
                  t.need().orElse(null),
                  t.status().equals("OPEN") ? t.openNeed().orElse(null) : null
                })
            .toList());
    // Every case gets an owner and a backup where the practice has people in the lane's roles:
    // the least loaded one who is not out of office.
    for (var t : tasks) {
      var ids =
          one(
              "select t.id, pt.practice_id from task t join patient pt on pt.id = t.patient_id where t.idempotency_key = ?",
              rs -> new String[] {rs.getString(1), rs.getString(2)},
              t.idempotencyKey());
      if (ids.isEmpty() || t.ownerRole().isBlank()) continue;
      var owner = leastLoaded(ids.get()[1], t.ownerRole(), Optional.empty());
      var backup = leastLoaded(ids.get()[1], t.backupRole(), owner);
      if (owner.isPresent() || backup.isPresent())
        update(
            "update task set owner_user = ?, backup_user = ? where id = ?",
            owner.orElse(null),
            backup.orElse(null),
            Long.parseLong(ids.get()[0]));
    }
  }

  private Optional<String> leastLoaded(String practiceId, String role, Optional<String> not) {
    return one(
        "select u.id from app_user u where u.practice_id = ? and u.role = ? and not u.out_of_office and u.id <> ?"
            + " order by (select count(*) from task o where o.owner_user = u.id and o.status = 'OPEN'), u.username"
            + " fetch first 1 rows only",
        rs -> rs.getString(1),
        practiceId,
        role,
        not.orElse(""));
  }

  @Override
  default List<org.careloop.app.Store.OverdueTask> overdueTasks(Instant now, int limit) {
    return query(
        "select id, plan_id, lane, priority, title, respond_by from task where status = 'OPEN'"
            + " and escalated_at is null and respond_by <= ? order by respond_by, id fetch first "
            + limit
            + " rows only for update skip locked",
        rs ->
            new org.careloop.app.Store.OverdueTask(
                rs.getLong("id"),
                rs.getString("plan_id"),
                rs.getString("lane"),
                rs.getString("priority"),
                cipher().decrypt("task.title", rs.getString("title")),
                optInstant(rs, "respond_by").orElseThrow()),
        now);
  }

  @Override
  default void escalateTask(long taskId, String to, String reason, Instant at) {
    update(
        "update task set escalated_at = ?, escalated_to = ?, escalation_reason = ? where id = ?",
        at,
        to,
        cipher().encrypt("task.escalation_reason", truncate(reason, 2200)),
        taskId);
  }

  @Override
  default List<Store.Tasks.OpenCase> openCasesOfPlan(String planId) {
    return query(
        "select id, milestone_key, need, priority, respond_by from task"
            + " where plan_id = ? and open_need is not null order by id for update",
        rs ->
            new Store.Tasks.OpenCase(
                rs.getLong(1),
                java.util.Optional.ofNullable(rs.getString(2)),
                rs.getString(3),
                rs.getString(4),
                instant(rs, "respond_by")),
        planId);
  }

  private Store.Tasks.CaseState caseState(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Store.Tasks.CaseState(
        rs.getLong("id"),
        rs.getString("idempotency_key"),
        rs.getString("practice_id"),
        rs.getString("plan_id"),
        rs.getString("patient_id"),
        rs.getString("lane"),
        rs.getString("priority"),
        cipher().decrypt("task.title", rs.getString("title")),
        cipher().decrypt("task.detail", rs.getString("detail")),
        Optional.ofNullable(rs.getString("owner_role")).orElse(""),
        instant(rs, "created_at"),
        instant(rs, "respond_by"),
        rs.getString("status").equals("OPEN")
            ? Optional.empty()
            : Optional.of(optInstant(rs, "closed_at").orElse(instant(rs, "created_at"))),
        Optional.ofNullable(rs.getString("close_reason")));
  }

  /** A task with its plan's practice. */
  String CASE_STATE =
      "select t.*, p.practice_id from task t join plan p on p.id = t.plan_id where ";

  @Override
  default Optional<Store.Tasks.CaseState> caseState(String key) {
    return one(CASE_STATE + "t.idempotency_key = ?", this::caseState, key);
  }

  @Override
  default Optional<Store.Tasks.CaseState> caseState(long taskId) {
    return one(CASE_STATE + "t.id = ?", this::caseState, taskId);
  }

  @Override
  default void refreshCase(
      long taskId, String title, String detail, String priority, Instant respondBy) {
    update(
        "update task set title = ?, detail = ?, priority = ?, respond_by = ? where id = ?",
        cipher().encrypt("task.title", truncate(title, 400)),
        cipher().encrypt("task.detail", truncate(detail, 4000)),
        priority,
        respondBy,
        taskId);
  }
}
