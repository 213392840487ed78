package org.careloop.core;

/**
 * The kind of a plan step, in words a patient may read in a text message. The clinical description
 * of the step never goes into a message (minimum necessary): only these words do.
 */
public enum StepKind {
  VISIT("follow-up visit"),
  LAB("lab test"),
  REFERRAL("specialist visit"),
  THERAPY("therapy session"),
  MEDICATION_CHECK("medication check"),
  IMAGING("imaging scan"),
  PROCEDURE("procedure"),
  /** A presented treatment plan the patient has yet to accept (dental). */
  TREATMENT("treatment"),
  OTHER("follow-up");

  private final String patientWords;

  StepKind(String patientWords) {
    this.patientWords = patientWords;
  }

  /** What the patient reads, e.g. "lab test": no diagnosis, no test name. */
  public String patientWords() {
    return patientWords;
  }
}
