package org.careloop.adapters.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.careloop.app.CareGapReports.CareGapReport;
import org.careloop.app.Reads.GapRow;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** The weekly report as DEQM gaps-in-care: the shape of the IG's own example, refs that resolve. */
class DeqmCareGapsTest {
  static final Path DATA =
      Path.of(System.getProperty("careloop.shared.data", "../../shared/data"), "fhir");

  static GapRow gap(String plan, String patientId, String name, String description, int tier) {
    return new GapRow(
        plan,
        patientId,
        name,
        "Dr. Chen",
        "lab test",
        description,
        Instant.parse("2026-11-10T05:00:00Z"),
        LocalDate.parse("2026-11-10"),
        20,
        tier,
        "treatment-plan-follow-up",
        1,
        tier == 3,
        4);
  }

  static final CareGapReport REPORT =
      new CareGapReport(
          "default",
          LocalDate.parse("2026-11-30"),
          Instant.parse("2026-11-30T12:00:00Z"),
          List.of(
              gap("pl-1", "pt-1", "Rosa Quintana", "HbA1c lab", 3),
              gap("pl-2", "pt-2", "Omar Haddad", "Cardiology referral", 2),
              gap("pl-3", "pt-1", "Rosa Quintana", "Knee X-ray", 2)));

  static Parameters parsed() {
    return Fhir.CONTEXT
        .newJsonParser()
        .parseResource(Parameters.class, DeqmCareGaps.json(REPORT, "Riverside Family Medicine"));
  }

  @Test
  void onePatient_oneDocument_withAnOpenGapAndItsMeasureReportPerStep() {
    var parameters = parsed();
    assertThat(parameters.getParameter())
        .extracting(p -> p.getName())
        .containsExactly("return", "return");
    var rosa = (Bundle) parameters.getParameter().get(0).getResource();
    assertThat(rosa.getType()).isEqualTo(Bundle.BundleType.DOCUMENT);
    assertThat(rosa.getEntry())
        .extracting(e -> e.getResource().fhirType())
        .containsExactly(
            "Composition",
            "MeasureReport",
            "DetectedIssue",
            "MeasureReport",
            "DetectedIssue",
            "Patient",
            "Organization");
    var composition = (Composition) rosa.getEntry().get(0).getResource();
    assertThat(composition.getSection())
        .extracting(Composition.SectionComponent::getTitle)
        .containsExactly("HbA1c lab", "Knee X-ray");
    assertThat(composition.getType().getCodingFirstRep().getCode()).isEqualTo("96315-7");

    var issues =
        rosa.getEntry().stream()
            .map(Bundle.BundleEntryComponent::getResource)
            .filter(DetectedIssue.class::isInstance)
            .map(DetectedIssue.class::cast)
            .toList();
    assertThat(issues)
        .allSatisfy(i -> {
          var status = (CodeableConcept) i.getModifierExtension().get(0).getValue();
          assertThat(status.getCodingFirstRep().getCode()).isEqualTo("open-gap");
          assertThat(i.getCode().getCodingFirstRep().getCode()).isEqualTo("CAREGAP");
        });
    assertThat(issues.get(0).getDetail())
        .contains("due 2026-11-10", "outcome unknown", "4 outreach attempt(s)");

    // Every reference points at an entry of the same document.
    Set<String> fullUrls = new HashSet<>();
    for (var e : rosa.getEntry()) fullUrls.add(e.getFullUrl());
    assertThat(composition.getSubject().getReference()).isIn(fullUrls);
    for (var s : composition.getSection()) {
      assertThat(s.getFocus().getReference()).isIn(fullUrls);
      assertThat(s.getEntryFirstRep().getReference()).isIn(fullUrls);
    }
    for (var i : issues)
      assertThat(i.getEvidenceFirstRep().getDetailFirstRep().getReference()).isIn(fullUrls);
  }

  @Test
  void theProfiles_areTheOnesOfTheDeqmExample() throws Exception {
    var example =
        Fhir.CONTEXT
            .newJsonParser()
            .parseResource(
                Bundle.class,
                Files.readString(
                    DATA.resolve("deqm-care-gaps/Bundle-single-gaps-open-indv-report01.json")));
    var ours = (Bundle) parsed().getParameter().get(0).getResource();
    assertThat(profiles(ours))
        .containsAll(profiles(example).stream().filter(p -> p.contains("/deqm/")).toList());
    assertThat(ours.getMeta().getProfile().get(0).getValue())
        .isEqualTo(example.getMeta().getProfile().get(0).getValue());
  }

  @Test
  void theSameReport_givesTheSameIdentifiers_eachDownload() {
    var a = (Bundle) parsed().getParameter().get(0).getResource();
    var b = (Bundle) parsed().getParameter().get(0).getResource();
    assertThat(a.getIdentifier().getValue()).isEqualTo(b.getIdentifier().getValue());
    assertThat(a.getEntry())
        .extracting(Bundle.BundleEntryComponent::getFullUrl)
        .containsExactlyElementsOf(
            b.getEntry().stream().map(Bundle.BundleEntryComponent::getFullUrl).toList());
  }

  static Set<String> profiles(Bundle bundle) {
    var out = new HashSet<String>();
    for (var e : bundle.getEntry()) {
      Resource r = e.getResource();
      for (var p : r.getMeta().getProfile()) out.add(r.fhirType() + " " + p.getValue());
    }
    return out;
  }
}
