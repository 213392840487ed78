package org.careloop.adapters.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.careloop.adapters.crypto.FieldCipher;
import org.careloop.app.Practice;
import org.careloop.app.Store;
import org.careloop.core.Channel;
import org.careloop.core.SendRules;
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
  static void writePractice(JdbcAccess tx, Practice p) {
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

  /** The blind index of a contact point on a channel (phones as written, emails lower-cased). */
  static String addressIndex(FieldCipher cipher, Channel channel, String address) {
    return cipher.blindIndex(
        channel.name(), channel == Channel.EMAIL ? normalizeEmail(address) : address.trim());
  }

  static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  /** One transaction on one connection. */
  static final class JdbcTx
      implements Tx,
          JdbcAccess,
          JdbcPractices,
          JdbcPatients,
          JdbcPlans,
          JdbcTasks,
          JdbcAppointments,
          JdbcOutbox,
          JdbcOptOutLedger,
          JdbcLinks,
          JdbcInbox,
          JdbcOutreachLog,
          JdbcAudit,
          JdbcCases,
          JdbcPeople,
          JdbcSettings,
          JdbcEhrEvents,
          JdbcCareGapReports,
          JdbcEhrConnections,
          JdbcSigningKeys {
    private final Connection c;
    private final FieldCipher cipher;

    JdbcTx(Connection c, FieldCipher cipher) {
      this.cipher = cipher;
      this.c = c;
    }

    @Override
    public FieldCipher cipher() {
      return cipher;
    }

    @Override
    public Connection connection() {
      return c;
    }

    @Override
    public void planEachStatement() {
      // PostgreSQL keeps a generic plan for a statement the driver prepared five times; inside a
      // big import the one made while the plan table was nearly empty looked each source key up
      // by scanning: ImportSizeTest's 33,000 rows took 680 s, 50 s with this. H2 plans each time.
      try {
        if (c.getMetaData().getDatabaseProductName().equals("PostgreSQL"))
          try (var st = c.createStatement()) {
            st.execute("set local plan_cache_mode = force_custom_plan");
          }
      } catch (SQLException e) {
        throw new DataAccessFailure(e);
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
  }
}
