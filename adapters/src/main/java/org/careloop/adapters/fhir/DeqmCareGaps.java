package org.careloop.adapters.fhir;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import org.careloop.app.CareGapReports.CareGapReport;
import org.careloop.app.Reads;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * A stored weekly care-gap report as the Da Vinci DEQM gaps-in-care shape: a {@code Parameters}
 * whose {@code return} parameters are one gaps-in-care document Bundle per patient (Composition,
 * one individual MeasureReport and one open-gap DetectedIssue per gap, the Patient and the
 * practice's Organization), the answer {@code $care-gaps} gives. The "measure" of a gap is the
 * protocol version its plan runs on.
 */
public final class DeqmCareGaps {
  static final String DEQM = "http://hl7.org/fhir/uv/deqm/StructureDefinition/";
  static final String GAP_STATUS = "http://hl7.org/fhir/uv/deqm/CodeSystem/deqm-gaps-status";

  private DeqmCareGaps() {}

  /** The report as DEQM JSON. */
  public static String json(CareGapReport report, String practiceName) {
    return Fhir.CONTEXT
        .newJsonParser()
        .setPrettyPrint(true)
        .encodeResourceToString(parameters(report, practiceName));
  }

  static Parameters parameters(CareGapReport report, String practiceName) {
    var byPatient = new LinkedHashMap<String, List<Reads.GapRow>>();
    for (var g : report.gaps())
      byPatient.computeIfAbsent(g.patientId(), k -> new java.util.ArrayList<>()).add(g);
    var out = new Parameters();
    for (var e : byPatient.entrySet())
      out.addParameter().setName("return").setResource(bundle(report, practiceName, e.getValue()));
    return out;
  }

  private static Bundle bundle(CareGapReport report, String practiceName, List<Reads.GapRow> gaps) {
    var first = gaps.get(0);
    String key = report.practiceId() + "/" + report.weekOf() + "/" + first.patientId();
    var made = Date.from(report.madeAt());
    var bundle = new Bundle();
    bundle.getMeta().addProfile(DEQM + "deqm-gapsincarebundle");
    bundle.setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue(urn(key)));
    bundle.setType(Bundle.BundleType.DOCUMENT);
    bundle.setTimestamp(made);

    var organization = new Organization();
    organization.setId(urn(key + "/organization"));
    organization.setName(practiceName);
    organization.addIdentifier().setSystem("urn:careloop:practice").setValue(report.practiceId());

    var patient = new Patient();
    patient.setId(urn(key + "/patient"));
    patient.getMeta().addProfile("http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient");
    patient.addIdentifier().setSystem("urn:careloop:patient").setValue(first.patientId());
    patient.addName(new HumanName().setText(first.patient()));

    var composition = new Composition();
    composition.setId(urn(key + "/composition"));
    composition.getMeta().addProfile(DEQM + "deqm-gapsincarecomposition");
    composition.setStatus(Composition.CompositionStatus.FINAL);
    composition.setType(
        new CodeableConcept(new Coding("http://loinc.org", "96315-7", "Gaps in care report")));
    composition.setSubject(ref(patient));
    composition.setDate(made);
    composition.addAuthor(ref(organization));
    composition.setTitle("Care gap report, week of " + report.weekOf());

    List<Resource> rest = new java.util.ArrayList<>();
    int n = 0;
    for (var g : gaps) {
      n++;
      var measureReport = new MeasureReport();
      measureReport.setId(urn(key + "/gap/" + n + "/measure-report"));
      measureReport.getMeta().addProfile(DEQM + "deqm-individualmeasurereport");
      measureReport.setStatus(MeasureReport.MeasureReportStatus.COMPLETE);
      measureReport.setType(MeasureReport.MeasureReportType.INDIVIDUAL);
      measureReport.setMeasure(
          "urn:careloop:protocol:" + g.protocolId() + "|" + g.protocolVersion());
      measureReport.setSubject(ref(patient));
      measureReport.setDate(made);
      measureReport.setReporter(ref(organization));
      measureReport.setPeriod(
          new Period()
              .setStartElement(new org.hl7.fhir.r4.model.DateTimeType(g.dueDate().toString()))
              .setEndElement(new org.hl7.fhir.r4.model.DateTimeType(report.weekOf().toString())));
      measureReport.setImprovementNotation(
          new CodeableConcept(
              new Coding(
                  "http://terminology.hl7.org/CodeSystem/measure-improvement-notation",
                  "increase",
                  "Increased score indicates improvement")));
      measureReport.addGroup().getCode().setText(g.description());

      var issue = new DetectedIssue();
      issue.setId(urn(key + "/gap/" + n + "/detected-issue"));
      issue.getMeta().addProfile(DEQM + "deqm-gapsincaredetectedissue");
      issue.addModifierExtension(
          new Extension(
              DEQM + "deqm-gapStatus",
              new CodeableConcept(new Coding(GAP_STATUS, "open-gap", "Gap in care"))));
      issue.setStatus(DetectedIssue.DetectedIssueStatus.FINAL);
      issue.setCode(
          new CodeableConcept(
              new Coding(
                  "http://terminology.hl7.org/CodeSystem/v3-ActCode", "CAREGAP", "Caregap")));
      issue.setPatient(ref(patient));
      issue.setIdentified(new DateTimeType(made));
      issue.addEvidence().addDetail(ref(measureReport));
      issue.setDetail(
          g.description()
              + " ("
              + g.step()
              + "), due "
              + g.dueDate()
              + ", "
              + g.daysOverdue()
              + " day(s) overdue, tier "
              + g.tier()
              + ": "
              + (g.outcomeUnknown() ? "outcome unknown" : "not done")
              + "; "
              + g.attempts()
              + " outreach attempt(s)");

      composition
          .addSection()
          .setTitle(g.description())
          .setFocus(ref(measureReport))
          .addEntry(ref(issue));
      rest.add(measureReport);
      rest.add(issue);
    }
    entry(bundle, composition);
    for (var r : rest) entry(bundle, r);
    entry(bundle, patient);
    entry(bundle, organization);
    return bundle;
  }

  private static void entry(Bundle bundle, Resource r) {
    bundle.addEntry().setFullUrl(r.getIdElement().getValue()).setResource(r);
  }

  private static Reference ref(Resource r) {
    return new Reference(r.getIdElement().getValue());
  }

  /** A stable urn:uuid for a part of the report, the same each time it is downloaded. */
  static String urn(String key) {
    return "urn:uuid:" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
  }
}
