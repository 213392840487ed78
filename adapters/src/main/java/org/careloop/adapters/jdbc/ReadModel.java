package org.careloop.adapters.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.careloop.adapters.crypto.FieldCipher;
import org.careloop.app.Reads;
import org.careloop.core.Milestone;
import org.careloop.core.PlanState;
import org.jspecify.annotations.Nullable;

/** Queries for people and reports: plan lists, one plan with its timeline, outbox, tasks, gaps. */
public final class ReadModel implements Reads {
  private final DataSource ds;

  private final FieldCipher cipher;

  public ReadModel(DataSource ds, FieldCipher cipher) {
    this.ds = ds;
    this.cipher = cipher;
  }

  interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private <T> List<T> query(String sql, Row<T> row, @Nullable Object... params) {
    try (var c = ds.getConnection();
        var ps = c.prepareStatement(sql)) {
      JdbcStore.bind(ps, params);
      var out = new ArrayList<T>();
      try (var rs = ps.executeQuery()) {
        while (rs.next()) out.add(row.map(rs));
      }
      c.commit();
      return out;
    } catch (SQLException e) {
      throw new JdbcStore.DataAccessFailure(e);
    }
  }

  private static Optional<Instant> opt(ResultSet rs, String col) throws SQLException {
    return Optional.ofNullable(rs.getObject(col, OffsetDateTime.class))
        .map(OffsetDateTime::toInstant);
  }

  private static final String PLAN_SELECT =
      "select p.id, p.status, p.protocol_id, p.protocol_version, p.state, p.next_wakeup_at, p.source_key, p.provider, pt.first_name, pt.last_name from plan p join patient pt on pt.id = p.patient_id";

  private String name(ResultSet rs) throws SQLException {
    return cipher.decrypt("patient.first_name", rs.getString("first_name"))
        + " "
        + cipher.decrypt("patient.last_name", rs.getString("last_name"));
  }

  private PlanRow planRow(ResultSet rs) throws SQLException {
    var state = StateCodec.read(cipher.decrypt("plan.state", rs.getString("state")));
    var current = state.current();
    return new PlanRow(
        rs.getString("id"),
        name(rs),
        rs.getString("status"),
        rs.getString("protocol_id") + " v" + rs.getInt("protocol_version"),
        current
            .map(m ->
                m.kind().patientWords() + " (" + m.status().name().toLowerCase(Locale.ROOT) + ")")
            .orElse("-"),
        current.map(Milestone::dueAt),
        opt(rs, "next_wakeup_at"),
        cipher.decrypt("plan.source_key", rs.getString("source_key")));
  }

  /** One practice's plans (or all, when empty), by patient name. */
  @Override
  public List<PlanRow> plans(Optional<String> practiceId) {
    // Names are encrypted: sort after decrypting.
    var rows =
        new ArrayList<>(
            query(
                PLAN_SELECT + (practiceId.isPresent() ? " where pt.practice_id = ?" : ""),
                this::planRow,
                practiceId.stream().toArray()));
    rows.sort(Comparator.comparing(PlanRow::patient).thenComparing(PlanRow::id));
    return rows;
  }

  @Override
  public Optional<PlanView> plan(String id) {
    var found =
        query(
            PLAN_SELECT + " where p.id = ?",
            rs ->
                new Object[] {
                  planRow(rs), StateCodec.read(cipher.decrypt("plan.state", rs.getString("state")))
                },
            id);
    if (found.isEmpty()) return Optional.empty();
    var timeline =
        query(
            "select occurred_at, kind, detail from timeline_entry where plan_id = ? order by id",
            rs ->
                new TimelineRow(
                    opt(rs, "occurred_at").orElseThrow(),
                    rs.getString("kind"),
                    cipher.decrypt("timeline_entry.detail", rs.getString("detail"))),
            id);
    return Optional.of(
        new PlanView((PlanRow) found.get(0)[0], (PlanState) found.get(0)[1], timeline));
  }

  /** One practice's outbox (its plans' messages and write-backs), or everything when empty. */
  @Override
  public List<OutboxRow> outbox(Optional<String> practiceId) {
    return query(
        practiceId.isPresent()
            ? "select o.* from outbox o join plan p on p.id = o.plan_id where p.practice_id = ?"
                + " order by o.created_at, o.id"
            : "select * from outbox order by created_at, id",
        rs ->
            new OutboxRow(
                rs.getLong("id"),
                rs.getString("idempotency_key"),
                rs.getString("plan_id"),
                rs.getString("kind"),
                Optional.ofNullable(rs.getString("channel")).orElse("-"),
                Optional.ofNullable(rs.getString("template")),
                rs.getString("status"),
                rs.getInt("attempts"),
                opt(rs, "created_at").orElseThrow(),
                opt(rs, "sent_at"),
                Optional.ofNullable(rs.getString("last_error"))),
        practiceId.stream().toArray());
  }

  /** One practice's open tasks (or all, when empty), ranked. */
  @Override
  public List<TaskRow> tasks(Optional<String> practiceId) {
    return query(
        "select t.*, pt.first_name, pt.last_name from task t join patient pt on pt.id = t.patient_id where t.status = 'OPEN'"
            + (practiceId.isPresent() ? " and pt.practice_id = ?" : "")
            + " order by case t.priority when 'URGENT' then 0 when 'HIGH' then 1 else 2 end, t.respond_by, t.id",
        rs ->
            new TaskRow(
                rs.getLong("id"),
                rs.getString("plan_id"),
                name(rs),
                rs.getString("lane"),
                rs.getString("priority"),
                cipher.decrypt("task.title", rs.getString("title")),
                cipher.decrypt("task.detail", rs.getString("detail")),
                rs.getString("status"),
                opt(rs, "respond_by").orElseThrow(),
                opt(rs, "created_at").orElseThrow(),
                Optional.ofNullable(rs.getString("owner_role")),
                Optional.ofNullable(rs.getString("escalated_to")),
                Optional.ofNullable(rs.getString("need")).orElse("-"),
                Optional.ofNullable(rs.getString("milestone_key"))),
        practiceId.stream().toArray());
  }

