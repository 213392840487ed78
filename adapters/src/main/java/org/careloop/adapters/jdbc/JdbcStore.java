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
import java.util.Collection;
import java.util.List;
import java.util.Map;
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
import org.careloop.core.Contact;
import org.careloop.core.Reach;
import org.careloop.core.SendRules;
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
  public <T extends @Nullable Object> T inTransaction(Function<Tx, T> work) {
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

  FieldCipher cipher() {
    return cipher;
  }

  /** Sets a practice's frequency caps: automated outreaches per patient per day and per week. */
  public void setFrequencyCaps(String practiceId, int perDay, int perWeek) {
    new SendRules(perDay, perWeek, java.util.Set.of(), ZoneOffset.UTC); // validates
    inTransaction(tx -> {
      ((JdbcTx) tx)
          .update(
              "update practice set cap_per_day = ?, cap_per_week = ? where id = ?",
              perDay,
              perWeek,
              practiceId);
      return null;
    });
  }

  /** Creates or updates a practice. */
  public void upsertPractice(Practice p) {
    inTransaction(tx -> {
      writePractice((JdbcTx) tx, p);
      return null;
    });
  }

  /** Writes a practice's own settings inside the caller's transaction. */
  static void writePractice(JdbcTx tx, Practice p) {
    int n =
        tx.update(
            "update practice set name = ?, time_zone = ?, phone = ?, booking_url = ?, sms_sender = ?, email_from = ?, email_open_pixel = ?, slot_search = ? where id = ?",
            p.name(),
            p.zone().getId(),
            p.phone().orElse(null),
            p.bookingUrl().orElse(null),
            p.smsSender().orElse(null),
            p.emailFrom().orElse(null),
            p.emailOpenPixel(),
            p.slotSearch().orElse(null),
            p.id());
    if (n == 0) {
      tx.update(
          "insert into practice (id, name, time_zone, phone, booking_url, sms_sender, email_from, email_open_pixel, slot_search) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          p.id(),
          p.name(),
          p.zone().getId(),
          p.phone().orElse(null),
          p.bookingUrl().orElse(null),
          p.smsSender().orElse(null),
          p.emailFrom().orElse(null),
          p.emailOpenPixel(),
          p.slotSearch().orElse(null));
    }
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

    static void bind(PreparedStatement ps, @Nullable Object... params) throws SQLException {
      for (int i = 0; i < params.length; i++) {
        Object p = params[i];
        if (p == null) ps.setNull(i + 1, Types.NULL);
        else if (p instanceof Timestampish t) ps.setObject(i + 1, t.value());
        else if (p instanceof Instant t)
          ps.setObject(i + 1, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
        else ps.setObject(i + 1, p);
      }
    }

    int update(String sql, @Nullable Object... params) {
      try (var ps = c.prepareStatement(sql)) {
        bind(ps, params);
        return ps.executeUpdate();
      } catch (SQLException e) {
        throw new DataAccessFailure(e);
      }
    }

    <T> List<T> query(String sql, Row<T> row, @Nullable Object... params) {
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

    <T> Optional<T> one(String sql, Row<T> row, @Nullable Object... params) {
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
                      Optional.ofNullable(rs.getString("booking_url")),
                      Optional.ofNullable(rs.getString("sms_sender")),
                      Optional.ofNullable(rs.getString("email_from")),
                      rs.getBoolean("email_open_pixel"),
                      Optional.ofNullable(rs.getString("slot_search"))),
              practiceId)
          .orElseThrow(() -> new IllegalStateException("no practice " + practiceId));
    }

    @Override
    public String upsertPatient(PatientRecord p) {
      var existing = patientIdBySource(p.practiceId(), p.sourceKey());
      if (existing.isPresent()) {
        update(
            "update patient set first_name = ?, last_name = ?, mobile = ?, voice_phone = ?, email = ?, preferred_channel = ?, language = ?, time_zone = ?, region = ?,"
                + " mobile_status = case when mobile_hash = ? then mobile_status else null end,"
                + " email_status = case when email_hash = ? then email_status else null end,"
                + " mobile_hash = ?, email_hash = ?, updated_at = current_timestamp where id = ?",
            cipher.encrypt("patient.first_name", p.firstName()),
            cipher.encrypt("patient.last_name", p.lastName()),
            cipher.encrypt("patient.mobile", p.mobile().orElse(null)),
            cipher.encrypt("patient.voice_phone", p.voicePhone().orElse(null)),
            cipher.encrypt("patient.email", p.email().orElse(null)),
            p.preferredChannel().map(Enum::name).orElse(null),
            p.language().orElse(null),
            p.zone().getId(),
            p.region().orElse(null),
            mobileHash(p),
            emailHash(p),
            mobileHash(p),
            emailHash(p),
            existing.get());
        return existing.get();
      }
      String id = org.careloop.app.Importer.patientId(p.practiceId(), p.sourceKey());
      update(
          "insert into patient (id, practice_id, source_key, source_hash, first_name, last_name, mobile, voice_phone, email, preferred_channel, language, time_zone, region, mobile_hash, email_hash, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp, current_timestamp)",
          id,
          p.practiceId(),
          cipher.encrypt("patient.source_key", p.sourceKey()),
          sourceIndex(p.practiceId(), p.sourceKey()),
          cipher.encrypt("patient.first_name", p.firstName()),
          cipher.encrypt("patient.last_name", p.lastName()),
          cipher.encrypt("patient.mobile", p.mobile().orElse(null)),
          cipher.encrypt("patient.voice_phone", p.voicePhone().orElse(null)),
          cipher.encrypt("patient.email", p.email().orElse(null)),
          p.preferredChannel().map(Enum::name).orElse(null),
          p.language().orElse(null),
          p.zone().getId(),
          p.region().orElse(null),
          mobileHash(p),
          emailHash(p));
      return id;
    }

    private @Nullable String mobileHash(PatientRecord p) {
      return p.mobile().map(m -> addressKey(Channel.SMS, m)).orElse(null);
    }

    private @Nullable String emailHash(PatientRecord p) {
      return p.email().map(e -> addressKey(Channel.EMAIL, e)).orElse(null);
    }

    /** {@code ?, ?, …}: one placeholder per value of an {@code in (…)} list. */
    static String placeholders(int n) {
      return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** The patient column holding the blind index of the contact point on {@code channel}. */
    static String hashColumn(Channel channel) {
      return channel == Channel.EMAIL ? "email_hash" : "mobile_hash";
    }

    /** The form of an address its blind index is taken of. */
    static String normalizeEmail(String email) {
      return email.trim().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The most values one {@code in (…)} list takes: PostgreSQL's protocol caps a statement at
     * 32,767 parameters, and long lists plan badly on both databases.
     */
    static final int IN_LIST = 1000;

    @Override
    public Map<String, Contact> contacts(Collection<String> patientIds, Instant now) {
      var ids = new java.util.TreeSet<>(patientIds);
      if (ids.isEmpty()) return Map.of();
      if (ids.size() > IN_LIST) {
        // In id order, chunk after chunk: the rows are locked in the same order as in one query.
        var all = new ArrayList<>(ids);
        var out = new java.util.HashMap<String, Contact>();
        for (int i = 0; i < all.size(); i += IN_LIST)
          out.putAll(contacts(all.subList(i, Math.min(all.size(), i + IN_LIST)), now));
        return out;
      }
      String in = placeholders(ids.size());
      Object[] args = ids.toArray();
      record PatientRow(
          String id,
          String practiceId,
          boolean mobile,
          boolean voice,
          boolean email,
          @Nullable String mobileHash,
          @Nullable String emailHash,
          boolean mobileDead,
          boolean emailDead,
          Optional<Channel> preferred,
          ZoneId zone,
          Optional<String> region,
          boolean consent) {}
      var rows =
          query(
              "select id, practice_id, mobile, voice_phone, email, mobile_hash, email_hash, mobile_status, email_status, preferred_channel, time_zone, region, marketing_consent_at from patient where id in ("
                  + in
                  + ") order by id for update",
              rs ->
                  new PatientRow(
                      rs.getString("id"),
                      rs.getString("practice_id"),
                      rs.getString("mobile") != null,
                      rs.getString("voice_phone") != null,
                      rs.getString("email") != null,
                      rs.getString("mobile_hash"),
                      rs.getString("email_hash"),
                      rs.getString("mobile_status") != null,
                      rs.getString("email_status") != null,
                      Optional.ofNullable(rs.getString("preferred_channel")).map(Channel::valueOf),
                      ZoneId.of(rs.getString("time_zone")),
                      Optional.ofNullable(rs.getString("region")),
                      rs.getObject("marketing_consent_at") != null),
              args);
      var hashes = new java.util.TreeSet<String>();
      for (var r : rows) {
        if (r.mobileHash() != null) hashes.add(r.mobileHash());
        if (r.emailHash() != null) hashes.add(r.emailHash());
      }
      var optedOut = new java.util.HashSet<String>();
      if (!hashes.isEmpty()) {
        optedOut.addAll(
            query(
                "select channel, address_hash from contact_preference where opted_out = true and address_hash in ("
                    + placeholders(hashes.size())
                    + ")",
                rs -> rs.getString(1) + "|" + rs.getString(2),
                hashes.toArray()));
      }
      var outreach = new java.util.HashMap<String, List<Instant>>();
      Object[] outreachArgs = new Object[args.length + 1];
      System.arraycopy(args, 0, outreachArgs, 0, args.length);
      outreachArgs[args.length] = now.minus(java.time.Duration.ofDays(8));
      for (var o :
          query(
              "select patient_id, sent_at from outreach_log where patient_id in ("
                  + in
                  + ") and sent_at > ?",
              rs -> Map.entry(rs.getString(1), instant(rs, "sent_at")),
              outreachArgs)) {
        outreach.computeIfAbsent(o.getKey(), k -> new ArrayList<>()).add(o.getValue());
      }
      var rules = new java.util.HashMap<String, SendRules>();
      var out = new java.util.HashMap<String, Contact>();
      for (var r : rows) {
        var practiceRules = rules.computeIfAbsent(r.practiceId(), this::sendRules);
        var reach =
            new Reach(
                r.mobile() && !r.mobileDead(),
                r.email() && !r.emailDead(),
                r.mobile() || r.voice(),
                r.preferred(),
                r.zone(),
                r.region());
        var optedOutChannels = java.util.EnumSet.noneOf(Channel.class);
        if (r.mobileHash() != null && optedOut.contains("SMS|" + r.mobileHash()))
          optedOutChannels.add(Channel.SMS);
        if (r.emailHash() != null && optedOut.contains("EMAIL|" + r.emailHash()))
          optedOutChannels.add(Channel.EMAIL);
        out.put(
            r.id(),
            new Contact(
                reach,
                optedOutChannels,
                outreach.getOrDefault(r.id(), List.of()),
                r.consent(),
                practiceRules));
      }
      return out;
    }

    /** A practice's caps, holidays and zone. */
    SendRules sendRules(String practiceId) {
      var holidays =
          query(
              "select holiday from practice_holiday where practice_id = ?",
              rs -> rs.getObject(1, java.time.LocalDate.class),
              practiceId);
      return one(
              "select time_zone, cap_per_day, cap_per_week from practice where id = ?",
              rs ->
                  new SendRules(
                      rs.getInt("cap_per_day"),
                      rs.getInt("cap_per_week"),
                      java.util.Set.copyOf(holidays),
                      ZoneId.of(rs.getString("time_zone"))),
              practiceId)
          .orElseThrow(() -> new IllegalStateException("no practice " + practiceId));
    }

    @Override
    public void recordOutreach(List<Store.Outreach> outreach) {
      batch(
          "insert into outreach_log (patient_id, plan_id, item_key, sent_at) values (?, ?, ?, ?)",
          outreach.stream()
              .map(o -> new Object[] {o.patientId(), o.planId(), o.itemKey(), o.at()})
              .toList());
    }

    @Override
    public List<Instant> sentOutreach(String patientId, String except, Instant since) {
      var first = new java.util.HashMap<String, Instant>();
      for (var row :
          query(
              "select idempotency_key, channel, sent_at from outbox where patient_id = ?"
                  + " and kind = 'MESSAGE' and status = 'SENT' and sent_at > ?",
              rs -> new Object[] {rs.getString(1), rs.getString(2), instant(rs, "sent_at")},
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
    public void forgetOutreach(String planId, String itemKey) {
      update("delete from outreach_log where plan_id = ? and item_key = ?", planId, itemKey);
    }

    @Override
    public Optional<PatientRecord> patient(String patientId) {
      return one(
          "select * from patient where id = ?",
          rs ->
              new PatientRecord(
                  cipher.decrypt("patient.source_key", rs.getString("source_key")),
                  rs.getString("practice_id"),
                  cipher.decrypt("patient.first_name", rs.getString("first_name")),
                  cipher.decrypt("patient.last_name", rs.getString("last_name")),
                  cipher.decryptOptional("patient.mobile", rs.getString("mobile")),
                  cipher.decryptOptional("patient.voice_phone", rs.getString("voice_phone")),
                  cipher.decryptOptional("patient.email", rs.getString("email")),
                  Optional.ofNullable(rs.getString("preferred_channel")).map(Channel::valueOf),
                  Optional.ofNullable(rs.getString("language")),
                  ZoneId.of(rs.getString("time_zone")),
                  Optional.ofNullable(rs.getString("region"))),
          patientId);
    }

    /** The blind index a practice's source key is found by (the key itself is encrypted). */
    String sourceIndex(String practiceId, String sourceKey) {
      return V9__Source_keys_by_practice.sourceIndex(cipher, practiceId, sourceKey);
    }

    @Override
    public Optional<String> patientIdBySource(String practiceId, String sourceKey) {
      return idBySource("patient", practiceId, sourceKey);
    }

    @Override
    public Optional<String> planIdBySource(String practiceId, String sourceKey) {
      return idBySource("plan", practiceId, sourceKey);
    }

    /** The id of the practice's row of {@code table} (patient, plan) with this source key. */
    private Optional<String> idBySource(String table, String practiceId, String sourceKey) {
      return one(
          "select id from " + table + " where practice_id = ? and source_hash = ?",
          rs -> rs.getString(1),
          practiceId,
          sourceIndex(practiceId, sourceKey));
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
    public Optional<String> practiceProtocol(String practiceId, String event) {
      return one(
          "select protocol_id from practice_protocol where practice_id = ? and event = ?",
          rs -> rs.getString(1),
          practiceId,
          event);
    }

    @Override
    public Optional<Long> planValueCents(String planId) {
      return one("select state from plan where id = ?", rs -> rs.getString(1), planId)
          .flatMap(json -> StateCodec.read(cipher.decrypt("plan.state", json)).valueCents());
    }

    @Override
    public List<String> activePlansOfPatient(String patientId) {
      return query(
          "select id from plan where patient_id = ? and status = 'ACTIVE' order by created_at desc, id",
          rs -> rs.getString(1),
          patientId);
    }

    @Override
    public List<StoredPlan> plansWakingBy(Instant until) {
      return query(
          "select state, version, next_wakeup_at from plan where next_wakeup_at <= ? order by next_wakeup_at, id",
          this::plan,
          until);
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
          "insert into plan (id, practice_id, patient_id, source_key, source_hash, provider, protocol_id, protocol_version, status, state, next_wakeup_at, version, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          s.planId(),
          s.practiceId(),
          s.patientId(),
          cipher.encrypt("plan.source_key", sourceKey),
          sourceIndex(s.practiceId(), sourceKey),
          cipher.encrypt("plan.provider", provider.orElse(null)),
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
              .map(e ->
                  new Object[] {
                    planId,
                    e.at(),
                    e.kind(),
                    cipher.encrypt("timeline_entry.detail", truncate(e.text(), 4000))
                  })
              .toList());
    }

    @Override
    public void enqueue(List<OutboxItem> items) {
      batch(
          "insert into outbox (idempotency_key, plan_id, patient_id, kind, channel, template, step_kind, note, status, attempts, created_at, next_attempt_at, recipient, body) values (?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?, ?)",
          items.stream()
              .map(i ->
                  new Object[] {
                    i.idempotencyKey(),
                    i.planId().orElse(null),
                    i.patientId().orElse(null),
                    i.kind().name(),
                    i.channel().orElse(null),
                    i.template().orElse(null),
                    i.stepKind().orElse(null),
                    cipher.encrypt("outbox.note", i.text().orElse(null)),
                    i.createdAt(),
                    i.nextAttemptAt(),
                    cipher.encrypt("outbox.recipient", i.recipient().orElse(null)),
                    cipher.encrypt("outbox.body", i.body().orElse(null))
                  })
              .toList());
    }

    @Override
    public void insertTasks(List<TaskRecord> tasks) {
      batch(
          "insert into task (idempotency_key, plan_id, patient_id, milestone_key, lane, priority, title, detail, status, respond_by, created_at, owner_role, backup_role, escalated_at, escalated_to, escalation_reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          tasks.stream()
              .map(t ->
                  new Object[] {
                    t.idempotencyKey(),
                    t.planId(),
                    t.patientId(),
                    t.milestoneKey().orElse(null),
                    t.lane(),
                    t.priority(),
                    cipher.encrypt("task.title", truncate(t.title(), 400)),
                    cipher.encrypt("task.detail", truncate(t.detail(), 4000)),
                    t.status(),
                    t.respondBy(),
                    t.createdAt(),
                    t.ownerRole(),
                    t.backupRole(),
                    t.escalatedTo().isPresent() ? t.createdAt() : null,
                    t.escalatedTo().orElse(null),
                    t.escalatedTo().isPresent()
                        ? cipher.encrypt(
                            "task.escalation_reason",
                            truncate("escalated when it was made: " + t.title(), 2200))
                        : null
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
    public void insertBoardEntries(String planId, List<String> summaries, Instant at) {
      batch(
          "insert into board_entry (plan_id, occurred_at, summary) values (?, ?, ?)",
          summaries.stream()
              .map(s ->
                  new Object[] {
                    planId, at, cipher.encrypt("board_entry.summary", truncate(s, 1000))
                  })
              .toList());
    }

    @Override
    public Optional<AppointmentRef> appointment(String practiceId, String sourceKey) {
      return one(
          "select * from appointment_link where practice_id = ? and source_hash = ?",
          rs ->
              new AppointmentRef(
                  sourceKey,
                  rs.getString("plan_id"),
                  Optional.ofNullable(rs.getString("milestone_key")),
                  rs.getString("last_status")),
          practiceId,
          sourceIndex(practiceId, sourceKey));
    }

    @Override
    public void saveAppointment(String practiceId, AppointmentRef ref) {
      String hash = sourceIndex(practiceId, ref.sourceKey());
      int n =
          update(
              "update appointment_link set plan_id = ?, milestone_key = ?, last_status = ? where practice_id = ? and source_hash = ?",
              ref.planId(),
              ref.milestoneKey().orElse(null),
              ref.lastStatus(),
              practiceId,
              hash);
      if (n == 0) {
        update(
            "insert into appointment_link (practice_id, source_hash, source_key, plan_id, milestone_key, last_status) values (?, ?, ?, ?, ?, ?)",
            practiceId,
            hash,
            cipher.encrypt("appointment_link.source_key", ref.sourceKey()),
            ref.planId(),
            ref.milestoneKey().orElse(null),
            ref.lastStatus());
      }
    }

    OutboxItem outboxItem(ResultSet rs) throws SQLException {
      return new OutboxItem(
          rs.getLong("id"),
          rs.getString("idempotency_key"),
          Optional.ofNullable(rs.getString("plan_id")),
          Optional.ofNullable(rs.getString("patient_id")),
          OutboxItem.Kind.valueOf(rs.getString("kind")),
          Optional.ofNullable(rs.getString("channel")),
          Optional.ofNullable(rs.getString("template")),
          Optional.ofNullable(rs.getString("step_kind")),
          cipher.decryptOptional("outbox.note", rs.getString("note")),
          OutboxItem.Status.valueOf(rs.getString("status")),
          rs.getInt("attempts"),
          instant(rs, "created_at"),
          instant(rs, "next_attempt_at"),
          Optional.ofNullable(rs.getString("last_error")),
          cipher.decryptOptional("outbox.recipient", rs.getString("recipient")),
          cipher.decryptOptional("outbox.body", rs.getString("body")));
    }

    @Override
    public List<OutboxItem> claimDueOutbox(Instant now, int limit) {
      // Two steps: the due ids in index order without locks (H2 reads and locks every due row
      // for one FOR UPDATE with a limit, which made each claim cost the whole backlog), then each
      // row locked alone; one another dispatcher holds, or has sent since, is passed over.
      var due =
          query(
              "select id from outbox where status = 'PENDING' and next_attempt_at <= ?"
                  + " order by status, next_attempt_at, id fetch first "
                  + (limit + 16)
                  + " rows only",
              rs -> rs.getLong(1),
              now);
      var claimed = new ArrayList<OutboxItem>();
      for (long id : due) {
        if (claimed.size() == limit) break;
        one(
                "select * from outbox where id = ? and status = 'PENDING' for update skip locked",
                this::outboxItem,
                id)
            .ifPresent(claimed::add);
      }
      return claimed;
    }

    @Override
    public void markSending(long outboxId, Instant attemptAt) {
      update(
          "update outbox set status = 'SENDING', sending_at = ? where id = ?", attemptAt, outboxId);
    }

    @Override
    public List<Store.Tx.Sending> staleSending(Instant before, int limit) {
      return query(
          "select * from outbox where status = 'SENDING' and sending_at < ? order by sending_at, id fetch first "
              + limit
              + " rows only for update skip locked",
          rs -> new Store.Tx.Sending(outboxItem(rs), instant(rs, "sending_at")),
          before);
    }

    @Override
    public void markWithheld(long outboxId, String reason) {
      update(
          "update outbox set status = 'WITHHELD', last_error = ? where id = ?",
          truncate(reason, 2000),
          outboxId);
    }

    @Override
    public void markPending(long outboxId, Instant at, Optional<String> why) {
      update(
          "update outbox set status = 'PENDING', next_attempt_at = ?, last_error = coalesce(?, last_error) where id = ?",
          at,
          why.map(w -> truncate(w, 2000)).orElse(null),
          outboxId);
    }

    @Override
    public void markSent(long outboxId, Instant at, Optional<String> providerId) {
      update(
          "update outbox set status = 'SENT', sent_at = ?, attempts = attempts + 1, last_error = null, provider_id = ? where id = ?",
          at,
          providerId.orElse(null),
          outboxId);
    }

    @Override
    public Optional<OutboxItem> outboxByProviderId(String providerId) {
      return one("select * from outbox where provider_id = ?", this::outboxItem, providerId);
    }

    @Override
    public void recordDeliveryStatus(long outboxId, String status, Optional<String> errorCode) {
      update(
          "update outbox set delivery_status = ?, delivery_error = ? where id = ?",
          truncate(status, 20),
          errorCode.map(c -> truncate(c, 40)).orElse(null),
          outboxId);
    }

    @Override
    public String addressKey(Channel channel, String address) {
      return addressIndex(cipher, channel, address);
    }

    /** The blind index of a contact point on a channel (phones as written, emails lower-cased). */
    static String addressIndex(FieldCipher cipher, Channel channel, String address) {
      return cipher.blindIndex(
          channel.name(), channel == Channel.EMAIL ? normalizeEmail(address) : address.trim());
    }

    @Override
    public Optional<String> patientAddressKey(String patientId, Channel channel) {
      String column = hashColumn(channel);
      return one(
              "select " + column + " from patient where id = ?",
              rs -> Optional.ofNullable(rs.getString(1)),
              patientId)
          .flatMap(x -> x);
    }

    @Override
    public List<String> practicesSendingFrom(String to, Optional<String> service) {
      var own =
          query(
              "select id from practice where sms_sender = ? or sms_sender = ? order by id",
              rs -> rs.getString(1),
              to.trim(),
              service.orElse(to).trim());
      if (!own.isEmpty()) return own;
      return query(
          "select id from practice where sms_sender is null order by id", rs -> rs.getString(1));
    }

    @Override
    public List<String> patientsByAddressKey(Channel channel, String addressKey) {
      String column = hashColumn(channel);
      return query(
          "select id from patient where " + column + " = ? order by id",
          rs -> rs.getString(1),
          addressKey);
    }

    @Override
    public boolean setOptOut(
        Channel channel, String addressKey, boolean optedOut, String source, Instant at) {
      if (optedOut(channel, addressKey) == optedOut) return false;
      int changed =
          update(
              "update contact_preference set opted_out = ?, changed_at = ?, source = ? where channel = ? and address_hash = ?",
              optedOut,
              at,
              source,
              channel.name(),
              addressKey);
      if (changed == 0) {
        update(
            "insert into contact_preference (channel, address_hash, opted_out, changed_at, source) values (?, ?, ?, ?, ?)",
            channel.name(),
            addressKey,
            optedOut,
            at,
            source);
      }
      update(
          "insert into contact_preference_change (channel, address_hash, opted_out, changed_at, source) values (?, ?, ?, ?, ?)",
          channel.name(),
          addressKey,
          optedOut,
          at,
          source);
      return true;
    }

    @Override
    public boolean optedOut(Channel channel, String addressKey) {
      return one(
              "select opted_out from contact_preference where channel = ? and address_hash = ?",
              rs -> rs.getBoolean(1),
              channel.name(),
              addressKey)
          .orElse(false);
    }

    @Override
    public void markContactPointDead(String patientId, Channel channel, String reason, Instant at) {
      String column = channel == Channel.EMAIL ? "email_status" : "mobile_status";
      update(
          "update patient set " + column + " = ? where id = ?",
          channel == Channel.EMAIL ? "BOUNCED" : "INVALID",
          patientId);
    }

    @Override
    public boolean recordInbound(org.careloop.app.InboundMessage m) {
      if (one(
              "select id from inbound_message where provider_id = ?",
              rs -> rs.getLong(1),
              m.providerId())
          .isPresent()) return false;
      update(
          "insert into inbound_message (provider_id, channel, address_hash, patient_id, plan_id, body, classified, received_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
          m.providerId(),
          m.channel().name(),
          m.addressKey(),
          m.patientId().orElse(null),
          m.planId().orElse(null),
          cipher.encrypt("inbound_message.body", truncate(m.body(), 1600)),
          m.classified(),
          m.receivedAt());
      return true;
    }

    @Override
    public Optional<String> lastPlanMessaged(List<String> patientIds, Channel channel) {
      record Sent(String planId, Instant at, long id) {}
      Optional<Sent> last = Optional.empty();
      for (int i = 0; i < patientIds.size(); i += IN_LIST) {
        var chunk = patientIds.subList(i, Math.min(patientIds.size(), i + IN_LIST));
        Object[] args = new Object[chunk.size() + 1];
        args[0] = channel.name();
        for (int j = 0; j < chunk.size(); j++) args[j + 1] = chunk.get(j);
        var found =
            one(
                "select plan_id, sent_at, id from outbox where kind = 'MESSAGE' and channel = ? and status = 'SENT' and patient_id in ("
                    + placeholders(chunk.size())
                    + ") order by sent_at desc, id desc fetch first 1 rows only",
                rs -> new Sent(rs.getString(1), instant(rs, "sent_at"), rs.getLong(3)),
                args);
        if (found.isPresent()
            && (last.isEmpty()
                || found.get().at().isAfter(last.get().at())
                || (found.get().at().equals(last.get().at())
                    && found.get().id() > last.get().id()))) last = found;
      }
      return last.map(Sent::planId);
    }

    @Override
    public String trackedLink(
        String outboxKey, Optional<String> planId, String purpose, String target, Instant now) {
      String code = cipher.sign("link:" + purpose + ":" + outboxKey).substring(0, 12);
      if (one("select code from tracked_link where code = ?", rs -> rs.getString(1), code)
          .isEmpty()) {
        update(
            "insert into tracked_link (code, outbox_key, plan_id, purpose, target, created_at, clicks) values (?, ?, ?, ?, ?, ?, 0)",
            code,
            outboxKey,
            planId.orElse(null),
            purpose,
            target,
            now);
      }
      return code;
    }

    @Override
    public String signedToken(String data) {
      return data + "." + cipher.sign("token:" + data);
    }

    @Override
    public Optional<String> verifiedToken(String token) {
      int dot = token.lastIndexOf('.');
      if (dot <= 0) return Optional.empty();
      String data = token.substring(0, dot);
      return cipher.verify("token:" + data, token.substring(dot + 1))
          ? Optional.of(data)
          : Optional.empty();
    }

    @Override
    public Optional<org.careloop.app.TrackedLink> clickLink(
        String code, boolean pixel, Instant at) {
      var link =
          one(
              "select * from tracked_link where code = ? and purpose "
                  + (pixel ? "=" : "<>")
                  + " ? for update",
              rs ->
                  new org.careloop.app.TrackedLink(
                      rs.getString("code"),
                      rs.getString("outbox_key"),
                      Optional.ofNullable(rs.getString("plan_id")),
                      rs.getString("purpose"),
                      rs.getString("target"),
                      rs.getObject("first_click_at") == null),
              code,
              org.careloop.app.Links.OPEN);
      link.ifPresent(l ->
          update(
              "update tracked_link set clicks = clicks + 1, first_click_at = coalesce(first_click_at, ?) where code = ?",
              at,
              code));
      return link;
    }

    @Override
    public boolean recordBounce(
        String reportId, Optional<Long> outboxId, String status, Instant at) {
      if (one("select 1 from bounce_report where report_id = ?", rs -> 1, reportId).isPresent())
        return false;
      update(
          "insert into bounce_report (report_id, outbox_id, status, read_at) values (?, ?, ?, ?)",
          truncate(reportId, 400),
          outboxId.orElse(null),
          truncate(status, 20),
          at);
      return true;
    }

    @Override
    public void markRetry(long outboxId, int attempts, Instant nextAttemptAt, String error) {
      update(
          "update outbox set status = 'PENDING', attempts = ?, next_attempt_at = ?, last_error = ? where id = ?",
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
    public int purgeBodies(Instant before, Instant now) {
      return update(
              "update sandbox_message set body = null, subject = null, body_purged_at = ? where delivered_at < ? and body is not null",
              now,
              before)
          + update(
              "update outbox set body = null, body_purged_at = ? where sent_at < ? and body is not null",
              now,
              before)
          + update(
              "update inbound_message set body = null, body_purged_at = ? where received_at < ? and body is not null",
              now,
              before);
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
      var escalation =
          one(
                  "select min(respond_by) as t from task where status = 'OPEN' and escalated_at is null",
                  rs -> optInstant(rs, "t"))
              .flatMap(x -> x);
      return java.util.stream.Stream.of(plan, outbox, escalation)
          .flatMap(Optional::stream)
          .min(Instant::compareTo);
    }

    @Override
    public List<org.careloop.app.Store.OverdueTask> overdueTasks(Instant now, int limit) {
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
                  cipher.decrypt("task.title", rs.getString("title")),
                  optInstant(rs, "respond_by").orElseThrow()),
          now);
    }

    @Override
    public void escalateTask(long taskId, String to, String reason, Instant at) {
      update(
          "update task set escalated_at = ?, escalated_to = ?, escalation_reason = ? where id = ?",
          at,
          to,
          cipher.encrypt("task.escalation_reason", truncate(reason, 2200)),
          taskId);
    }

    static String truncate(String s, int max) {
      return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
  }
}
