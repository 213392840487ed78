package org.careloop.adapters.fhir.healthie;

import static org.careloop.adapters.fhir.VendorBatch.text;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import org.careloop.app.InputRejected;
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
 * Healthie's records as careloop takes them: an appointment as a FHIR {@link Appointment}, its
 * client (a Healthie {@code User}) as a FHIR {@link Patient}, so that they are read and imported as
 * any EHR's are. Their ids are Healthie's with {@code healthie-} before them, so a practice's
 * Healthie records never take the keys of its FHIR EHR's.
 *
 * <p>Errors name the Healthie record and field ({@code Healthie appointment 42: date}); never a
 * value.
 */
final class HealthieRecords {
  private HealthieRecords() {}

  /** What careloop's ids for Healthie's records start with. */
  static final String ID_PREFIX = "healthie-";

  /** The client fields careloop reads. */
  static final String USER_FIELDS =
      "id first_name last_name legal_name dob gender email phone_number updated_at";

  /** The appointment fields careloop reads, with the client's. */
  static final String APPOINTMENT_FIELDS =
      "id date length pm_status deleted_at updated_at contact_type"
          + " appointment_type { id name } user { "
          + USER_FIELDS
          + " } attendees { "
          + USER_FIELDS
          + " }";

  /** How Healthie writes a time: {@code 2026-12-10 10:00:00 -0500}. */
  private static final DateTimeFormatter HEALTHIE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS] xx", Locale.ROOT);

  private static final DateTimeFormatter LOCAL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]", Locale.ROOT);

  /**
   * A time as Healthie writes it ({@code 2026-12-10 10:00:00 -0500}), or ISO 8601 with an offset;
   * one without an offset is read in {@code zone}.
   */
  static Instant time(String text, ZoneId zone, String where) {
    String t = text.strip();
    try {
      return OffsetDateTime.parse(t, HEALTHIE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      // the other forms below
    }
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      // the other forms below
    }
    try {
      return LocalDateTime.parse(t.replace('T', ' '), LOCAL_TIME).atZone(zone).toInstant();
    } catch (DateTimeParseException e) {
      throw new InputRejected(
          where, "not a time Healthie writes (2026-12-10 10:00:00 -0500, or ISO 8601)");
    }
  }

  /** A Healthie id: digits or letters, as its API hands them out (a string or a number). */
  static String id(JsonNode node, String where) {
    String id = text(node, "id").orElseThrow(() -> new InputRejected(where + ".id", "has no id"));
    if (!id.matches("[A-Za-z0-9_-]{1,64}"))
      throw new InputRejected(where + ".id", "is not a Healthie id");
    return id;
  }

  /** The appointment's client and the appointment, added to {@code bundle}. */
  static void appointment(Bundle bundle, JsonNode a, ZoneId zone, String where) {
    String id = id(a, where);
    var client = client(a, where);
    String patientId = patient(bundle, client.node(), zone, where + "." + client.field());
    var fhir = new Appointment();
    fhir.setId("Appointment/" + ID_PREFIX + id);
    changed(a, zone).ifPresent(fhir.getMeta()::setLastUpdated);
    fhir.setStatus(status(a, where));
    var dateText =
        text(a, "date").orElseThrow(() -> new InputRejected(where + ".date", "has no date"));
    Instant start = time(dateText, zone, where + ".date");
    fhir.setStart(Date.from(start));
    var length = a.path("length");
    if (length.isNumber() && length.asInt() > 0 && length.asInt() <= 24 * 60) {
      fhir.setEnd(Date.from(start.plusSeconds(60L * length.asInt())));
      fhir.setMinutesDuration(length.asInt());
    }
    text(a.path("appointment_type"), "name")
        .ifPresent(n -> fhir.addServiceType(new CodeableConcept().setText(n)));
    fhir.addParticipant()
        .setActor(new Reference("Patient/" + patientId))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    bundle.addEntry().setFullUrl("Appointment/" + ID_PREFIX + id).setResource(fhir);
  }

  /** The client an appointment is with: its {@code user}, else (a group) its first attendee. */
  private record Client(JsonNode node, String field) {}

  private static Client client(JsonNode a, String where) {
    var user = a.path("user");
    if (user.isObject()) return new Client(user, "user");
    var attendees = a.path("attendees");
    if (attendees.isArray() && !attendees.isEmpty() && attendees.get(0).isObject())
      return new Client(attendees.get(0), "attendees[0]");
    throw new InputRejected(where + ".user", "the appointment is with no client");
  }

  /**
   * An appointment's status: {@code pm_status} says what came of it (Occurred, No-Show, Cancelled,
   * Late Cancellation, Re-Scheduled), none that it is booked; a deleted one is cancelled.
   */
  static Appointment.AppointmentStatus status(JsonNode a, String where) {
    if (text(a, "deleted_at").isPresent()) return Appointment.AppointmentStatus.CANCELLED;
    var pm = text(a, "pm_status");
    if (pm.isEmpty()) return Appointment.AppointmentStatus.BOOKED;
    return switch (pm.get().toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-')) {
      case "occurred" -> Appointment.AppointmentStatus.FULFILLED;
      case "no-show" -> Appointment.AppointmentStatus.NOSHOW;
      case "cancelled", "canceled", "late-cancellation", "re-scheduled", "rescheduled" ->
          Appointment.AppointmentStatus.CANCELLED;
      default ->
          throw new InputRejected(
              where + ".pm_status",
              "is not one of Occurred, No-Show, Cancelled, Late Cancellation, Re-Scheduled");
    };
  }

  /** A client as a FHIR Patient, added to {@code bundle} once; its id. */
  static String patient(Bundle bundle, JsonNode u, ZoneId zone, String where) {
    String id = ID_PREFIX + id(u, where);
    for (var e : bundle.getEntry())
      if (e.getResource() instanceof Patient p && p.getIdPart().equals(id)) return id;
    var p = new Patient();
    p.setId("Patient/" + id);
    changed(u, zone).ifPresent(p.getMeta()::setLastUpdated);
    var first = text(u, "first_name");
    if (first.isEmpty())
      throw new InputRejected(where + ".first_name", "the client has no first name");
    var name = p.addName().setUse(org.hl7.fhir.r4.model.HumanName.NameUse.USUAL);
    name.addGiven(first.get());
    text(u, "last_name").ifPresent(name::setFamily);
    text(u, "phone_number")
        .ifPresent(v ->
            p.addTelecom()
                .setSystem(ContactPoint.ContactPointSystem.PHONE)
                .setUse(ContactPoint.ContactPointUse.MOBILE)
                .setValue(v));
    text(u, "email")
        .ifPresent(
            v -> p.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue(v));
    var dob = text(u, "dob");
    if (dob.isPresent()) {
      try {
        p.setBirthDateElement(new DateType(LocalDate.parse(dob.get()).toString()));
      } catch (DateTimeParseException e) {
        throw new InputRejected(where + ".dob", "not a date (YYYY-MM-DD)");
      }
    }
    text(u, "gender").map(HealthieRecords::gender).ifPresent(p::setGender);
    bundle.addEntry().setFullUrl("Patient/" + id).setResource(p);
    return id;
  }

  /** Healthie's gender, as its clients write it, where it says one of FHIR's. */
  static AdministrativeGender gender(String g) {
    return switch (g.strip().toLowerCase(Locale.ROOT)) {
      case "male", "m", "man" -> AdministrativeGender.MALE;
      case "female", "f", "woman" -> AdministrativeGender.FEMALE;
      case "other", "non-binary", "nonbinary" -> AdministrativeGender.OTHER;
      default -> AdministrativeGender.UNKNOWN;
    };
  }

  /**
   * When a record last changed, when Healthie says so in a form careloop reads: it only orders
   * versions, so one written wrong is left out rather than the record refused.
   */
  private static Optional<Date> changed(JsonNode record, ZoneId zone) {
    try {
      return text(record, "updated_at").map(t -> Date.from(time(t, zone, "updated_at")));
    } catch (InputRejected e) {
      return Optional.empty();
    }
  }
}
