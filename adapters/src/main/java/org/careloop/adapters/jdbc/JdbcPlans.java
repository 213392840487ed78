package org.careloop.adapters.jdbc;

import static org.careloop.adapters.jdbc.JdbcStore.instant;
import static org.careloop.adapters.jdbc.JdbcStore.optInstant;
import static org.careloop.adapters.jdbc.JdbcStore.placeholders;
import static org.careloop.adapters.jdbc.JdbcStore.truncate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.app.Store;
import org.careloop.app.StoredPlan;
import org.careloop.core.Channel;
import org.careloop.core.TimelineEntry;
import org.jspecify.annotations.Nullable;

/** The Plans port on JDBC. */
interface JdbcPlans extends Store.Plans, JdbcAccess {
  @Override
  default Optional<String> planIdBySource(String practiceId, String sourceKey) {
    return idBySource("plan", practiceId, sourceKey);
  }

  private StoredPlan plan(ResultSet rs) throws SQLException {
    return new StoredPlan(
        StateCodec.read(cipher().decrypt("plan.state", rs.getString("state"))),
        rs.getLong("version"),
        optInstant(rs, "next_wakeup_at"));
  }

  @Override
  default Optional<StoredPlan> lockPlan(String planId) {
    return one(
        "select state, version, next_wakeup_at from plan where id = ? for update",
        this::plan,
        planId);
  }

  @Override
  default Optional<Long> planValueCents(String planId) {
    return one("select state from plan where id = ?", rs -> rs.getString(1), planId)
        .flatMap(json -> StateCodec.read(cipher().decrypt("plan.state", json)).valueCents());
  }

  @Override
  default List<String> activePlansOfPatient(String patientId) {
    return query(
        "select id from plan where patient_id = ? and status = 'ACTIVE' order by created_at desc, id",
        rs -> rs.getString(1),
        patientId);
  }

  @Override
  default List<StoredPlan> plansWakingBy(Instant until) {
    return query(
        "select state, version, next_wakeup_at from plan where next_wakeup_at <= ? order by next_wakeup_at, id",
        this::plan,
        until);
  }

  @Override
  default List<Store.Claimed> claimDuePlans(Instant now, int limit) {
    return query(
        "select id, state, version, next_wakeup_at from plan where next_wakeup_at <= ? order by next_wakeup_at, id fetch first "
            + limit
            + " rows only for update skip locked",
        rs -> {
          String id = rs.getString("id");
          try {
            return (Store.Claimed) new ClaimedRow(id, plan(rs), null);
          } catch (RuntimeException unreadable) {
            return (Store.Claimed) new ClaimedRow(id, null, unreadable);
          }
        },
        now);
  }

  @Override
  default void deferPlan(String planId, Instant until) {
    update("update plan set next_wakeup_at = ? where id = ?", until, planId);
  }

  @Override
  default void insertPlan(StoredPlan p, String sourceKey, Optional<String> provider, Instant now) {
    var s = p.state();
    update(
        "insert into plan (id, practice_id, patient_id, source_key, source_hash, provider, protocol_id, protocol_version, status, state, next_wakeup_at, version, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        s.planId(),
        s.practiceId(),
        s.patientId(),
        cipher().encrypt("plan.source_key", sourceKey),
        sourceIndex(s.practiceId(), sourceKey),
        cipher().encrypt("plan.provider", provider.orElse(null)),
        s.protocolId(),
        s.protocolVersion(),
        s.status().name(),
        cipher().encrypt("plan.state", StateCodec.write(s)),
        p.nextWakeupAt().orElse(null),
        p.version(),
        now,
        now);
  }

  @Override
  default void updatePlan(StoredPlan p, Instant now) {
    var s = p.state();
    int n =
        update(
            "update plan set status = ?, state = ?, next_wakeup_at = ?, version = ?, updated_at = ? where id = ? and version = ?",
            s.status().name(),
            cipher().encrypt("plan.state", StateCodec.write(s)),
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
  default void appendTimeline(String planId, List<TimelineEntry> entries) {
    batch(
        "insert into timeline_entry (plan_id, occurred_at, kind, detail) values (?, ?, ?, ?)",
        entries.stream()
            .map(e ->
                new Object[] {
                  planId,
                  e.at(),
                  e.kind(),
                  cipher().encrypt("timeline_entry.detail", truncate(e.text(), 4000))
                })
            .toList());
  }

  @Override
  default void insertBoardEntries(String planId, List<String> summaries, Instant at) {
    batch(
        "insert into board_entry (plan_id, occurred_at, summary) values (?, ?, ?)",
        summaries.stream()
            .map(s ->
                new Object[] {
                  planId, at, cipher().encrypt("board_entry.summary", truncate(s, 1000))
                })
            .toList());
  }

  @Override
  default Optional<String> lastPlanMessaged(List<String> patientIds, Channel channel) {
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
              || (found.get().at().equals(last.get().at()) && found.get().id() > last.get().id())))
        last = found;
    }
    return last.map(Sent::planId);
  }

  /** A claimed plan: decoded, or the reason it could not be. */
  record ClaimedRow(String planId, @Nullable StoredPlan plan, @Nullable RuntimeException unreadable)
      implements Store.Claimed {
    @Override
    public StoredPlan load() {
      if (plan == null) throw java.util.Objects.requireNonNull(unreadable);
      return plan;
    }
  }

  @Override
  default java.util.Set<String> planIdsOfPractice(String practiceId) {
    return new java.util.HashSet<>(
        query("select id from plan where practice_id = ?", rs -> rs.getString(1), practiceId));
  }
}
