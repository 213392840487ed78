package org.careloop.adapters.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.careloop.adapters.StepKinds;
import org.careloop.adapters.contact.Phones;
import org.careloop.app.ImportBatch;
import org.careloop.app.InputRejected;
import org.careloop.app.Limits;
import org.careloop.app.PatientRecord;
import org.careloop.core.Channel;
import org.careloop.core.OrderedStep;
import org.careloop.core.PlanFlags;
import org.careloop.core.StepKind;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Timing;
import org.hl7.fhir.r4.model.Type;
import org.jspecify.annotations.Nullable;

/**
 * Reads FHIR R4 JSON (a Bundle of any type, or a single Patient, CarePlan, ServiceRequest,
 * Appointment or Encounter) into an {@link ImportBatch}. Invalid FHIR is rejected whole with the
 * file and the resource path.
 */
public final class FhirReader {
  private static final FhirContext CONTEXT = Fhir.CONTEXT;

  private final String practiceId;
  private final ZoneId zone;
  private final String region;

  /**
   * @param region the practice's country (ISO 3166), for phone numbers written without one
   */
  public FhirReader(String practiceId, ZoneId zone, String region) {
    this.practiceId = practiceId;
    this.zone = zone;
    this.region = region;
  }

  private static IParser parser() {
    var parser = CONTEXT.newJsonParser();
    parser.setParserErrorHandler(new StrictErrorHandler());
    return parser;
  }

  /**
   * Parses and translates one FHIR JSON document named {@code source} (a file name, "HTTP body").
   */
  public ImportBatch read(String json, String source) {
    checkJsonSyntax(json, source);
    Resource root;
    try {
      root = (Resource) parser().parseResource(json);
    } catch (DataFormatException | ClassCastException e) {
      throw new InputRejected(source, "not valid FHIR R4 JSON: " + e.getMessage(), e);
    }
    var entries = new ArrayList<Entry>();
    if (root instanceof Bundle bundle) {
      var list = bundle.getEntry();
      for (int i = 0; i < list.size(); i++) {
        var e = list.get(i);
        if (!e.hasResource())
          throw new InputRejected(source + ": Bundle.entry[" + i + "]", "entry has no resource");
        entries.add(
            new Entry(
                e.getResource(),
                Optional.ofNullable(e.getFullUrl()).filter(s -> !s.isBlank()),
                source + ": Bundle.entry[" + i + "].resource"));
      }
    } else {
      entries.add(new Entry(root, Optional.empty(), source + ": " + root.fhirType()));
    }
    return new Translation(source, entries).run();
  }

  private static final tools.jackson.databind.json.JsonMapper STRICT_JSON =
      tools.jackson.databind.json.JsonMapper.builder().build();

  /**
   * HAPI's parser lets some invalid JSON through (a number written "+3.0"); FHIR JSON must be JSON,
   * so a strict parser checks first and names the line and column.
   */
  private static void checkJsonSyntax(String json, String source) {
    try (var parser = STRICT_JSON.createParser(json)) {
      while (parser.nextToken() != null) {
        // read to the end: syntax errors throw
      }
    } catch (tools.jackson.core.JacksonException e) {
      var loc = e.getLocation();
      String at =
          loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
      throw new InputRejected(
          source, "not valid FHIR R4 JSON: not JSON" + at + ": " + e.getOriginalMessage(), e);
    }
  }

  record Entry(Resource resource, Optional<String> fullUrl, String where) {
    String key() {
      String id = resource.getIdElement().getIdPart();
      // HAPI gives a bundle entry's resource its fullUrl as id when that is a urn:uuid.
      if (id == null || id.isBlank()) id = fullUrl.orElse("");
      if (id.startsWith("urn:uuid:") || id.startsWith("urn:oid:"))
        id = id.substring(id.lastIndexOf(':') + 1);
      // FHIR ids are at most 64 characters.
      if (id.length() > 64)
        throw new InputRejected(
            where + ".id", "is " + id.length() + " characters; a FHIR id is at most 64");
      return "fhir:" + resource.fhirType() + "/" + id;
    }

    String path() {
      return where + " (" + key().substring(5) + ")";
    }
  }

  /** One document being translated: its entries by full URL, and what they add up to. */
  private final class Translation {
    final String source;
    final List<Entry> entries;
    final Map<String, Entry> byFullUrl = new HashMap<>();
    final List<PatientRecord> patients = new ArrayList<>();
    final List<ImportBatch.IncomingPlan> plans = new ArrayList<>();
    final List<ImportBatch.AppointmentUpdate> appointments = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    /** Appointment or ServiceRequest key → (plan key, step key), from CarePlan activities. */
    final Map<String, String[]> activityOf = new HashMap<>();

