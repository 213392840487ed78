package org.careloop.adapters.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.careloop.adapters.crypto.FieldCipher;
import org.careloop.app.MetricFacts;
import org.careloop.app.PatientRecord;
import org.careloop.core.Lane;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's facts in one read-only connection: the practice's plans alive in the span (or
 * started in the year before its end, for the figures that look back a year), and the messages,
 * replies, link uses, cases and documented entries of exactly those plans. Every query names the
 * practice.
 */
public final class JdbcMetricFacts implements MetricFacts {
  /** How far before the span a closed plan is still read (a step's 30 days after its due date). */
  private static final Duration MARGIN = Duration.ofDays(60);

  private static final String PLANS =
      "p.practice_id = ? and p.created_at < ? and (p.status = 'ACTIVE' or p.updated_at >= ?"
          + " or p.created_at >= ?)";

  private final DataSource ds;
  private final FieldCipher cipher;

  public JdbcMetricFacts(DataSource ds, FieldCipher cipher) {
    this.ds = ds;
    this.cipher = cipher;
  }

  private record PracticeRow(ZoneId zone, Optional<Long> appointmentValueCents) {}

  private interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  @Override
  public Facts facts(String practiceId, Instant since, Instant until) {
    Object[] scope = {practiceId, until, since.minus(MARGIN), until.minus(Duration.ofDays(366))};
    try (var c = ds.getConnection()) {
      var practice =
          list(
              c,
              "select time_zone, appointment_value_cents from practice where id = ?",
              rs ->
                  new PracticeRow(
                      ZoneId.of(rs.getString(1)), Optional.ofNullable(rs.getObject(2, Long.class))),
              practiceId);
      if (practice.isEmpty()) throw new IllegalArgumentException("no practice " + practiceId);
      var plans = plans(c, practiceId, scope);
      var messages =
          list(
              c,
              "select o.idempotency_key, o.plan_id, o.channel, o.template, o.sent_at from outbox o"
                  + " join plan p on p.id = o.plan_id where o.kind = 'MESSAGE' and o.status ="
                  + " 'SENT' and o.sent_at is not null and coalesce(o.delivery_status, '') not in"
                  + " ('failed', 'undelivered') and "
                  + PLANS,
              rs ->
                  new MessageFact(
                      rs.getString(1),
                      rs.getString(2),
                      lower(rs.getString(3)),
                      Optional.ofNullable(rs.getString(4)).orElse("-"),
                      at(rs, 5)),
              scope);
      var replies =
          list(
              c,
              "select m.plan_id, m.channel, m.classified, m.received_at from inbound_message m"
                  + " join plan p on p.id = m.plan_id where "
                  + PLANS,
              rs ->
                  new ReplyFact(
                      rs.getString(1), lower(rs.getString(2)), rs.getString(3), at(rs, 4)),
              scope);
      var clicks =
          list(
              c,
              "select l.plan_id, l.outbox_key, l.purpose, l.first_click_at from tracked_link l join"
                  + " plan p on p.id = l.plan_id where l.first_click_at is not null and "
                  + PLANS,
              rs -> new ClickFact(rs.getString(1), rs.getString(2), rs.getString(3), at(rs, 4)),
              scope);
      var tasks =
          list(
              c,
              "select t.id, t.plan_id, t.lane, t.created_at, t.respond_by, t.closed_at,"
                  + " t.close_reason from task t join plan p on p.id = t.plan_id where "
                  + PLANS,
              rs ->
                  new TaskFact(
                      rs.getLong(1),
                      rs.getString(2),
                      Lane.valueOf(rs.getString(3)),
                      at(rs, 4),
                      at(rs, 5),
                      Optional.ofNullable(instant(rs, 6)),
                      Optional.ofNullable(rs.getString(7))),
              scope);
      var notes =
          list(
              c,
              "select n.task_id, t.plan_id, n.at, n.kind, n.barrier, n.outcome from task_note n"
                  + " join task t on t.id = n.task_id join plan p on p.id = t.plan_id where "
                  + PLANS,
              rs ->
                  new NoteFact(
                      rs.getLong(1),
                      rs.getString(2),
                      at(rs, 3),
                      rs.getString(4),
                      Optional.ofNullable(rs.getString(5)),
                      Optional.ofNullable(rs.getString(6))),
              scope);
      c.commit();
      var p = practice.get(0);
      return new Facts(
          p.zone(), p.appointmentValueCents(), plans, messages, replies, clicks, tasks, notes);
    } catch (SQLException e) {
      throw new JdbcStore.DataAccessFailure(e);
    }
  }

