package org.careloop.adapters.fhir;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.careloop.app.InputRejected;
import org.careloop.app.PatientRecord;
import org.careloop.app.intake.ImportBatch;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;

/** One document being translated: its entries by full URL, and what they add up to. */
final class FhirDocument {
  final String source;
  final List<FhirEntry> entries;
  final Map<String, FhirEntry> byFullUrl = new HashMap<>();
  final List<PatientRecord> patients = new ArrayList<>();
  final List<ImportBatch.IncomingPlan> plans = new ArrayList<>();
  final List<ImportBatch.AppointmentUpdate> appointments = new ArrayList<>();
  final List<String> warnings = new ArrayList<>();

  /** Appointment or ServiceRequest key → (plan key, step key), from CarePlan activities. */
  final Map<String, String[]> activityOf = new HashMap<>();

  final String practiceId;
  final ZoneId zone;
  final String region;

  FhirDocument(
      String practiceId, ZoneId zone, String region, String source, List<FhirEntry> entries) {
    this.practiceId = practiceId;
    this.zone = zone;
    this.region = region;
    this.source = source;
    this.entries = entries;
    for (var e : entries) e.fullUrl().ifPresent(u -> byFullUrl.put(u, e));
  }

  ImportBatch run() {
    var ignored = new TreeMap<String, Integer>();
    for (var e : entries) {
      // A pre-treatment estimate prices the patient's presented treatment plan.
      if (e.resource() instanceof org.hl7.fhir.r4.model.Claim claim
          && claim.getUse() == org.hl7.fhir.r4.model.Claim.Use.PREDETERMINATION
          && claim.hasPatient()
          && claim.hasTotal()
          && claim.getTotal().hasValue())
        estimateOf.put(
            ref(claim.getPatient(), e.path(), "patient"),
            claim.getTotal().getValue().movePointRight(2).longValue());
      if (e.resource() instanceof CarePlan cp) CarePlanMapper.linkActivities(this, e, cp);
      if (e.resource() instanceof Patient p) zoneOf.put(e.key(), PatientMapper.zone(this, p));
      byKey.putIfAbsent(e.key(), e);
      if (e.resource() instanceof ServiceRequest sr && sr.hasEncounter())
        followUpOf.putIfAbsent(ref(sr.getEncounter(), e.path(), "encounter"), e);
    }
    for (var e : entries) {
      switch (e.resource()) {
        case Patient p -> patients.add(PatientMapper.patient(this, e, p));
        case CarePlan cp -> plans.add(CarePlanMapper.carePlan(this, e, cp));
        case ServiceRequest sr -> {
          if (!activityOf.containsKey(e.key()))
            ServiceRequestMapper.serviceRequest(this, e, sr).ifPresent(plans::add);
        }
        case Appointment a -> {
          AppointmentMapper.appointment(this, e, a).ifPresent(appointments::add);
          AppointmentMapper.noShow(this, e, a).ifPresent(plans::add);
        }
        case Encounter enc -> {
          EncounterMapper.encounter(this, e, enc).ifPresent(appointments::add);
          EncounterMapper.postVisit(this, e, enc).ifPresent(plans::add);
        }
        case org.hl7.fhir.r4.model.Claim c
            when c.getUse() == org.hl7.fhir.r4.model.Claim.Use.PREDETERMINATION -> {}
        default -> ignored.merge(e.resource().fhirType(), 1, Integer::sum);
      }
    }
    if (!ignored.isEmpty()) warnings.add(source + ": not used for follow-up: " + ignored);
    return new ImportBatch(source, practiceId, patients, plans, appointments, warnings);
  }

  /** The careloop key of what a reference points at. */
  String ref(Reference reference, String where, String field) {
    String r = reference.getReference();
    if (r == null || r.isBlank()) throw new InputRejected(where, field + " has no reference");
    if (r.startsWith("urn:uuid:") || r.startsWith("urn:oid:")) {
      var target = byFullUrl.get(r);
      if (target == null)
        throw new InputRejected(where, field + " points at " + r + ", which is not in this bundle");
      return target.key();
    }
    var id = new IdType(r);
    if (!id.hasResourceType() || !id.hasIdPart())
      throw new InputRejected(where, field + " '" + r + "' is not a Type/id reference");
    var full = byFullUrl.get(r);
    if (full != null) return full.key();
    return "fhir:" + id.getResourceType() + "/" + id.getIdPart();
  }

  /** The zone each patient of this document lives in. */
  final Map<String, ZoneId> zoneOf = new HashMap<>();

  /** Each entry by its careloop key ({@code fhir:ServiceRequest/lab-1}). */
  final Map<String, FhirEntry> byKey = new HashMap<>();

  /**
   * The zone a patient lives in, for the dates written without a time in their plans: from their
   * address when this document carries it, else the practice's.
   */
  ZoneId zoneOf(String patientKey) {
    return zoneOf.getOrDefault(patientKey, zone);
  }

  /** Pre-treatment estimates (Claim, use predetermination) in cents, by patient key. */
  final Map<String, Long> estimateOf = new java.util.HashMap<>();

  /** Follow-up orders written during a visit, by the visit's key. */
  final Map<String, FhirEntry> followUpOf = new java.util.HashMap<>();
}