  /**
   * Open care gaps, each plan's tiers those of the protocol version it runs on ({@code tiersOf}),
   * one practice's plans (or all, when empty), worst first.
   */
  @Override
  public List<GapRow> careGaps(
      Instant now,
      java.util.function.Function<PlanState, org.careloop.core.Protocol> protocolOf,
      Optional<String> practiceId) {
    var out = new ArrayList<GapRow>();
    record Found(PlanState state, String patient, String provider, ZoneId zone, int attempts) {}
    for (var r :
        query(
            "select p.state, p.provider, pt.first_name, pt.last_name, pt.time_zone,"
                + " (select count(*) from outreach_log o where o.plan_id = p.id)"
                + " + (select count(*) from task_note n join task t on t.id = n.task_id"
                + " where t.plan_id = p.id and n.outcome is not null) as attempts"
                + " from plan p join patient pt on pt.id = p.patient_id"
                + " where p.status = 'ACTIVE'"
                + (practiceId.isPresent() ? " and pt.practice_id = ?" : ""),
            rs ->
                new Found(
                    StateCodec.read(cipher.decrypt("plan.state", rs.getString("state"))),
                    name(rs),
                    cipher.decryptOptional("plan.provider", rs.getString("provider")).orElse(""),
                    ZoneId.of(rs.getString("time_zone")),
                    rs.getInt("attempts")),
            practiceId.stream().toArray())) {
      var state = r.state();
      for (var gap : org.careloop.core.CareGap.of(state, protocolOf.apply(state), now)) {
        var m = gap.step();
        out.add(
            new GapRow(
                state.planId(),
                state.patientId(),
                r.patient(),
                r.provider(),
                m.kind().patientWords(),
                m.description(),
                m.dueAt(),
                m.dueAt().atZone(r.zone()).toLocalDate(),
                gap.daysOverdue(),
                gap.tier(),
                state.protocolId(),
                state.protocolVersion(),
                gap.outcomeUnknown(),
                r.attempts()));
      }
    }
    out.sort(
        Comparator.comparingLong(GapRow::daysOverdue).reversed().thenComparing(GapRow::planId));
    return out;
  }

  @Override
  public List<ProgramRow> programs(Instant now) {
    var byProtocol = new java.util.TreeMap<String, int[]>();
    for (var state :
        query(
            "select state from plan",
            rs -> StateCodec.read(cipher.decrypt("plan.state", rs.getString("state"))))) {
      var c = byProtocol.computeIfAbsent(state.protocolId(), k -> new int[6]);
      c[0]++;
      Instant start = state.anchorAt();
      if (state.firstMessageAt().isPresent()) {
        c[1]++;
        if (!state.firstMessageAt().get().isAfter(start.plus(java.time.Duration.ofHours(2))))
          c[2]++;
      }
      var first = state.milestones().stream().findFirst();
      if (first
          .flatMap(m -> m.bookedAt().or(m::completedAt))
          .filter(t -> !t.isAfter(start.plus(java.time.Duration.ofDays(7))))
          .isPresent()) c[3]++;
      for (var m : state.milestones()) {
        if (m.dueAt().isAfter(now.minus(java.time.Duration.ofDays(30)))) continue;
        c[4]++;
        if (m.completedAt()
            .filter(t -> !t.isAfter(m.dueAt().plus(java.time.Duration.ofDays(30))))
            .isPresent()) c[5]++;
      }
    }
    var out = new ArrayList<ProgramRow>();
    byProtocol.forEach((k, c) -> out.add(new ProgramRow(k, c[0], c[1], c[2], c[3], c[4], c[5])));
    return out;
  }

  /** The newest messages the sandbox channel took for one practice's plans (or all). */
  @Override
  public List<SandboxRow> sandbox(int limit, Optional<String> practiceId) {
    return query(
        (practiceId.isPresent()
                ? "select s.* from sandbox_message s join outbox o on o.idempotency_key ="
                    + " s.idempotency_key join plan p on p.id = o.plan_id where p.practice_id = ?"
                    + " order by s.delivered_at desc, s.id desc"
                : "select * from sandbox_message order by delivered_at desc, id desc")
            + " fetch first "
            + Math.max(1, limit)
            + " rows only",
        rs ->
            new SandboxRow(
                opt(rs, "delivered_at").orElseThrow(),
                rs.getString("idempotency_key"),
                rs.getString("channel"),
                cipher.decrypt("sandbox_message.recipient", rs.getString("recipient")),
                cipher.decryptOptional("sandbox_message.subject", rs.getString("subject")),
                cipher
                    .decryptOptional("sandbox_message.body", rs.getString("body"))
                    .orElse("(body erased after 30 days)")),
        practiceId.stream().toArray());
  }

  /** Active plans, counted without loading them. */
  @Override
  public long activePlanCount() {
    return query("select count(*) from plan where status = 'ACTIVE'", rs -> rs.getLong(1)).get(0);
  }

  /** Patient messages delivered, counted without loading them. */
  @Override
  public long sentMessageCount() {
    return query(
            "select count(*) from outbox where status = 'SENT' and kind = 'MESSAGE'",
            rs -> rs.getLong(1))
        .get(0);
  }
}
