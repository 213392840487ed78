package org.careloop.adapters.jdbc;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.careloop.app.CaseNote;
import org.careloop.app.WorkItem;

/** The Cases port on JDBC: a task found only through its patient's practice. */
interface JdbcCases extends org.careloop.app.Cases, JdbcAccess {
  @Override
  default void nextAttemptBy(long taskId, Instant respondBy) {
    update("update task set respond_by = ? where id = ? and status = 'OPEN'", respondBy, taskId);
  }

  @Override
  default Optional<CaseRef> lockCase(String practiceId, long taskId) {
    return one(
        "select t.id, t.plan_id, t.patient_id, t.milestone_key, t.priority, t.status from task t join patient pt on pt.id = t.patient_id where t.id = ? and pt.practice_id = ? for update",
        rs ->
            new CaseRef(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                Optional.ofNullable(rs.getString(4)),
                rs.getString(5),
                rs.getString(6).equals("OPEN")),
        taskId,
        practiceId);
  }

  @Override
  default void addCaseNote(long taskId, CaseNote note) {
    update(
        "insert into task_note (task_id, at, author, kind, case_status, barrier, understood, next_action, target_date, escalation_needed, outcome, decision) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        note.outcome().orElse(null),
        note.decision().orElse(null));
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

  @Override
  default List<WorkItem> worklist(String practiceId, WorkItem.Filter f, Instant now) {
    var sql =
        new StringBuilder(
            "select t.id, t.plan_id, t.lane, t.priority, t.title, t.respond_by, t.created_at,"
                + " t.owner_role, t.escalated_to, pt.first_name, pt.last_name, pt.source_key,"
                + " pt.mobile, pt.voice_phone, pt.birth_date,"
                + " case when o.out_of_office then b.display_name else o.display_name end as owner_name,"
                + " case when o.out_of_office then b.username else o.username end as owner_username"
                + " from task t join patient pt on pt.id = t.patient_id"
                + " left join app_user o on o.id = t.owner_user left join app_user b on b.id = t.backup_user"
                + " where t.status = 'OPEN' and pt.practice_id = ?");
    var params = new ArrayList<Object>();
    params.add(practiceId);
    f.lane()
        .ifPresent(l -> {
          sql.append(" and t.lane = ?");
          params.add(l);
        });
    f.priority()
        .ifPresent(p -> {
          sql.append(" and t.priority = ?");
          params.add(p);
        });
    f.owner()
        .ifPresent(o -> {
          if (o.equals("unowned")) sql.append(" and t.owner_user is null");
          else {
            sql.append(" and (o.username = ? or (o.out_of_office and b.username = ?))");
            params.add(o);
            params.add(o);
          }
        });
    f.olderThanDays()
        .ifPresent(d -> {
          sql.append(" and t.created_at <= ?");
          params.add(now.minus(java.time.Duration.ofDays(d)));
        });
    sql.append(
        " order by case t.priority when 'URGENT' then 0 when 'HIGH' then 1 else 2 end, t.respond_by, t.id");
    var cipher = cipher();
    return query(
        sql.toString(),
        rs -> {
          var respondBy = rs.getObject("respond_by", OffsetDateTime.class).toInstant();
          String voice = rs.getString("voice_phone");
          return new WorkItem(
              rs.getLong("id"),
              rs.getString("plan_id"),
              cipher.decrypt("patient.first_name", rs.getString("first_name"))
                  + " "
                  + cipher.decrypt("patient.last_name", rs.getString("last_name")),
              rs.getString("lane"),
              rs.getString("priority"),
              cipher.decrypt("task.title", rs.getString("title")),
              respondBy,
              rs.getObject("created_at", OffsetDateTime.class).toInstant(),
              Optional.ofNullable(rs.getString("owner_name")),
              Optional.ofNullable(rs.getString("owner_role")),
              Optional.ofNullable(rs.getString("escalated_to")),
              respondBy.isBefore(now),
              Optional.ofNullable(rs.getString("owner_username")),
              org.careloop.app.PatientRecord.ref(
                  cipher.decrypt("patient.source_key", rs.getString("source_key"))),
              Optional.ofNullable(rs.getString("mobile"))
                  .map(m -> cipher.decrypt("patient.mobile", m))
                  .or(() ->
                      Optional.ofNullable(voice)
                          .map(v -> cipher.decrypt("patient.voice_phone", v))),
              cipher
                  .decryptOptional("patient.birth_date", rs.getString("birth_date"))
                  .map(java.time.LocalDate::parse));
        },
        params.toArray());
  }

  /** A case's escalation as stored, its reason decrypted; none when it was not escalated. */
  private Optional<Escalation> escalation(
      @org.jspecify.annotations.Nullable String to,
      @org.jspecify.annotations.Nullable OffsetDateTime at,
      @org.jspecify.annotations.Nullable String reason) {
    if (to == null || at == null) return Optional.empty();
    return Optional.of(
        new Escalation(
            to,
            at.toInstant(),
            reason == null ? "" : cipher().decrypt("task.escalation_reason", reason)));
  }

  @Override
  default Optional<CaseFile> caseOfPractice(String practiceId, long taskId) {
    var cipher = cipher();
    return one(
        "select t.*, o.display_name as owner_name from task t join patient pt on pt.id = t.patient_id"
            + " left join app_user o on o.id = t.owner_user where t.id = ? and pt.practice_id = ?",
        rs ->
            new CaseFile(
                rs.getString("status"),
                rs.getString("lane"),
                rs.getString("priority"),
                cipher.decrypt("task.title", rs.getString("title")),
                cipher.decrypt("task.detail", rs.getString("detail")),
                rs.getObject("respond_by", OffsetDateTime.class).toInstant(),
                Optional.ofNullable(rs.getString("owner_name")),
                Optional.ofNullable(rs.getString("close_reason")),
                rs.getString("plan_id"),
                rs.getString("patient_id"),
                escalation(
                    rs.getString("escalated_to"),
                    rs.getObject("escalated_at", OffsetDateTime.class),
                    rs.getString("escalation_reason"))),
        taskId,
        practiceId);
  }

  @Override
  default List<CaseNote> caseNotes(String practiceId, long taskId) {
    var cipher = cipher();
    return query(
        "select n.*, u.display_name from task_note n join app_user u on u.id = n.author"
            + " join task t on t.id = n.task_id join patient pt on pt.id = t.patient_id"
            + " where n.task_id = ? and pt.practice_id = ? order by n.id",
        rs ->
            new CaseNote(
                rs.getObject("at", OffsetDateTime.class).toInstant(),
                rs.getString("display_name"),
                rs.getString("kind"),
                cipher.decryptOptional("task_note.case_status", rs.getString("case_status")),
                Optional.ofNullable(rs.getString("barrier")),
                Optional.ofNullable(rs.getString("understood"))
                    .map(v -> cipher.decrypt("task_note.understood", v)),
                Optional.ofNullable(rs.getString("next_action"))
                    .map(v -> cipher.decrypt("task_note.next_action", v)),
                Optional.ofNullable(rs.getObject("target_date", LocalDate.class)),
                rs.getBoolean("escalation_needed"),
                Optional.ofNullable(rs.getString("outcome")),
                Optional.ofNullable(rs.getString("decision"))),
        taskId,
        practiceId);
  }

  @Override
  default List<org.careloop.app.Cases.TextLine> textThread(String practiceId, String patientId) {
    var cipher = cipher();
    var out = new ArrayList<org.careloop.app.Cases.TextLine>();
    out.addAll(
        query(
            "select o.created_at, o.sent_at, o.kind, o.template, o.status, o.delivery_status, o.body"
                + " from outbox o join patient pt on pt.id = o.patient_id where pt.practice_id = ?"
                + " and o.patient_id = ? and o.channel = 'SMS' and o.kind in ('MESSAGE', 'REPLY')",
            rs -> {
              var sent = rs.getObject("sent_at", OffsetDateTime.class);
              var at = (sent != null ? sent : rs.getObject("created_at", OffsetDateTime.class));
              String status =
                  Optional.ofNullable(rs.getString("delivery_status"))
                      .orElse(rs.getString("status"))
                      .toLowerCase(java.util.Locale.ROOT);
              return new org.careloop.app.Cases.TextLine(
                  at.toInstant(),
                  false,
                  cipher.decryptOptional("outbox.body", rs.getString("body")),
                  rs.getString("kind").equals("REPLY")
                      ? "answer to the patient's text"
                      : Optional.ofNullable(rs.getString("template"))
                          .map(t -> t.toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
                          .orElse("message"),
                  status);
            },
            practiceId,
            patientId));
    out.addAll(
        query(
            "select m.received_at, m.body, m.classified from inbound_message m join patient pt on"
                + " pt.id = m.patient_id where pt.practice_id = ? and m.patient_id = ? and m.channel ="
                + " 'SMS'",
            rs ->
                new org.careloop.app.Cases.TextLine(
                    rs.getObject("received_at", OffsetDateTime.class).toInstant(),
                    true,
                    cipher.decryptOptional("inbound_message.body", rs.getString("body")),
                    "the patient's text",
                    rs.getString("classified")
                        .toLowerCase(java.util.Locale.ROOT)
                        .replace('_', ' ')),
            practiceId,
            patientId));
    out.sort(java.util.Comparator.comparing(org.careloop.app.Cases.TextLine::at));
    return out;
  }
}
