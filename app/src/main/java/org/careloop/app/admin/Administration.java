package org.careloop.app.admin;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.careloop.app.AuditEvent;
import org.careloop.app.Person;
import org.careloop.app.PracticeSettings;
import org.careloop.app.Protocols;
import org.careloop.app.Store;
import org.careloop.core.SendRules;

/**
 * What an administrator sets by hand: a practice's settings (sender identities, frequency caps,
 * holidays, open tracking, slot source), the program each event starts, the people who sign in, and
 * a patient's marketing consent. Every change writes an audit event: who, what, when. The audit
 * names fields and ids, never their values.
 */
public final class Administration {
  /** The roles people have. */
  public static final Set<String> ROLES =
      Set.of("coordinator", "front-desk", "nurse", "provider", "manager", "admin");

  private final Store store;

  public Administration(Store store) {
    this.store = store;
  }

  public PracticeSettings settings(String practiceId) {
    return store.inTransaction(tx -> tx.settings(practiceId));
  }

  /**
   * Saves a practice's settings.
   *
   * @return the names of the settings that changed (empty: nothing to do)
   */
  public List<String> update(String actor, PracticeSettings changed, Instant now) {
    // Validates the caps the way the engine will read them.
    new SendRules(changed.capPerDay(), changed.capPerWeek(), Set.of(), ZoneOffset.UTC);
    return store.inTransaction(tx -> {
      var before = tx.settings(changed.practice().id());
      var fields = changedFields(before, changed);
      if (fields.isEmpty()) return fields;
      tx.saveSettings(changed);
      var id = changed.practice().id();
      tx.audit(actor, id, "practice.update", "practice " + id, String.join(", ", fields), now);
      return fields;
    });
  }

  /** The settings that differ, by the names the CLI and the audit trail use. */
  private static List<String> changedFields(PracticeSettings before, PracticeSettings after) {
    var p = after.practice();
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
    if (after.capPerDay() != before.capPerDay()) fields.add("cap-per-day");
    if (after.capPerWeek() != before.capPerWeek()) fields.add("cap-per-week");
    if (after.careGapReportDay() != before.careGapReportDay()) fields.add("care-gap-report-day");
    if (!after.appointmentValueCents().equals(before.appointmentValueCents()))
      fields.add("appointment-value");
    return fields;
  }

  /**
   * Adds or removes practice holidays: no automated message goes out on one.
   *
   * @return how many holidays were added or removed
   */
  public int holidays(
      String actor, String practiceId, List<LocalDate> days, boolean add, Instant now) {
    return store.inTransaction(tx -> {
      tx.practice(practiceId); // exists
      int n = 0;
      for (var day : days) if (tx.setHoliday(practiceId, day, add)) n++;
      if (n > 0)
        tx.audit(
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
  public Map<String, String> practiceProtocols(String practiceId) {
    return store.inTransaction(tx -> tx.practiceProtocols(practiceId));
  }

  /**
   * Chooses which protocol an event starts at the practice (its weekly CSV as a recall list, …).
   * The protocol must be loaded and name the event among its triggers.
   */
  public void choosePracticeProtocol(
      String actor,
      String practiceId,
      String event,
      Protocols protocols,
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
      tx.practice(practiceId);
      tx.choosePracticeProtocol(practiceId, event, protocolId);
      tx.audit(
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
      String id =
          tx.patient(patient)
              .filter(p -> p.practiceId().equals(practiceId))
              .map(p -> patient)
              .or(() ->
                  Stream.of(
                          patient,
                          "csv:patient:" + patient,
                          "fhir:Patient/" + patient,
                          "synthea:patient:" + patient)
                      .flatMap(k -> tx.patientIdBySource(practiceId, k).stream())
                      .findFirst())
              .orElseThrow(() ->
                  new IllegalArgumentException(
                      "no patient " + patient + " in practice " + practiceId));
      tx.setMarketingConsent(id, consent ? Optional.of(now) : Optional.empty());
      tx.audit(
          actor,
          practiceId,
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
      tx.audit(actor, practiceId.orElse(null), action, subject, null, now);
      return null;
    });
  }

  /** The newest audit events first. */
  public List<AuditEvent> auditTrail(int limit) {
    return store.inTransaction(tx -> tx.auditTrail(limit));
  }

  /** The person with this user name, whichever practice they work at. */
  public Optional<Person> person(String username) {
    return store.inTransaction(tx -> tx.personByUsername(username));
  }

  /** The practice's people, by user name. */
  public List<Person> people(String practiceId) {
    return store.inTransaction(tx -> tx.people(practiceId));
  }

  /** Adds a person, or changes their password, name and role. */
  public void savePerson(Person p, Instant now) {
    if (!ROLES.contains(p.role()))
      throw new IllegalArgumentException(
          "role '" + p.role() + "' is not one of " + new java.util.TreeSet<>(ROLES));
    store.inTransaction(tx -> {
      tx.practice(p.practiceId()); // exists
      tx.savePerson(p, now);
      return null;
    });
  }

  /**
   * Marks a person out of office (their cases show, and are worked, under their backup) or back.
   *
   * @return false when there is no such person
   */
  public boolean setOut(String username, boolean out) {
    return store.inTransaction(tx -> tx.setOutOfOffice(username, out));
  }
}
