package org.careloop.adapters;

import java.util.Locale;
import org.careloop.core.StepKind;

/** Guesses the kind of a step from the words a source uses for it. */
public final class StepKinds {
  private StepKinds() {}

  private static final String SNOMED = "http://snomed.info/sct";

  /**
   * The kind a coded category names: the SNOMED CT concepts of FHIR's and US Core's ServiceRequest
   * categories, and a few more orders use. Empty for a code it does not know.
   */
  public static java.util.Optional<StepKind> fromCode(
      @org.jspecify.annotations.Nullable String system,
      @org.jspecify.annotations.Nullable String code) {
    if (system == null || code == null) return java.util.Optional.empty();
    if (!system.equals(SNOMED)) return java.util.Optional.empty();
    return java.util.Optional.ofNullable(
        switch (code) {
          case "108252007" -> StepKind.LAB; // Laboratory procedure
          case "363679005" -> StepKind.IMAGING; // Imaging
          case "409063005" -> StepKind.THERAPY; // Counselling
          case "387713003" -> StepKind.PROCEDURE; // Surgical procedure
          case "3457005", "306206005" -> StepKind.REFERRAL; // Patient referral; to service
          case "386053000", "409073007" -> StepKind.VISIT; // Evaluation; Education
          case "91251008" -> StepKind.THERAPY; // Physical therapy procedure
          default -> null;
        });
  }

  public static StepKind fromWords(String words) {
    String w = words.toLowerCase(Locale.ROOT);
    // Cancer treatment is not a "therapy session": its follow-up is a visit, the rest treatment.
    if (w.contains("chemo")
        || w.contains("radiation")
        || w.contains("radiotherap")
        || w.contains("infusion")
        || w.contains("immunotherap"))
      return w.contains("follow") ? StepKind.VISIT : StepKind.TREATMENT;
    if (w.contains("referr") || w.contains("specialist") || w.contains("consult"))
      return StepKind.REFERRAL;
    if (w.contains("lab")
        || w.contains("panel")
        || w.contains("blood")
        || w.contains("test")
        || w.contains("a1c")) return StepKind.LAB;
    if (w.contains("imaging")
        || w.contains("x-ray")
        || w.contains("xray")
        || w.contains("mri")
        || w.contains("ct ")
        || w.equals("ct")
        || w.contains("ultrasound")
        || w.contains("mammo")) return StepKind.IMAGING;
    if (w.contains("therap")
        || w.contains(" pt")
        || w.equals("pt")
        || w.contains("physio")
        || w.contains("rehab")
        || w.contains("exercise")
        || w.contains("counsel")) return StepKind.THERAPY;
    if (w.contains("medication")
        || w.contains("med check")
        || w.contains("prescription")
        || w.contains("refill")) return StepKind.MEDICATION_CHECK;
    if (w.contains("procedure")
        || w.contains("surgery")
        || w.contains("implant")
        || w.contains("extraction")) return StepKind.PROCEDURE;
    if (w.contains("visit")
        || w.contains("follow")
        || w.contains("appointment")
        || w.contains("check-up")
        || w.contains("checkup")
        || w.contains("interview")) return StepKind.VISIT;
    return StepKind.OTHER;
  }
}
