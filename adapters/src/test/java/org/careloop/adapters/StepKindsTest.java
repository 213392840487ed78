package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import org.careloop.core.StepKind;
import org.junit.jupiter.api.Test;

/** The kind of a step, and so the plain words a patient reads for it. */
class StepKindsTest {
  @Test
  void cancerTreatment_isNotATherapySession_andItsFollowUpIsAVisit() {
    assertThat(StepKinds.fromWords("Chemotherapy follow-up")).isEqualTo(StepKind.VISIT);
    assertThat(StepKinds.fromWords("Chemotherapy cycle 2")).isEqualTo(StepKind.TREATMENT);
    assertThat(StepKinds.fromWords("Radiation therapy")).isEqualTo(StepKind.TREATMENT);
    assertThat(StepKinds.fromWords("Physical therapy")).isEqualTo(StepKind.THERAPY);
  }

  @Test
  void aStepsWords_readPlainlyInAText() {
    // "your imaging scan", never "your imaging appointment appointment"; "your follow-up",
    // never "your next care step" after "next is".
    assertThat(StepKind.IMAGING.patientWords()).isEqualTo("imaging scan");
    assertThat(StepKind.OTHER.patientWords()).isEqualTo("follow-up");
    assertThat(StepKinds.fromCode("http://snomed.info/sct", "363679005"))
        .contains(StepKind.IMAGING);
    assertThat(StepKinds.fromCode("http://loinc.org", "363679005")).isEmpty();
  }
}
