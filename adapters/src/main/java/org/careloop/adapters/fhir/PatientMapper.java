package org.careloop.adapters.fhir;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.careloop.adapters.contact.Phones;
import org.careloop.adapters.contact.UsStates;
import org.careloop.app.InputRejected;
import org.careloop.app.Limits;
import org.careloop.app.PatientRecord;
import org.careloop.core.Channel;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;

/**
 * A FHIR Patient as careloop keeps it: the name, the phone that can take texts (a work number is
 * only called), the email, the language; a contact point that ended or is not a number is left out
 * with a warning.
 */
final class PatientMapper {

  private PatientMapper() {}

  /**
   * The name careloop addresses the patient by, as an EHR lists several (a maiden name kept as
   * {@code old}, a nickname, the legal name) in any order: the first current official name with a
   * given name, else the first current usual one, else the first current one with a given name or
   * text, else the first current one (refused when it has no given name), else the first.
   */
  static int nameIndex(Patient p) {
    var names = p.getName();
    java.util.function.IntPredicate current =
        i -> {
          var n = names.get(i);
          return n.getUse() != HumanName.NameUse.OLD
              && n.getUse() != HumanName.NameUse.MAIDEN
              && !(n.hasPeriod() && n.getPeriod().hasEnd());
        };
    java.util.function.IntPredicate named =
        i -> !names.get(i).getGivenAsSingleString().isBlank() || names.get(i).hasText();
    for (var use : List.of(HumanName.NameUse.OFFICIAL, HumanName.NameUse.USUAL))
      for (int i = 0; i < names.size(); i++)
        if (names.get(i).getUse() == use && current.test(i) && named.test(i)) return i;
    for (int i = 0; i < names.size(); i++) if (current.test(i) && named.test(i)) return i;
    for (int i = 0; i < names.size(); i++) if (current.test(i)) return i;
    return 0;
  }

  static PatientRecord patient(FhirDocument doc, FhirEntry e, Patient p) {
    String where = e.path();
    int at = nameIndex(p);
    var name = p.getName().isEmpty() ? p.getNameFirstRep() : p.getName().get(at);
    String first = name.getGiven().isEmpty() ? "" : name.getGiven().get(0).getValue();
    if (first == null || first.isBlank()) first = Optional.ofNullable(name.getText()).orElse("");
    if (first.isBlank())
      throw new InputRejected(where + ".name[" + at + "]", "patient has no given name");
    Limits.check(first, Limits.NAME, where + ".name[" + at + "].given[0]");
    String last =
        Limits.check(
            Optional.ofNullable(name.getFamily()).orElse(""),
            Limits.NAME,
            where + ".name[" + at + "].family");
    Optional<String> mobile = Optional.empty(), voice = Optional.empty(), email = Optional.empty();
    var telecom = p.getTelecom();
    for (int i = 0; i < telecom.size(); i++) {
      ContactPoint cp = telecom.get(i);
      if (!cp.hasValue() || (cp.hasPeriod() && cp.getPeriod().hasEnd())) continue;
      Limits.check(cp.getValue(), Limits.EMAIL, where + ".telecom[" + i + "].value");
      var use = cp.getUse();
      if (use == ContactPoint.ContactPointUse.OLD) continue;
      var system = cp.getSystem();
      if (system == ContactPoint.ContactPointSystem.EMAIL) {
        if (email.isEmpty() && cp.getValue().contains("@"))
          email = Optional.of(cp.getValue().trim());
      } else if (system == ContactPoint.ContactPointSystem.PHONE
          || system == ContactPoint.ContactPointSystem.SMS) {
        var number = Phones.e164(cp.getValue(), doc.region);
        if (number.isEmpty()) {
          doc.warnings.add(where + ".telecom[" + i + "]: value is not a phone number; left out");
          continue;
        }
        // Work numbers reach a desk, not the patient's pocket: call them, never text them.
        if (use == ContactPoint.ContactPointUse.WORK) {
          if (voice.isEmpty()) voice = number;
        } else if (mobile.isEmpty() || use == ContactPoint.ContactPointUse.MOBILE) {
          mobile = number;
        }
      }
    }
    Optional<String> language =
        p.getCommunication().stream()
            .filter(c -> c.hasLanguage())
            .map(c -> c.getLanguage().getCodingFirstRep().getCode())
            .filter(c -> c != null && !c.isBlank())
            .findFirst();
    var state = state(doc, p);
    return new PatientRecord(
        e.key(),
        doc.practiceId,
        first,
        last,
        mobile,
        voice,
        email,
        Optional.<Channel>empty(),
        language,
        UsStates.zoneOf(state, doc.zone),
        state,
        birthDate(p));
  }

  /**
   * The patient's date of birth when the resource gives a whole one: FHIR allows a year or a month
   * alone, which no one can search a day by, so those are left out.
   */
  static Optional<java.time.LocalDate> birthDate(Patient p) {
    if (!p.hasBirthDateElement()
        || p.getBirthDateElement().getPrecision()
            != ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY) return Optional.empty();
    return Optional.of(java.time.LocalDate.parse(p.getBirthDateElement().getValueAsString()));
  }

  /**
   * The state of the patient's current address (home first), as a USPS code, for a practice in the
   * United States: it sets their zone and any stricter hours their state's law sets.
   */
  static Optional<String> state(FhirDocument doc, Patient p) {
    if (!doc.region.equals("US")) return Optional.empty();
    Optional<String> found = Optional.empty();
    for (var a : p.getAddress()) {
      if (a.getUse() == Address.AddressUse.OLD || (a.hasPeriod() && a.getPeriod().hasEnd()))
        continue;
      if (!a.hasState()) continue;
      var code = UsStates.code(a.getState());
      if (code.isEmpty()) continue;
      if (a.getUse() == Address.AddressUse.HOME) return code;
      if (found.isEmpty()) found = code;
    }
    return found;
  }

  /** The zone the patient lives in: their state's, else the practice's. */
  static ZoneId zone(FhirDocument doc, Patient p) {
    return UsStates.zoneOf(state(doc, p), doc.zone);
  }
}