  /** A plan read and decoded at a version of it, with its patient read at a moment of theirs. */
  private record Kept(long version, OffsetDateTime patientChanged, PlanFact fact) {}

  /**
   * Each practice's plans as last read, by id: a plan whose version and patient are unchanged is
   * not read, decrypted and decoded again. The figures are as fresh as without it; only what
   * changed since the last dashboard crosses the wire.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, java.util.Map<String, Kept>> kept =
      new java.util.concurrent.ConcurrentHashMap<>();

  private record Current(
      String id, long version, String patientId, OffsetDateTime patientChanged) {}

  /**
   * One reader of a practice's plans at a time: a dashboard asked for while another (or the warm-up
   * at start) reads them waits, then reads only what changed meanwhile, instead of both reading
   * every plan.
   */
  private final java.util.concurrent.ConcurrentHashMap<String, Object> readers =
      new java.util.concurrent.ConcurrentHashMap<>();

  private List<PlanFact> plans(Connection c, String practiceId, Object[] scope)
      throws SQLException {
    synchronized (readers.computeIfAbsent(practiceId, k -> new Object())) {
      return plansAlone(c, practiceId, scope);
    }
  }

  private List<PlanFact> plansAlone(Connection c, String practiceId, Object[] scope)
      throws SQLException {
    var current =
        list(
            c,
            "select p.id, p.version, p.patient_id, pt.updated_at from plan p join patient pt on"
                + " pt.id = p.patient_id where "
                + PLANS,
            rs ->
                new Current(
                    rs.getString(1),
                    rs.getLong(2),
                    rs.getString(3),
                    java.util.Objects.requireNonNull(rs.getObject(4, OffsetDateTime.class))),
            scope);
    var before = kept.getOrDefault(practiceId, java.util.Map.of());
    var now = new java.util.HashMap<String, Kept>();
    var stale = new ArrayList<String>();
    for (var p : current) {
      var k = before.get(p.id());
      if (k != null && k.version() == p.version() && k.patientChanged().isEqual(p.patientChanged()))
        now.put(p.id(), k);
      else stale.add(p.id());
    }
    for (int i = 0; i < stale.size(); i += READ_AT_ONCE) {
      var ids = stale.subList(i, Math.min(i + READ_AT_ONCE, stale.size()));
      var params = new ArrayList<Object>();
      params.add(practiceId);
      params.addAll(ids);
      for (var k :
          list(
              c,
              "select p.id, p.version, pt.updated_at, p.state, pt.first_name, pt.last_name,"
                  + " pt.source_key from plan p join patient pt on pt.id = p.patient_id where"
                  + " p.practice_id = ? and p.id in ("
                  + String.join(", ", java.util.Collections.nCopies(ids.size(), "?"))
                  + ")",
              rs ->
                  new Kept(
                      rs.getLong(2),
                      java.util.Objects.requireNonNull(rs.getObject(3, OffsetDateTime.class)),
                      new PlanFact(
                          StateCodec.read(cipher.decrypt("plan.state", rs.getString(4))),
                          cipher.decrypt("patient.first_name", rs.getString(5))
                              + " "
                              + cipher.decrypt("patient.last_name", rs.getString(6)),
                          PatientRecord.ref(
                              cipher.decrypt("patient.source_key", rs.getString(7))))),
              params.toArray())) now.put(k.fact().state().planId(), k);
    }
    kept.put(practiceId, now);
    return current.stream()
        .map(p -> now.get(p.id()))
        .filter(java.util.Objects::nonNull)
        .map(Kept::fact)
        .toList();
  }

  /** How many changed plans one query reads. */
  private static final int READ_AT_ONCE = 500;

  private static <T> List<T> list(Connection c, String sql, Row<T> row, @Nullable Object... params)
      throws SQLException {
    try (var ps = c.prepareStatement(sql)) {
      JdbcStore.bind(ps, params);
      var out = new ArrayList<T>();
      try (var rs = ps.executeQuery()) {
        while (rs.next()) out.add(row.map(rs));
      }
      return out;
    }
  }

  /** A channel as the figures name it: sms, email, voice. */
  private static String lower(String channel) {
    return channel.toLowerCase(java.util.Locale.ROOT);
  }

  private static Instant at(ResultSet rs, int col) throws SQLException {
    var t = instant(rs, col);
    if (t == null) throw new SQLException("column " + col + " is null");
    return t;
  }

  private static @Nullable Instant instant(ResultSet rs, int col) throws SQLException {
    var t = rs.getObject(col, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
