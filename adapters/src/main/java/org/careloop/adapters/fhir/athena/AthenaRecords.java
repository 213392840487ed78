package org.careloop.adapters.fhir.athena;

import static org.careloop.adapters.fhir.VendorBatch.text;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import org.careloop.app.InputRejected;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import tools.jackson.databind.JsonNode;

/**
 * athenahealth's records (its athenaOne API's appointments and patients) as FHIR resources, so they
 * are read and imported as any EHR's. Ids are athenaNet's with {@code athena-} before them, apart
 * from any other EHR's. Dates are athenaNet's {@code MM/DD/YYYY}; an appointment's date and start
 * time are the department's wall clock, read in the practice's zone.
 *
 * <p>Errors name the record and field ({@code athenahealth appointment 1050322: date}), never a
 * value.
 */
final class AthenaRecords {
  private AthenaRecords() {}

  static final String ID_PREFIX = "athena-";

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("MM/dd/yyyy", Locale.ROOT);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("H:mm", Locale.ROOT);
  private static final DateTimeFormatter MODIFIED =
      DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss", Locale.ROOT);

  static String id(JsonNode node, String field, String where) {
    String id =
        text(node, field).orElseThrow(() -> new InputRejected(where + "." + field, "is missing"));
    if (!id.matches("[0-9A-Za-z_-]{1,40}"))
      throw new InputRejected(where + "." + field, "is not an athenaNet id");
    return id;
  }

  static LocalDate date(String text, String where) {
    try {
      return LocalDate.parse(text, DATE);
    } catch (DateTimeParseException e) {
      throw new InputRejected(where, "not a date as athenaNet writes one (MM/DD/YYYY)");
    }
  }

  /**
   * An appointment, with its patient when the record carries it ({@code showpatientdetail}); empty
   * for an open slot (no patient booked in it).
   */
  static Optional<String> appointment(Bundle bundle, JsonNode a, ZoneId zone, String where) {
    String status = text(a, "appointmentstatus").orElse("");
    if (status.equals("o")) return Optional.empty();
    String id = id(a, "appointmentid", where);
    String at = "athenahealth appointment " + id;
    String patientId = id(a, "patientid", at);
    var detail = a.path("patient");
    if (detail.isObject()) patient(bundle, detail, zone, at + ".patient", patientId);
    var fhir = new Appointment();
    fhir.setId("Appointment/" + ID_PREFIX + id);
    text(a, "lastmodified")
        .flatMap(m -> modified(m, zone))
        .ifPresent(fhir.getMeta()::setLastUpdated);
    fhir.setStatus(
        switch (status) {
          case "f" -> Appointment.AppointmentStatus.BOOKED;
          case "2" -> Appointment.AppointmentStatus.CHECKEDIN;
          case "3", "4" -> Appointment.AppointmentStatus.FULFILLED;
          case "x" ->
              a.path("cancelreasonnoshow").asBoolean(false)
                  ? Appointment.AppointmentStatus.NOSHOW
                  : Appointment.AppointmentStatus.CANCELLED;
          default ->
              throw new InputRejected(
                  at + ".appointmentstatus", "is not one of f, 2, 3, 4, x, o (athenaNet's codes)");
        });
    var day =
        date(
            text(a, "date").orElseThrow(() -> new InputRejected(at + ".date", "is missing")),
            at + ".date");
    LocalTime time;
    try {
      time =
          LocalTime.parse(
              text(a, "starttime")
                  .orElseThrow(() -> new InputRejected(at + ".starttime", "is missing")),
              TIME);
    } catch (DateTimeParseException e) {
      throw new InputRejected(at + ".starttime", "not a time as athenaNet writes one (HH:MM)");
    }
    var start = LocalDateTime.of(day, time).atZone(zone).toInstant();
    fhir.setStart(Date.from(start));
    int minutes = a.path("duration").asInt(0);
    if (minutes > 0 && minutes <= 24 * 60) {
      fhir.setEnd(Date.from(start.plusSeconds(60L * minutes)));
      fhir.setMinutesDuration(minutes);
    }
    // What the patient is told it is, then the practice's own name for the type.
    for (String field : new String[] {"patientappointmenttypename", "appointmenttype"})
      text(a, field).ifPresent(n -> fhir.addServiceType(new CodeableConcept().setText(n)));
    fhir.addParticipant()
        .setActor(new Reference("Patient/" + ID_PREFIX + patientId))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    bundle.addEntry().setFullUrl("Appointment/" + ID_PREFIX + id).setResource(fhir);
    return Optional.of(patientId);
  }

  /** A patient record as a FHIR Patient, added to {@code bundle} once. */
  static void patient(Bundle bundle, JsonNode p, ZoneId zone, String where, String patientId) {
    String id = ID_PREFIX + patientId;
    for (var e : bundle.getEntry())
      if (e.getResource() instanceof Patient known && known.getIdPart().equals(id)) return;
    var fhir = new Patient();
    fhir.setId("Patient/" + id);
    text(p, "lastmodified")
        .flatMap(m -> modified(m, zone))
        .ifPresent(fhir.getMeta()::setLastUpdated);
    var first = text(p, "firstname");
    if (first.isEmpty())
      throw new InputRejected(where + ".firstname", "the patient has no first name");
    var name = fhir.addName().setUse(org.hl7.fhir.r4.model.HumanName.NameUse.OFFICIAL);
    name.addGiven(first.get());
    text(p, "lastname").ifPresent(name::setFamily);
    // Texts only to a patient who consented to them: without consent, careloop's reader takes a
    // number given as a work number as one to call, never to text.
    boolean texts = p.path("consenttotext").asBoolean(false);
    text(p, "mobilephone")
        .ifPresent(v ->
            fhir.addTelecom()
                .setSystem(ContactPoint.ContactPointSystem.PHONE)
                .setUse(
                    texts ? ContactPoint.ContactPointUse.MOBILE : ContactPoint.ContactPointUse.WORK)
                .setValue(v));
    text(p, "homephone")
        .ifPresent(v ->
            fhir.addTelecom()
                .setSystem(ContactPoint.ContactPointSystem.PHONE)
                .setUse(ContactPoint.ContactPointUse.WORK)
                .setValue(v));
    text(p, "email")
        .ifPresent(
            v -> fhir.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue(v));
    text(p, "dob")
        .ifPresent(d -> fhir.setBirthDateElement(new DateType(date(d, where + ".dob").toString())));
    text(p, "sex")
        .ifPresent(s ->
            fhir.setGender(
                switch (s.toUpperCase(Locale.ROOT)) {
                  case "M" -> AdministrativeGender.MALE;
                  case "F" -> AdministrativeGender.FEMALE;
                  default -> AdministrativeGender.UNKNOWN;
                }));
    var state = text(p, "state");
    if (state.isPresent())
      fhir.addAddress()
          .setUse(Address.AddressUse.HOME)
          .setState(state.get())
          .setPostalCode(text(p, "zip").orElse(null))
          .setCountry(text(p, "countrycode3166").orElse(null));
    bundle.addEntry().setFullUrl("Patient/" + id).setResource(fhir);
  }

  /**
   * athenaNet's "last modified" time ({@code MM/DD/YYYY HH:MM:SS}), on the practice's clock. It
   * only orders versions, so one written otherwise is left out rather than the record refused.
   */
  private static Optional<Date> modified(String text, ZoneId zone) {
    try {
      return Optional.of(Date.from(LocalDateTime.parse(text, MODIFIED).atZone(zone).toInstant()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
