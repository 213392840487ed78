package org.careloop.adapters.fhir;

import java.util.Optional;
import org.careloop.adapters.contact.Phones;
import org.careloop.app.InputRejected;
import org.careloop.app.Limits;
import org.careloop.app.PatientRecord;
import org.careloop.core.Channel;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Patient;

/**
 * A FHIR Patient as careloop keeps it: the name, the phone that can take texts (a work number is
 * only called), the email, the language; a contact point that ended or is not a number is left out
 * with a warning.
 */
final class PatientMapper {

  private PatientMapper() {}

  static PatientRecord patient(FhirDocument doc, FhirEntry e, Patient p) {
    String where = e.path();
    var name = p.getNameFirstRep();
    String first = name.getGiven().isEmpty() ? "" : name.getGiven().get(0).getValue();
    if (first == null || first.isBlank()) first = Optional.ofNullable(name.getText()).orElse("");
    if (first.isBlank()) throw new InputRejected(where + ".name", "patient has no given name");
    Limits.check(first, Limits.NAME, where + ".name[0].given[0]");
    String last =
        Limits.check(
            Optional.ofNullable(name.getFamily()).orElse(""),
            Limits.NAME,
            where + ".name[0].family");
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
        doc.zone);
  }
}