    Translation(String source, List<Entry> entries) {
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
        if (e.resource() instanceof CarePlan cp) linkActivities(e, cp);
        if (e.resource() instanceof ServiceRequest sr && sr.hasEncounter())
          followUpOf.putIfAbsent(ref(sr.getEncounter(), e.path(), "encounter"), e);
      }
      for (var e : entries) {
        switch (e.resource()) {
          case Patient p -> patients.add(patient(e, p));
          case CarePlan cp -> plans.add(carePlan(e, cp));
          case ServiceRequest sr -> {
            if (!activityOf.containsKey(e.key())) serviceRequest(e, sr).ifPresent(plans::add);
          }
          case Appointment a -> {
            appointment(e, a).ifPresent(appointments::add);
            noShow(e, a).ifPresent(plans::add);
          }
          case Encounter enc -> {
            encounter(e, enc).ifPresent(appointments::add);
            postVisit(e, enc).ifPresent(plans::add);
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
          throw new InputRejected(
              where, field + " points at " + r + ", which is not in this bundle");
        return target.key();
      }
      var id = new IdType(r);
      if (!id.hasResourceType() || !id.hasIdPart())
        throw new InputRejected(where, field + " '" + r + "' is not a Type/id reference");
      var full = byFullUrl.get(r);
      if (full != null) return full.key();
      return "fhir:" + id.getResourceType() + "/" + id.getIdPart();
    }

    PatientRecord patient(Entry e, Patient p) {
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
      Optional<String> mobile = Optional.empty(),
          voice = Optional.empty(),
          email = Optional.empty();
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
          var number = Phones.e164(cp.getValue(), region);
          if (number.isEmpty()) {
            warnings.add(where + ".telecom[" + i + "]: value is not a phone number; left out");
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
          practiceId,
          first,
          last,
          mobile,
          voice,
          email,
          Optional.<Channel>empty(),
          language,
          zone);
    }

    void linkActivities(Entry e, CarePlan cp) {
      var activities = cp.getActivity();
      for (int i = 0; i < activities.size(); i++) {
        var a = activities.get(i);
        if (a.hasReference()) {
          String target = ref(a.getReference(), e.path() + ".activity[" + i + "]", "reference");
          activityOf.put(target, new String[] {e.key(), "activity-" + i});
        }
      }
    }

    ImportBatch.IncomingPlan carePlan(Entry e, CarePlan cp) {
      String where = e.path();
      if (!cp.hasSubject()) throw new InputRejected(where + ".subject", "CarePlan has no subject");
      String patientKey = ref(cp.getSubject(), where, "subject");
      if (!patientKey.startsWith("fhir:Patient/"))
        throw new InputRejected(
            where + ".subject", "subject must be a Patient, got " + patientKey.substring(5));
      var status = cp.getStatus();
      if (status == null) throw new InputRejected(where + ".status", "CarePlan has no status");
      // A proposal is a treatment plan presented to the patient and not accepted yet.
      boolean proposal = cp.getIntent() == CarePlan.CarePlanIntent.PROPOSAL;
      boolean active =
          status == CarePlan.CarePlanStatus.ACTIVE
              || (proposal && status == CarePlan.CarePlanStatus.DRAFT);
      Instant orderedAt =
          cp.getPeriod().hasStart()
              ? cp.getPeriod().getStart().toInstant()
              : cp.hasCreated() ? cp.getCreated().toInstant() : Instant.EPOCH;
      var steps = new ArrayList<OrderedStep>();
      var activities = cp.getActivity();
      for (int i = 0; i < activities.size(); i++) {
        var a = activities.get(i);
        String aw = where + ".activity[" + i + "]";
        var d = a.getDetail();
        String words =
            firstNonBlank(
                d.getCode().getText(),
                d.getCode().getCodingFirstRep().getDisplay(),
                d.getDescription(),
                a.hasReference() ? a.getReference().getDisplay() : null);
        if (words.isBlank() && a.hasReference())
          words = ref(a.getReference(), aw, "reference").substring(5);
        if (words.isBlank()) words = "care plan step " + (i + 1);
        var aStatus = d.getStatus();
        if (aStatus == CarePlan.CarePlanActivityStatus.CANCELLED
            || aStatus == CarePlan.CarePlanActivityStatus.STOPPED
            || aStatus == CarePlan.CarePlanActivityStatus.ENTEREDINERROR) continue;
        StepKind kind =
            d.hasKind()
                    && d.getKind() == CarePlan.CarePlanActivityKind.APPOINTMENT
                    && StepKinds.fromWords(words) == StepKind.OTHER
                ? StepKind.VISIT
                : d.hasKind() && d.getKind() == CarePlan.CarePlanActivityKind.MEDICATIONREQUEST
                    ? StepKind.MEDICATION_CHECK
                    : StepKinds.fromWords(words);
        Optional<Instant> due = Optional.empty(), end = Optional.empty();
        if (d.hasScheduled()) {
          Type s = d.getScheduled();
          if (s instanceof Period p) {
            due = Optional.ofNullable(p.getStart()).map(java.util.Date::toInstant);
            end = Optional.ofNullable(p.getEnd()).map(java.util.Date::toInstant);
          } else if (s instanceof Timing t) {
            due = timingStart(t);
          } else {
            warnings.add(
                aw
                    + ".detail.scheduled: '"
                    + s.primitiveValue()
                    + "' is free text; the protocol's default interval applies");
          }
        }
        Optional<Instant> completedAt =
            aStatus == CarePlan.CarePlanActivityStatus.COMPLETED
                ? Optional.of(
                    end.or(() ->
                            Optional.ofNullable(cp.getPeriod().getEnd())
                                .map(java.util.Date::toInstant))
                        .orElse(orderedAt))
                : Optional.empty();
        steps.add(
            new OrderedStep("activity-" + i, kind, words, due, Optional.empty(), completedAt));
      }
      if (steps.isEmpty()) {
        String category =
            firstNonBlank(
                cp.getCategoryFirstRep().getText(),
                cp.getCategoryFirstRep().getCodingFirstRep().getDisplay(),
                cp.getTitle(),
                "care plan follow-up");
        steps.add(
            new OrderedStep(
                "plan",
                StepKinds.fromWords(category) == StepKind.OTHER
                    ? StepKind.VISIT
                    : StepKinds.fromWords(category),
                category,
                Optional.empty(),
                Optional.empty(),
                Optional.empty()));
      }
      boolean highRisk =
          cp.getMeta().getTag().stream()
                  .anyMatch(t -> isHighRisk(t.getCode()) || isHighRisk(t.getDisplay()))
              || cp.getCategory().stream()
                  .anyMatch(c ->
                      isHighRisk(c.getText())
                          || c.getCoding().stream()
                              .anyMatch(
                                  x -> isHighRisk(x.getDisplay()) || isHighRisk(x.getCode())));
      boolean complex = cp.getAddresses().size() >= 3;
      boolean interpreter =
          patients.stream()
              .filter(p -> p.sourceKey().equals(patientKey))
              .findFirst()
              .flatMap(PatientRecord::language)
              .filter(l -> !l.toLowerCase(Locale.ROOT).startsWith("en"))
              .isPresent();
      Optional<String> provider =
          cp.hasAuthor() ? Optional.ofNullable(cp.getAuthor().getDisplay()) : Optional.empty();
      return new ImportBatch.IncomingPlan(
          e.key(),
          patientKey,
          orderedAt,
          steps,
          new PlanFlags(highRisk, complex, interpreter),
          provider,
          active,
          where,
          Optional.of(proposal ? "treatment-plan-presented" : "care-plan-created"),
          proposal ? Optional.ofNullable(estimateOf.get(patientKey)) : Optional.empty(),
          Optional.empty(),
          List.of());
    }

    Optional<ImportBatch.IncomingPlan> serviceRequest(Entry e, ServiceRequest sr) {
      String where = e.path();
      if (!sr.hasSubject())
        throw new InputRejected(where + ".subject", "ServiceRequest has no subject");
      String patientKey = ref(sr.getSubject(), where, "subject");
      if (!patientKey.startsWith("fhir:Patient/")) {
        warnings.add(
            where + ": subject is " + patientKey.substring(5) + ", not a Patient; not followed up");
        return Optional.empty();
      }
      if (sr.getStatus() == null)
        throw new InputRejected(where + ".status", "ServiceRequest has no status");
      boolean active = sr.getStatus() == ServiceRequest.ServiceRequestStatus.ACTIVE;
      boolean completed = sr.getStatus() == ServiceRequest.ServiceRequestStatus.COMPLETED;
      Instant orderedAt = sr.hasAuthoredOn() ? sr.getAuthoredOn().toInstant() : Instant.EPOCH;
      Optional<Instant> due = Optional.empty();
      if (sr.hasOccurrence()) {
        Type o = sr.getOccurrence();
        if (o instanceof DateTimeType dt)
          due = Optional.ofNullable(dt.getValue()).map(java.util.Date::toInstant);
        else if (o instanceof Period p)
          due = Optional.ofNullable(p.getStart()).map(java.util.Date::toInstant);
        else if (o instanceof Timing t) due = timingStart(t);
      }
      String words =
          firstNonBlank(
              sr.getCode().getText(),
              sr.getCode().getCodingFirstRep().getDisplay(),
              sr.getCategoryFirstRep().getText(),
              "ordered service");
      String category =
          firstNonBlank(
              sr.getCategoryFirstRep().getText(),
              sr.getCategoryFirstRep().getCodingFirstRep().getDisplay(),
              "");
      StepKind kind = StepKinds.fromWords(category + " " + words);
      var step =
          new OrderedStep(
              "order",
              kind,
              words,
              due,
              Optional.empty(),
              completed ? Optional.of(orderedAt) : Optional.empty());
      Optional<String> provider =
          sr.hasRequester()
              ? Optional.ofNullable(sr.getRequester().getDisplay())
              : Optional.empty();
      boolean urgent =
          sr.getPriority() == ServiceRequest.ServiceRequestPriority.URGENT
              || sr.getPriority() == ServiceRequest.ServiceRequestPriority.STAT;
      return Optional.of(
          new ImportBatch.IncomingPlan(
              e.key(),
              patientKey,
              orderedAt,
              List.of(step),
              new PlanFlags(urgent, false, false),
              provider,
              active,
              where,
              Optional.of(kind == StepKind.REFERRAL ? "referral-created" : "order-created"),
              Optional.empty(),
              Optional.empty(),
              List.of()));
    }

    /**
     * A missed appointment, for a protocol that recovers no-shows of patients careloop follows
     * nothing else for (where the practice chose one for appointment-no-show).
     */
    Optional<ImportBatch.IncomingPlan> noShow(Entry e, Appointment a) {
      if (a.getStatus() != Appointment.AppointmentStatus.NOSHOW || !a.hasStart())
        return Optional.empty();
      String patientKey = null;
      for (var p : a.getParticipant())
        if (p.hasActor() && p.getActor().getReference() != null) {
          String k = ref(p.getActor(), e.path(), "actor");
          if (k.startsWith("fhir:Patient/")) patientKey = k;
        }
      if (patientKey == null) return Optional.empty();
      var step =
          new OrderedStep(
              "rebook",
              StepKind.VISIT,
              "Rebook the missed appointment",
              Optional.empty(),
              Optional.empty(),
              Optional.empty());
      return Optional.of(
          new ImportBatch.IncomingPlan(
              e.key() + ":no-show",
              patientKey,
              a.getStart().toInstant(),
              List.of(step),
              PlanFlags.NONE,
              Optional.empty(),
              true,
              e.path(),
              Optional.of("appointment-no-show"),
              Optional.empty(),
              Optional.empty(),
              List.of()));
    }

    Optional<ImportBatch.AppointmentUpdate> appointment(Entry e, Appointment a) {
      String where = e.path();
      if (a.getStatus() == null)
        throw new InputRejected(where + ".status", "Appointment has no status");
      String patientKey = null;
      var participants = a.getParticipant();
      for (int i = 0; i < participants.size(); i++) {
        var p = participants.get(i);
        if (p.hasActor()) {
          String k = ref(p.getActor(), where + ".participant[" + i + "]", "actor");
          if (k.startsWith("fhir:Patient/")) patientKey = k;
        }
      }
      if (patientKey == null)
        throw new InputRejected(where + ".participant", "Appointment has no Patient participant");
      Optional<String> planKey = Optional.empty(), stepKey = Optional.empty();
      var link = activityOf.get(e.key());
      if (link != null) {
        planKey = Optional.of(link[0]);
        stepKey = Optional.of(link[1]);
      } else {
        for (var b : a.getBasedOn()) {
          String k = ref(b, where, "basedOn");
          var viaPlan = activityOf.get(k);
          planKey = viaPlan != null ? Optional.of(viaPlan[0]) : Optional.of(k);
          if (viaPlan != null) stepKey = Optional.of(viaPlan[1]);
          break;
        }
      }
      Optional<Instant> start = Optional.ofNullable(a.getStart()).map(java.util.Date::toInstant);
      return Optional.of(
          new ImportBatch.AppointmentUpdate(
              e.key(), patientKey, planKey, stepKey, a.getStatus().toCode(), start, where));
    }

    /** Pre-treatment estimates (Claim, use predetermination) in cents, by patient key. */
    final Map<String, Long> estimateOf = new java.util.HashMap<>();

    /** Follow-up orders written during a visit, by the visit's key. */
    final Map<String, Entry> followUpOf = new java.util.HashMap<>();

    /**
     * A finished visit, for the post-visit program (where the practice chose one for
     * encounter-finished): its next step is a follow-up to book, timed by the protocol.
     */
    Optional<ImportBatch.IncomingPlan> postVisit(Entry e, Encounter enc) {
      if (enc.getStatus() != Encounter.EncounterStatus.FINISHED || !enc.hasSubject())
        return Optional.empty();
      // An inpatient or emergency stay that ended with a discharge is a transition of care.
      boolean discharge =
          enc.hasHospitalization()
              && enc.getHospitalization().hasDischargeDisposition()
              && List.of("IMP", "ACUTE", "EMER", "NONAC", "SS")
                  .contains(enc.getClass_().getCode() == null ? "" : enc.getClass_().getCode());
      String where = e.path();
      var period = enc.getPeriod();
      var ended =
          period.hasEnd()
              ? Optional.of(period.getEnd().toInstant())
              : period.hasStart()
                  ? Optional.of(period.getStart().toInstant())
                  : Optional.<Instant>empty();
      if (ended.isEmpty()) return Optional.empty();
      // The next step: the follow-up ordered during the visit, when there is one (its due date
      // drives a recall sequence), else a follow-up timed by the protocol.
      var order = Optional.ofNullable(followUpOf.get(e.key()));
      var step =
          order
              .flatMap(o -> serviceRequest(o, (ServiceRequest) o.resource()))
              .map(p -> p.steps().get(0))
              .map(s ->
                  new OrderedStep(
                      "next-step",
                      s.kind(),
                      s.description(),
                      s.dueAt(),
                      s.interval(),
                      s.completedAt()))
              .orElse(
                  new OrderedStep(
                      "next-step",
                      StepKind.VISIT,
                      "Next step after the visit",
                      Optional.empty(),
                      Optional.empty(),
                      Optional.empty()));
      return Optional.of(
          new ImportBatch.IncomingPlan(
              e.key() + (discharge ? ":discharge" : ":post-visit"),
              ref(enc.getSubject(), where, "subject"),
              ended.get(),
              List.of(step),
              PlanFlags.NONE,
              Optional.empty(),
              true,
              where,
              Optional.of(discharge ? "discharge" : "encounter-finished"),
              Optional.empty(),
              Optional.empty(),
              order.map(o -> List.of(o.key())).orElse(List.of())));
    }

    Optional<ImportBatch.AppointmentUpdate> encounter(Entry e, Encounter enc) {
      if (enc.getStatus() != Encounter.EncounterStatus.FINISHED
          || !enc.hasAppointment()
          || !enc.hasSubject()) return Optional.empty();
      String where = e.path();
      String appointmentKey = ref(enc.getAppointmentFirstRep(), where, "appointment");
      String patientKey = ref(enc.getSubject(), where, "subject");
      Optional<Instant> start =
          enc.getPeriod().hasStart()
              ? Optional.of(enc.getPeriod().getStart().toInstant())
              : Optional.empty();
      return Optional.of(
          new ImportBatch.AppointmentUpdate(
              appointmentKey,
              patientKey,
              Optional.empty(),
              Optional.empty(),
              "fulfilled",
              start,
              where));
    }
  }

  static Optional<Instant> timingStart(Timing t) {
    if (t.hasEvent())
      return Optional.ofNullable(t.getEvent().get(0).getValue()).map(java.util.Date::toInstant);
    if (t.hasRepeat() && t.getRepeat().hasBoundsPeriod()) {
      return Optional.ofNullable(t.getRepeat().getBoundsPeriod().getStart())
          .map(java.util.Date::toInstant);
    }
    return Optional.empty();
  }

  static boolean isHighRisk(String s) {
    return s != null && s.toLowerCase(Locale.ROOT).replace('-', ' ').contains("high risk");
  }

  static String firstNonBlank(@Nullable String... values) {
    for (var v : values) if (v != null && !v.isBlank()) return v.trim();
    return "";
  }
}
