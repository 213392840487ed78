package org.careloop.adapters.jdbc;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.careloop.app.Practice;
import org.careloop.app.Store;
import org.careloop.core.SendRules;
import org.jspecify.annotations.Nullable;

/**
 * What an administrator or coordinator sets by hand: a practice's settings (sender identities,
 * frequency caps, holidays, open tracking, slot source) and a patient's marketing consent. Every
 * change, and every view of patient data by a person, writes an audit event: who, what, when. The
 * audit names fields and ids, never their values.
 */
public final class Administration {
  private final JdbcStore store;

  public Administration(JdbcStore store) {
    this.store = store;
  }

  /** A practice's settings. */
  public record Settings(
      Practice practice, int capPerDay, int capPerWeek, List<LocalDate> holidays) {}

  /** One audit event. */
  public record AuditEvent(
      long id,
      Instant at,
      String actor,
      Optional<String> practiceId,
      String action,
      String subject,
      Optional<String> detail) {}

  public Settings settings(String practiceId) {
    return store.inTransaction(tx -> settings((JdbcStore.JdbcTx) tx, practiceId));
  }

  private static Settings settings(JdbcStore.JdbcTx tx, String practiceId) {
    var practice = tx.practice(practiceId);
    var caps =
        tx.one(
                "select cap_per_day, cap_per_week from practice where id = ?",
                rs -> new int[] {rs.getInt(1), rs.getInt(2)},
                practiceId)
            .orElseThrow();
    var holidays =
        tx.query(
            "select holiday from practice_holiday where practice_id = ? order by holiday",
            rs -> rs.getObject(1, LocalDate.class),
            practiceId);
    return new Settings(practice, caps[0], caps[1], holidays);
  }

  /**
   * Saves a practice's settings.
   *
   * @return the names of the settings that changed (empty: nothing to do)
   */
  public List<String> update(String actor, Settings changed, Instant now) {
    // Validates the caps the way the engine will read them.
    new SendRules(changed.capPerDay(), changed.capPerWeek(), Set.of(), ZoneOffset.UTC);
    return store.inTransaction(tx -> {
      var jtx = (JdbcStore.JdbcTx) tx;
      var before = settings(jtx, changed.practice().id());
      var p = changed.practice();
      var b = before.practice();
      var fields = new ArrayList<String>();
      if (!p.name().equals(b.name())) fields.add("name");
      if (!p.zone().equals(b.zone())) fields.add("zone");
      if (!p.phone().equals(b.phone())) fields.add("phone");
      if (!p.bookingUrl().equals(b.bookingUrl())) fields.add("booking-url");
      if (!p.smsSender().equals(b.smsSender())) fields.add("sms-sender");
      if (!p.emailFrom().equals(b.emailFrom())) fields.add("email-from");
      if (p.emailOpenPixel() != b.emailOpenPixel()) fields.add("email-open-pixel");
      if (!p.slotSearch().equals(b.slotSearch())) fields.add("slot-search");
      if (changed.capPerDay() != before.capPerDay()) fields.add("cap-per-day");
      if (changed.capPerWeek() != before.capPerWeek()) fields.add("cap-per-week");
      if (fields.isEmpty()) return fields;
      JdbcStore.writePractice(jtx, p);
      jtx.update(
          "update practice set cap_per_day = ?, cap_per_week = ? where id = ?",
          changed.capPerDay(),
          changed.capPerWeek(),
          p.id());
      audit(
          jtx,
          actor,
          p.id(),
          "practice.update",
          "practice " + p.id(),
          String.join(", ", fields),
          now);
      return fields;
    });
  }

  /**
   * Adds or removes practice holidays: no automated message goes out on one.
   *
   * @return how many holidays were added or removed
   */
  public int holidays(
      String actor, String practiceId, List<LocalDate> days, boolean add, Instant now) {
    return store.inTransaction(tx -> {
      var jtx = (JdbcStore.JdbcTx) tx;
      jtx.practice(practiceId); // exists
      int n = 0;
      for (var day : days) {
        boolean present =
            jtx.one(
                    "select 1 from practice_holiday where practice_id = ? and holiday = ?",
                    rs -> 1,
                    practiceId,
                    day)
                .isPresent();
        if (add && !present)
          n +=
              jtx.update(
                  "insert into practice_holiday (practice_id, holiday) values (?, ?)",
                  practiceId,
                  day);
        else if (!add && present)
          n +=
              jtx.update(
                  "delete from practice_holiday where practice_id = ? and holiday = ?",
                  practiceId,
                  day);
      }
      if (n > 0)
        audit(
            jtx,
            actor,
            practiceId,
            add ? "practice.holiday.add" : "practice.holiday.remove",
            "practice " + practiceId,
            days.toString(),
            now);
      return n;
    });
  }

