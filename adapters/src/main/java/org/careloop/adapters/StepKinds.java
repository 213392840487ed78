package org.careloop.adapters;

import java.util.Locale;
import org.careloop.core.StepKind;

/** Guesses the kind of a step from the words a source uses for it. */
public final class StepKinds {
  private StepKinds() {}

  public static StepKind fromWords(String words) {
    String w = words.toLowerCase(Locale.ROOT);
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
