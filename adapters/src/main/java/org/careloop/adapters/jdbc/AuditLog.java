package org.careloop.adapters.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Optional;
import javax.sql.DataSource;
import org.careloop.app.AuditTrail;
import org.jspecify.annotations.Nullable;

/**
 * The audit trail: who viewed or changed patient data and settings, when, on which subject. It is
 * tamper-evident: every event carries its sequence number, the hash of the event before it and its
 * own hash (SHA-256 over both and its fields), and the chain's head (the newest sequence number and
 * hash) is kept in a row of its own that each append locks, so events are chained one after the
 * other even from several processes. {@link #verify} names the first link that does not hold: an
 * event changed, removed, or cut from the end.
 */
public final class AuditLog implements AuditTrail {
  /** The hash before the first event. */
  static final String GENESIS = "0".repeat(64);

  private final DataSource dataSource;

  public AuditLog(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Appends an event inside {@code tx}, chained after the newest. The subject names what was seen
   * or changed ({@code task 12}, {@code plan pl-…}, {@code patient pt-…}); its patient is recorded
   * so a practice can list everything done with one patient's data.
   */
  static void append(
      JdbcAccess tx,
      String actor,
      @Nullable String practiceId,
      String action,
      String subject,
      @Nullable String detail,
      Instant now) {
    var head =
        tx.one(
                "select seq, hash from audit_chain where id = 1 for update",
                rs -> new Object[] {rs.getLong(1), rs.getString(2)})
            .orElseThrow(() -> new IllegalStateException("the audit chain has no head"));
    long seq = (long) head[0] + 1;
    String prev = (String) head[1];
    Instant at = now.truncatedTo(ChronoUnit.MILLIS);
    // A command-line view names no practice: the subject's own practice is recorded.
    var named = subjectOf(tx, practiceId, subject);
    String practice = practiceId != null ? practiceId : named.map(Subject::practiceId).orElse(null);
    String patient = named.map(Subject::patientId).orElse(null);
    String hash = hash(prev, seq, at, actor, practice, patient, action, subject, detail);
    tx.update(
        "insert into audit_event (seq, at, actor, practice_id, patient_id, action, subject, detail,"
            + " prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        seq,
        at,
        actor,
        practice,
        patient,
        action,
        subject,
        detail,
        prev,
        hash);
    tx.update("update audit_chain set seq = ?, hash = ? where id = 1", seq, hash);
  }

  /** The practice and patient a subject names; a practice given is the only one looked in. */
  private record Subject(String practiceId, String patientId) {}

  private static Optional<Subject> subjectOf(
      JdbcAccess tx, @Nullable String practiceId, String subject) {
    String[] parts = subject.split(" ", 2);
    if (parts.length < 2) return Optional.empty();
    String ref = parts[1].strip();
    String sql =
        switch (parts[0]) {
          case "patient" -> "select practice_id, id from patient where id = ?";
          case "plan" -> "select practice_id, patient_id from plan where id = ?";
          case "task" ->
              "select p.practice_id, t.patient_id from task t join plan p on p.id = t.plan_id"
                  + " where t.id = ?";
          default -> null;
        };
    if (sql == null) return Optional.empty();
    Object key = ref;
    if (parts[0].equals("task")) {
      try {
        key = Long.parseLong(ref);
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return tx.one(sql, rs -> new Subject(rs.getString(1), rs.getString(2)), key)
        .filter(s -> practiceId == null || s.practiceId().equals(practiceId));
  }

  /** The event's hash: SHA-256 over the previous hash and each field, length-prefixed. */
  static String hash(
      String prev,
      long seq,
      Instant at,
      String actor,
      @Nullable String practiceId,
      @Nullable String patientId,
      String action,
      String subject,
      @Nullable String detail) {
    var text = new StringBuilder(prev).append('\n');
    for (String field :
        new @Nullable String[] {
          Long.toString(seq),
          at.truncatedTo(ChronoUnit.MILLIS).toString(),
          actor,
          practiceId,
          patientId,
          action,
          subject,
          detail
        }) {
      // A missing value differs from an empty one; the length keeps "ab"+"c" apart from "a"+"bc".
      if (field == null) text.append("-1:\n");
      else text.append(field.length()).append(':').append(field).append('\n');
    }
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A page of one practice's events, newest first. */
  @Override
  public Page page(Query q, int page, int size) {
    var where = new StringBuilder(" where 1 = 1");
    var params = new ArrayList<Object>();
    q.practiceId()
        .ifPresent(p -> {
          where.append(" and practice_id = ?");
          params.add(p);
        });
    q.actor()
        .ifPresent(a -> {
          where.append(" and actor = ?");
          params.add(a);
        });
    q.patientId()
        .ifPresent(p -> {
          where.append(" and patient_id = ?");
          params.add(p);
        });
    q.from()
        .ifPresent(d -> {
          where.append(" and at >= ?");
          params.add(d.atStartOfDay(q.zone()).toOffsetDateTime());
        });
    q.to()
        .ifPresent(d -> {
          where.append(" and at < ?");
          params.add(d.plusDays(1).atStartOfDay(q.zone()).toOffsetDateTime());
        });
    int p = Math.max(1, page);
    try (var c = dataSource.getConnection()) {
      long total;
      try (var ps = c.prepareStatement("select count(*) from audit_event" + where)) {
        JdbcStore.bind(ps, params.toArray());
        try (var rs = ps.executeQuery()) {
          rs.next();
          total = rs.getLong(1);
        }
      }
      var events = new ArrayList<Event>();
      try (var ps =
          c.prepareStatement(
              "select * from audit_event"
                  + where
                  + " order by seq desc offset ? rows fetch next ? rows only")) {
        params.add((long) (p - 1) * size);
        params.add(size);
        JdbcStore.bind(ps, params.toArray());
        try (var rs = ps.executeQuery()) {
          while (rs.next()) events.add(event(rs));
        }
      }
      c.commit();
      return new Page(events, total, p, size);
    } catch (SQLException e) {
      throw new JdbcStore.DataAccessFailure(e);
    }
  }

  /** Every event the query matches, newest first, a thousand at a time; how many there were. */
  @Override
  public long forEach(Query q, java.util.function.Consumer<Event> each) {
    long n = 0;
    for (int p = 1; ; p++) {
      var events = page(q, p, 1000);
      events.events().forEach(each);
      n += events.events().size();
      if (p >= events.pages()) return n;
    }
  }

  private static Event event(ResultSet rs) throws SQLException {
    return new Event(
        rs.getLong("seq"),
        rs.getObject("at", OffsetDateTime.class).toInstant(),
        rs.getString("actor"),
        Optional.ofNullable(rs.getString("practice_id")),
        Optional.ofNullable(rs.getString("patient_id")),
        rs.getString("action"),
        rs.getString("subject"),
        Optional.ofNullable(rs.getString("detail")));
  }

  /** Walks the whole chain in order and names the first link that does not hold. */
  @Override
  public Verification verify() {
    try (var c = dataSource.getConnection()) {
      var result = verify(c);
      c.commit();
      return result;
    } catch (SQLException e) {
      throw new JdbcStore.DataAccessFailure(e);
    }
  }

  private static Verification verify(Connection c) throws SQLException {
    String prev = GENESIS;
    long expected = 1, checked = 0;
    try (var ps = c.prepareStatement("select * from audit_event order by seq")) {
      ps.setFetchSize(1000);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          var e = event(rs);
          checked++;
          if (e.seq() != expected)
            return broken(
                checked,
                e.seq() < expected
                    ? "event " + e.seq() + " appears twice"
                    : "event(s) "
                        + expected
                        + (e.seq() - 1 > expected ? "–" + (e.seq() - 1) : "")
                        + " are missing (removed)");
          if (!prev.equals(rs.getString("prev_hash")))
            return broken(
                checked,
                "event "
                    + e.seq()
                    + " does not follow event "
                    + (e.seq() - 1)
                    + " (its previous hash differs)");
          String own =
              hash(
                  prev,
                  e.seq(),
                  e.at(),
                  e.actor(),
                  e.practiceId().orElse(null),
                  e.patientId().orElse(null),
                  e.action(),
                  e.subject(),
                  e.detail().orElse(null));
          if (!own.equals(rs.getString("hash")))
            return broken(
                checked, "event " + e.seq() + " was changed (its hash does not match its content)");
          prev = own;
          expected++;
        }
      }
    }
    try (var ps = c.prepareStatement("select seq, hash from audit_chain where id = 1");
        var rs = ps.executeQuery()) {
      if (!rs.next()) return broken(checked, "the chain's head is missing");
      if (rs.getLong(1) != expected - 1 || !rs.getString(2).equals(prev))
        return broken(
            checked,
            "the chain's head names event "
                + rs.getLong(1)
                + " but the last event is "
                + (expected - 1)
                + " (events removed from the end)");
    }
    return new Verification(checked, Optional.empty());
  }

  private static Verification broken(long checked, String why) {
    return new Verification(checked, Optional.of(why));
  }
}