  /** The protocols the practice chose per event. */
  public java.util.Map<String, String> practiceProtocols(String practiceId) {
    return store.inTransaction(tx -> {
      var out = new java.util.TreeMap<String, String>();
      ((JdbcStore.JdbcTx) tx)
          .query(
              "select event, protocol_id from practice_protocol where practice_id = ?",
              rs -> out.put(rs.getString(1), rs.getString(2)),
              practiceId);
      return out;
    });
  }

  /**
   * Chooses which protocol an event starts at the practice (its weekly CSV as a recall list, …).
   * The protocol must be loaded and name the event among its triggers.
   */
  public void choosePracticeProtocol(
      String actor,
      String practiceId,
      String event,
      org.careloop.app.Protocols protocols,
      String protocolId,
      Instant now) {
    var protocol =
        protocols.latestVersions().stream()
            .filter(p -> p.id().equals(protocolId))
            .findFirst()
            .orElseThrow(() ->
                new IllegalArgumentException(
                    "no protocol "
                        + protocolId
                        + " is loaded (loaded: "
                        + protocols.latestVersions().stream().map(p -> p.id()).sorted().toList()
                        + ")"));
    if (!protocol.triggers().contains(event))
      throw new IllegalArgumentException(
          protocolId
              + " is not started by "
              + event
              + " (its triggers: "
              + protocol.triggers()
              + ")");
    store.inTransaction(tx -> {
      var jtx = (JdbcStore.JdbcTx) tx;
      jtx.practice(practiceId);
      jtx.update(
          "delete from practice_protocol where practice_id = ? and event = ?", practiceId, event);
      jtx.update(
          "insert into practice_protocol (practice_id, event, protocol_id) values (?, ?, ?)",
          practiceId,
          event,
          protocolId);
      audit(
          jtx,
          actor,
          practiceId,
          "practice.protocol",
          "practice " + practiceId,
          event + " -> " + protocolId,
          now);
      return null;
    });
  }

  /**
   * Records or withdraws a patient's consent to marketing messages (a financing offer needs it).
   *
   * @param patient careloop's patient id, its source key, or the EHR's patient id (the CSV's
   *     patient_id, the FHIR Patient's id, or the Synthea export's patient Id)
   * @return careloop's patient id
   */
  public String marketingConsent(
      String actor, String practiceId, String patient, boolean consent, Instant now) {
    return store.inTransaction(tx -> {
      var jtx = (JdbcStore.JdbcTx) tx;
      String id =
          jtx.patient(patient)
              .filter(p -> p.practiceId().equals(practiceId))
              .map(p -> patient)
              .or(() ->
                  java.util.stream.Stream.of(
                          patient,
                          "csv:patient:" + patient,
                          "fhir:Patient/" + patient,
                          "synthea:patient:" + patient)
                      .flatMap(k -> jtx.patientIdBySource(practiceId, k).stream())
                      .findFirst())
              .orElseThrow(() ->
                  new IllegalArgumentException(
                      "no patient " + patient + " in practice " + practiceId));
      String practice = practiceId;
      jtx.update(
          "update patient set marketing_consent_at = ? where id = ?", consent ? now : null, id);
      audit(
          jtx,
          actor,
          practice,
          consent ? "patient.consent.marketing.given" : "patient.consent.marketing.withdrawn",
          "patient " + id,
          null,
          now);
      return id;
    });
  }

  /** Writes an audit event in its own transaction. */
  public void audit(
      String actor, Optional<String> practiceId, String action, String subject, Instant now) {
    store.inTransaction(tx -> {
      audit((JdbcStore.JdbcTx) tx, actor, practiceId.orElse(null), action, subject, null, now);
      return null;
    });
  }

  /** Writes an audit event inside the caller's transaction, chained after the newest. */
  public static void audit(
      Store.Tx tx,
      String actor,
      @Nullable String practiceId,
      String action,
      String subject,
      @Nullable String detail,
      Instant now) {
    AuditLog.append((JdbcStore.JdbcTx) tx, actor, practiceId, action, subject, detail, now);
  }

  /** The newest audit events first. */
  public List<AuditEvent> auditTrail(int limit) {
    return store.inTransaction(tx ->
        ((JdbcStore.JdbcTx) tx)
            .query(
                "select * from audit_event order by seq desc fetch first " + limit + " rows only",
                rs ->
                    new AuditEvent(
                        rs.getLong("id"),
                        rs.getObject("at", java.time.OffsetDateTime.class).toInstant(),
                        rs.getString("actor"),
                        Optional.ofNullable(rs.getString("practice_id")),
                        rs.getString("action"),
                        rs.getString("subject"),
                        Optional.ofNullable(rs.getString("detail")))));
  }
}
