package org.careloop.adapters.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.careloop.app.AppointmentRef;
import org.careloop.app.OutboxItem;
import org.careloop.app.PatientRecord;
import org.careloop.app.Practice;
import org.careloop.app.Store;
import org.careloop.app.StoredPlan;
import org.careloop.app.TaskRecord;
import org.careloop.core.Channel;
import org.careloop.core.TimelineEntry;
import org.jspecify.annotations.Nullable;

/** {@link Store} on plain JDBC, for H2 and PostgreSQL alike. */
public final class JdbcStore implements Store {
  private final DataSource dataSource;
  private final FieldCipher cipher;

  public JdbcStore(DataSource dataSource, FieldCipher cipher) {
    this.dataSource = dataSource;
    this.cipher = cipher;
  }

  @Override
  public <T> T inTransaction(Function<Tx, T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.apply(new JdbcTx(c, cipher));
        c.commit();
        return result;
      } catch (RuntimeException | Error e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new DataAccessFailure(e);
    }
  }

  /** Creates or renames a practice. */
  public void upsertPractice(Practice p) {
    inTransaction(tx -> {
      var jtx = (JdbcTx) tx;
      int n =
          jtx.update(
              "update practice set name = ?, time_zone = ?, phone = ?, booking_url = ? where id = ?",
              p.name(),
              p.zone().getId(),
              p.phone().orElse(null),
              p.bookingUrl().orElse(null),
              p.id());
      if (n == 0) {
        jtx.update(
            "insert into practice (id, name, time_zone, phone, booking_url) values (?, ?, ?, ?, ?)",
            p.id(),
            p.name(),
            p.zone().getId(),
            p.phone().orElse(null),
            p.bookingUrl().orElse(null));
      }
      return null;
    });
  }

  /** A JDBC failure, unchecked. */
  public static final class DataAccessFailure extends RuntimeException {
    DataAccessFailure(SQLException e) {
      super(e.getMessage(), e);
    }
  }

  static Timestampish ts(Instant at) {
    return new Timestampish(OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
  }

  /** Marks an instant parameter. */
  record Timestampish(OffsetDateTime value) {}

  static Instant instant(ResultSet rs, String column) throws SQLException {
    var v = rs.getObject(column, OffsetDateTime.class);
    return v.toInstant();
  }

  static Optional<Instant> optInstant(ResultSet rs, String column) throws SQLException {
    var v = rs.getObject(column, OffsetDateTime.class);
    return Optional.ofNullable(v).map(OffsetDateTime::toInstant);
  }

  /** One transaction on one connection. */
  static final class JdbcTx implements Tx {
    private final Connection c;
    private final FieldCipher cipher;

    JdbcTx(Connection c, FieldCipher cipher) {
      this.cipher = cipher;
      this.c = c;
    }

    FieldCipher cipher() {
      return cipher;
    }

    Connection connection() {
      return c;
    }

    interface Row<T> {
      T map(ResultSet rs) throws SQLException;
    }

    static void bind(PreparedStatement ps, Object... params) throws SQLException {
      for (int i = 0; i < params.length; i++) {
        Object p = params[i];
        if (p == null) ps.setNull(i + 1, Types.NULL);
        else if (p instanceof Timestampish t) ps.setObject(i + 1, t.value());
        else if (p instanceof Instant t)
          ps.setObject(i + 1, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
        else ps.setObject(i + 1, p);
      }
    }

    int update(String sql, Object... params) {
      try (var ps = c.prepareStatement(sql)) {
        bind(ps, params);
        return ps.executeUpdate();
      } catch (SQLException e) {
        throw new DataAccessFailure(e);
      }
    }

    <T> List<T> query(String sql, Row<T> row, Object... params) {
      try (var ps = c.prepareStatement(sql)) {
        bind(ps, params);
        try (var rs = ps.executeQuery()) {
          var out = new ArrayList<T>();
          while (rs.next()) out.add(row.map(rs));
          return out;
        }
      } catch (SQLException e) {
        throw new DataAccessFailure(e);
      }
    }

    <T> Optional<T> one(String sql, Row<T> row, Object... params) {
      var all = query(sql, row, params);
      return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    void batch(String sql, List<Object[]> rows) {
      if (rows.isEmpty()) return;
      try (var ps = c.prepareStatement(sql)) {
        for (var r : rows) {
          bind(ps, r);
          ps.addBatch();
        }
        ps.executeBatch();
      } catch (SQLException e) {
        throw new DataAccessFailure(e);
      }
    }

    @Override
    public Practice practice(String practiceId) {
      return one(
              "select * from practice where id = ?",
              rs ->
                  new Practice(
                      rs.getString("id"),
                      rs.getString("name"),
                      ZoneId.of(rs.getString("time_zone")),
                      Optional.ofNullable(rs.getString("phone")),
                      Optional.ofNullable(rs.getString("booking_url"))),
              practiceId)
          .orElseThrow(() -> new IllegalStateException("no practice " + practiceId));
    }

    @Override
    public String upsertPatient(PatientRecord p) {
      var existing = patientIdBySource(p.sourceKey());
      if (existing.isPresent()) {
        update(
            "update patient set first_name = ?, last_name = ?, mobile = ?, voice_phone = ?, email = ?, preferred_channel = ?, language = ?, time_zone = ?, updated_at = current_timestamp where id = ?",
            cipher.encrypt("patient.first_name", p.firstName()),
            cipher.encrypt("patient.last_name", p.lastName()),
            cipher.encrypt("patient.mobile", p.mobile().orElse(null)),
            cipher.encrypt("patient.voice_phone", p.voicePhone().orElse(null)),
            cipher.encrypt("patient.email", p.email().orElse(null)),
            p.preferredChannel().map(Enum::name).orElse(null),
            p.language().orElse(null),
            p.zone().getId(),
            existing.get());
        return existing.get();
      }
      String id = "pt-" + org.careloop.app.Importer.planId(p.sourceKey()).substring(3);
      update(
          "insert into patient (id, practice_id, source_key, first_name, last_name, mobile, voice_phone, email, preferred_channel, language, time_zone, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp, current_timestamp)",
          id,
          p.practiceId(),
          p.sourceKey(),
          cipher.encrypt("patient.first_name", p.firstName()),
          cipher.encrypt("patient.last_name", p.lastName()),
          cipher.encrypt("patient.mobile", p.mobile().orElse(null)),
          cipher.encrypt("patient.voice_phone", p.voicePhone().orElse(null)),
          cipher.encrypt("patient.email", p.email().orElse(null)),
          p.preferredChannel().map(Enum::name).orElse(null),
          p.language().orElse(null),
          p.zone().getId());
      return id;
    }

    @Override
    public Optional<PatientRecord> patient(String patientId) {
      return one(
          "select * from patient where id = ?",
          rs ->
              new PatientRecord(
                  rs.getString("source_key"),
                  rs.getString("practice_id"),
                  cipher.decrypt("patient.first_name", rs.getString("first_name")),
                  cipher.decrypt("patient.last_name", rs.getString("last_name")),
                  cipher.decryptOptional("patient.mobile", rs.getString("mobile")),
                  cipher.decryptOptional("patient.voice_phone", rs.getString("voice_phone")),
                  cipher.decryptOptional("patient.email", rs.getString("email")),
                  Optional.ofNullable(rs.getString("preferred_channel")).map(Channel::valueOf),
                  Optional.ofNullable(rs.getString("language")),
                  ZoneId.of(rs.getString("time_zone"))),
          patientId);
    }

    @Override
    public Optional<String> patientIdBySource(String sourceKey) {
      return one("select id from patient where source_key = ?", rs -> rs.getString(1), sourceKey);
    }

    @Override
    public Optional<String> planIdBySource(String sourceKey) {
      return one("select id from plan where source_key = ?", rs -> rs.getString(1), sourceKey);
    }

    private StoredPlan plan(ResultSet rs) throws SQLException {
      return new StoredPlan(
          StateCodec.read(cipher.decrypt("plan.state", rs.getString("state"))),
          rs.getLong("version"),
          optInstant(rs, "next_wakeup_at"));
    }

    @Override
    public Optional<StoredPlan> lockPlan(String planId) {
      return one(
          "select state, version, next_wakeup_at from plan where id = ? for update",
          this::plan,
          planId);
    }

    @Override
    public Optional<String> activePlanOfPatient(String patientId) {
      return one(
          "select id from plan where patient_id = ? and status = 'ACTIVE' order by created_at desc, id fetch first 1 rows only",
          rs -> rs.getString(1),
          patientId);
    }

    @Override
    public List<Claimed> claimDuePlans(Instant now, int limit) {
      return query(
          "select id, state, version, next_wakeup_at from plan where next_wakeup_at <= ? order by next_wakeup_at, id fetch first "
              + limit
              + " rows only for update skip locked",
          rs -> {
            String id = rs.getString("id");
            try {
              return (Claimed) new ClaimedRow(id, plan(rs), null);
            } catch (RuntimeException unreadable) {
              return (Claimed) new ClaimedRow(id, null, unreadable);
            }
          },
          now);
    }

    /** A claimed plan: decoded, or the reason it could not be. */
    private record ClaimedRow(
        String planId, @Nullable StoredPlan plan, @Nullable RuntimeException unreadable)
        implements Claimed {
      @Override
      public StoredPlan load() {
        if (plan == null) throw java.util.Objects.requireNonNull(unreadable);
        return plan;
      }
    }

    @Override
    public void isolated(Runnable work) {
      java.sql.Savepoint savepoint;
      try {
        savepoint = c.setSavepoint();
      } catch (SQLException e) {
        throw new DataAccessFailure(e);
      }
      try {
        work.run();
        c.releaseSavepoint(savepoint);
      } catch (RuntimeException e) {
        try {
          c.rollback(savepoint);
        } catch (SQLException rollbackFailed) {
          e.addSuppressed(rollbackFailed);
        }
        throw e;
      } catch (SQLException e) {
        throw new DataAccessFailure(e);
      }
    }

    @Override
    public void deferPlan(String planId, Instant until) {
      update("update plan set next_wakeup_at = ? where id = ?", until, planId);
    }

    @Override
    public void insertPlan(StoredPlan p, String sourceKey, Optional<String> provider, Instant now) {
      var s = p.state();
      update(
          "insert into plan (id, practice_id, patient_id, source_key, provider, protocol_id, protocol_version, status, state, next_wakeup_at, version, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          s.planId(),
          s.practiceId(),
          s.patientId(),
          sourceKey,
          provider.orElse(null),
          s.protocolId(),
          s.protocolVersion(),
          s.status().name(),
          cipher.encrypt("plan.state", StateCodec.write(s)),
          p.nextWakeupAt().orElse(null),
          p.version(),
          now,
          now);
    }

    @Override
    public void updatePlan(StoredPlan p, Instant now) {
      var s = p.state();
      int n =
          update(
              "update plan set status = ?, state = ?, next_wakeup_at = ?, version = ?, updated_at = ? where id = ? and version = ?",
              s.status().name(),
              cipher.encrypt("plan.state", StateCodec.write(s)),
              p.nextWakeupAt().orElse(null),
              p.version(),
              now,
              s.planId(),
              p.version() - 1);
      if (n != 1)
        throw new IllegalStateException(
            "plan "
                + s.planId()
                + " changed concurrently (expected version "
                + (p.version() - 1)
                + ")");
    }

    @Override
    public void appendTimeline(String planId, List<TimelineEntry> entries) {
      batch(
          "insert into timeline_entry (plan_id, occurred_at, kind, detail) values (?, ?, ?, ?)",
          entries.stream()
              .map(e -> new Object[] {planId, e.at(), e.kind(), truncate(e.text(), 4000)})
              .toList());
    }

    @Override
    public void enqueue(List<OutboxItem> items) {
      batch(
          "insert into outbox (idempotency_key, plan_id, patient_id, kind, channel, template, step_kind, note, status, attempts, created_at, next_attempt_at) values (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)",
          items.stream()
              .map(i ->
                  new Object[] {
                    i.idempotencyKey(),
                    i.planId(),
                    i.patientId(),
                    i.kind().name(),
                    i.channel().orElse(null),
                    i.template().orElse(null),
                    i.stepKind().orElse(null),
                    cipher.encrypt("outbox.note", i.text().orElse(null)),
                    i.createdAt(),
                    i.nextAttemptAt()
                  })
              .toList());
    }

    @Override
    public void insertTasks(List<TaskRecord> tasks) {
      batch(
          "insert into task (idempotency_key, plan_id, patient_id, milestone_key, lane, priority, title, detail, status, respond_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          tasks.stream()
              .map(t ->
                  new Object[] {
                    t.idempotencyKey(),
                    t.planId(),
                    t.patientId(),
                    t.milestoneKey().orElse(null),
                    t.lane(),
                    t.priority(),
                    truncate(t.title(), 400),
                    cipher.encrypt("task.detail", truncate(t.detail(), 4000)),
                    t.status(),
                    t.respondBy(),
                    t.createdAt()
                  })
              .toList());
    }

    @Override
    public void insertBoardEntries(String planId, List<String> summaries, Instant at) {
      batch(
          "insert into board_entry (plan_id, occurred_at, summary) values (?, ?, ?)",
          summaries.stream().map(s -> new Object[] {planId, at, truncate(s, 1000)}).toList());
    }

    @Override
    public Optional<AppointmentRef> appointment(String sourceKey) {
      return one(
          "select * from appointment_ref where source_key = ?",
          rs ->
              new AppointmentRef(
                  rs.getString("source_key"),
                  rs.getString("plan_id"),
                  Optional.ofNullable(rs.getString("milestone_key")),
                  rs.getString("last_status")),
          sourceKey);
    }

    @Override
    public void saveAppointment(AppointmentRef ref) {
      int n =
          update(
              "update appointment_ref set plan_id = ?, milestone_key = ?, last_status = ? where source_key = ?",
              ref.planId(),
              ref.milestoneKey().orElse(null),
              ref.lastStatus(),
              ref.sourceKey());
      if (n == 0) {
        update(
            "insert into appointment_ref (source_key, plan_id, milestone_key, last_status) values (?, ?, ?, ?)",
            ref.sourceKey(),
            ref.planId(),
            ref.milestoneKey().orElse(null),
            ref.lastStatus());
      }
    }

    OutboxItem outboxItem(ResultSet rs) throws SQLException {
      return new OutboxItem(
          rs.getLong("id"),
          rs.getString("idempotency_key"),
          rs.getString("plan_id"),
          rs.getString("patient_id"),
          OutboxItem.Kind.valueOf(rs.getString("kind")),
          Optional.ofNullable(rs.getString("channel")),
          Optional.ofNullable(rs.getString("template")),
          Optional.ofNullable(rs.getString("step_kind")),
          cipher.decryptOptional("outbox.note", rs.getString("note")),
          OutboxItem.Status.valueOf(rs.getString("status")),
          rs.getInt("attempts"),
          instant(rs, "created_at"),
          instant(rs, "next_attempt_at"),
          Optional.ofNullable(rs.getString("last_error")));
    }

    @Override
    public List<OutboxItem> claimDueOutbox(Instant now, int limit) {
      return query(
          "select * from outbox where status = 'PENDING' and next_attempt_at <= ? order by next_attempt_at, id fetch first "
              + limit
              + " rows only for update skip locked",
          this::outboxItem,
          now);
    }

    @Override
    public void markSent(long outboxId, Instant at) {
      update(
          "update outbox set status = 'SENT', sent_at = ?, attempts = attempts + 1, last_error = null where id = ?",
          at,
          outboxId);
    }

    @Override
    public void markRetry(long outboxId, int attempts, Instant nextAttemptAt, String error) {
      update(
          "update outbox set attempts = ?, next_attempt_at = ?, last_error = ? where id = ?",
          attempts,
          nextAttemptAt,
          truncate(error, 2000),
          outboxId);
    }

    @Override
    public void markDead(long outboxId, int attempts, String error) {
      update(
          "update outbox set status = 'DEAD', attempts = ?, last_error = ? where id = ?",
          attempts,
          truncate(error, 2000),
          outboxId);
    }

    @Override
    public Optional<Instant> earliestDue() {
      var plan =
          one("select min(next_wakeup_at) as t from plan", rs -> optInstant(rs, "t"))
              .flatMap(x -> x);
      var outbox =
          one(
                  "select min(next_attempt_at) as t from outbox where status = 'PENDING'",
                  rs -> optInstant(rs, "t"))
              .flatMap(x -> x);
      if (plan.isEmpty()) return outbox;
      if (outbox.isEmpty()) return plan;
      return Optional.of(plan.get().isBefore(outbox.get()) ? plan.get() : outbox.get());
    }

    static String truncate(String s, int max) {
      return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
  }
}
